package dev.ben.settings.declaration;

/**
 * Which change of an item a rule selects ({@code when} in JSON). Evaluated per stream record, after the rule's
 * {@code on} (INSERT / MODIFY / REMOVE) matched.
 *
 * <table>
 * <caption>Conditions</caption>
 * <tr><th>JSON</th><th>matches when</th></tr>
 * <tr><td>omitted</td><td>{@link AnyChange}: every record of the kinds in {@code on}</td></tr>
 * <tr><td>{@code {"attribute": A, "becomes": V}}</td><td>{@link Becomes}: the new image has A = V and the old
 *     image did not (absent or another value; an INSERT counts). Never matches REMOVE (no new image).</td></tr>
 * <tr><td>{@code {"attribute": A, "changes": true}}</td><td>{@link Changes}: A differs between the old and the new
 *     image, including appearing (INSERT, or set by a MODIFY) and disappearing (removed, or REMOVE)</td></tr>
 * </table>
 */
public sealed interface Condition {

    /** Every change of the kinds in the rule's {@code on}. */
    record AnyChange() implements Condition {
    }

    /** {@code attribute} became {@code value} in this change. */
    record Becomes(String attribute, ScalarValue value) implements Condition {
    }

    /** {@code attribute} has another value (or presence) after the change than before. */
    record Changes(String attribute) implements Condition {
    }
}

package dev.ben.sender.internal;

import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.ben.settings.declaration.ChangeKind;
import dev.ben.settings.declaration.Condition;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.ScalarValue;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a rule selects a stream record: its {@code on} lists the record's kind and its condition holds between
 * the old and the new image (either {@code null} when the record has none: INSERT has no old image, REMOVE no new
 * one). Pure.
 *
 * <table>
 * <caption>Conditions on attribute A</caption>
 * <tr><th>condition</th><th>holds when</th></tr>
 * <tr><td>any change</td><td>always</td></tr>
 * <tr><td>A becomes V</td><td>the new image has A equal to V and the old image does not (no old image, A absent,
 *     another value or another type)</td></tr>
 * <tr><td>A changes</td><td>A differs between the images, appearing and disappearing included</td></tr>
 * </table>
 * Equality: S and BOOL by value, N numerically ({@code 3} = {@code 3.00}), types never equal each other (the string
 * {@code "3"} is not the number 3); other types (M, L, SS, …) by structure.
 */
public final class RuleMatcher {

    private RuleMatcher() {
    }

    public static boolean matches(Rule rule, ChangeKind kind, Map<String, AttributeValue> oldImage,
                                  Map<String, AttributeValue> newImage) {
        return rule.appliesTo(kind) && holds(rule.when(), oldImage, newImage);
    }

    static boolean holds(Condition condition, Map<String, AttributeValue> oldImage,
                         Map<String, AttributeValue> newImage) {
        return switch (condition) {
            case Condition.AnyChange any -> true;
            case Condition.Becomes b -> newImage != null && is(newImage.get(b.attribute()), b.value())
                    && (oldImage == null || !is(oldImage.get(b.attribute()), b.value()));
            case Condition.Changes c -> !same(value(oldImage, c.attribute()), value(newImage, c.attribute()));
        };
    }

    /** Whether an attribute value is the scalar (same type, same value). */
    static boolean is(AttributeValue v, ScalarValue expected) {
        if (v == null) {
            return false;
        }
        return switch (expected) {
            case ScalarValue.Text t -> t.value().equals(v.getS());
            case ScalarValue.Bool b -> Boolean.valueOf(b.value()).equals(v.getBOOL());
            case ScalarValue.Number n -> v.getN() != null && numeric(v.getN()) != null
                    && numeric(v.getN()).compareTo(n.value()) == 0;
        };
    }

    /** Whether two attribute values (either null when absent) are the same value. */
    static boolean same(AttributeValue a, AttributeValue b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.getN() != null && b.getN() != null) {
            BigDecimal x = numeric(a.getN());
            BigDecimal y = numeric(b.getN());
            return x != null && y != null ? x.compareTo(y) == 0 : a.getN().equals(b.getN());
        }
        return Objects.equals(a, b);
    }

    private static AttributeValue value(Map<String, AttributeValue> image, String attribute) {
        return image == null ? null : image.get(attribute);
    }

    private static BigDecimal numeric(String n) {
        try {
            return new BigDecimal(n);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

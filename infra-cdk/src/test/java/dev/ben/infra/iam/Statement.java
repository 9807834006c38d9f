package dev.ben.infra.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One IAM policy statement with its intrinsics already resolved ({@link Intrinsics}), and where it came from.
 *
 * @param source      where the statement comes from, for messages (e.g. {@code SAM policy template SQSPollerPolicy})
 * @param authored    true when the stack itself writes it (CDK grants, the SAM template's Policies); false for AWS
 *                    managed policies that the tooling attaches, which the least-privilege check cannot change
 * @param allow       {@code Effect: Allow} (else Deny)
 * @param actions     {@code Action} patterns (empty when the statement uses {@code NotAction})
 * @param notActions  {@code NotAction} patterns
 * @param resources   {@code Resource} patterns (empty when the statement uses {@code NotResource})
 * @param notResources {@code NotResource} patterns
 * @param conditional the statement has a {@code Condition}: this evaluator cannot prove it holds, so such an Allow
 *                    never allows and such a Deny always denies (conservative both ways)
 */
public record Statement(String source, boolean authored, boolean allow, List<String> actions, List<String> notActions,
                        List<String> resources, List<String> notResources, boolean conditional) {

    public Statement {
        actions = List.copyOf(actions);
        notActions = List.copyOf(notActions);
        resources = List.copyOf(resources);
        notResources = List.copyOf(notResources);
    }

    /** A statement from a resolved policy document entry ({@code Effect}, {@code Action}, {@code Resource}, …). */
    static Statement of(Map<?, ?> statement, String source, boolean authored) {
        Object effect = statement.get("Effect");
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new IllegalArgumentException(source + ": statement Effect must be Allow or Deny, was " + effect);
        }
        return new Statement(source, authored, "Allow".equals(effect), strings(statement.get("Action"), source),
                strings(statement.get("NotAction"), source), strings(statement.get("Resource"), source),
                strings(statement.get("NotResource"), source), statement.containsKey("Condition"));
    }

    /** Statements of a resolved policy document ({@code {"Statement": [...]}} or a single statement map). */
    static List<Statement> ofDocument(Object document, String source, boolean authored) {
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(source + ": a policy document must be a map, was " + document);
        }
        Object statements = map.get("Statement");
        List<Statement> result = new ArrayList<>();
        if (statements instanceof List<?> list) {
            list.forEach(s -> result.add(of((Map<?, ?>) s, source, authored)));
        } else if (statements instanceof Map<?, ?> single) {
            result.add(of(single, source, authored));
        } else {
            throw new IllegalArgumentException(source + ": policy document without Statement: " + document);
        }
        return result;
    }

    /** Does this statement apply to the request (action and resource), ignoring its effect? */
    public boolean appliesTo(String action, String resourceArn) {
        boolean actionMatches = notActions.isEmpty()
                ? actions.stream().anyMatch(p -> matches(p, action, true))
                : notActions.stream().noneMatch(p -> matches(p, action, true));
        boolean resourceMatches = notResources.isEmpty()
                ? resources.stream().anyMatch(p -> matches(p, resourceArn, false))
                : notResources.stream().noneMatch(p -> matches(p, resourceArn, false));
        return actionMatches && resourceMatches;
    }

    /** Some action pattern contains a wildcard ({@code *} or {@code ?}), or the statement uses NotAction. */
    public boolean hasWildcardAction() {
        return !notActions.isEmpty() || actions.stream().anyMatch(a -> a.contains("*") || a.contains("?"));
    }

    /**
     * IAM wildcard matching: {@code *} any run of characters, {@code ?} exactly one; actions compare
     * case-insensitively, ARNs case-sensitively.
     */
    static boolean matches(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        int flags = ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0;
        return Pattern.compile(regex.toString(), flags | Pattern.DOTALL).matcher(value).matches();
    }

    @Override
    public String toString() {
        return (allow ? "Allow " : "Deny ") + (notActions.isEmpty() ? actions : "NotAction " + notActions)
                + " on " + (notResources.isEmpty() ? resources : "NotResource " + notResources)
                + (conditional ? " (with Condition)" : "") + " [" + source + "]";
    }

    private static List<String> strings(Object value, String source) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw new IllegalArgumentException(source + ": unresolved value in a statement: " + item);
                }
                out.add(s);
            }
            return out;
        }
        throw new IllegalArgumentException(source + ": unresolved value in a statement: " + value);
    }

    /** Lower-case service prefix of an action ({@code sqs:SendMessage} → {@code sqs}). */
    static String service(String action) {
        int colon = action.indexOf(':');
        return (colon < 0 ? action : action.substring(0, colon)).toLowerCase(Locale.ROOT);
    }
}

package dev.ben.settings.declaration.internal;

import dev.ben.settings.declaration.Problem;
import dev.ben.settings.declaration.Source;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a declaration's JSON tree and collects every problem, each with its JSON path and the fix. The same rules
 * as {@code ben-declaration.schema.json}, plus what a schema cannot say (duplicates, rules a stream view type cannot
 * evaluate, the environment size).
 */
public final class DeclarationValidator {

    /** Most bytes the compact JSON may have: Lambda allows 4 KB of environment, Ben's other variables need ~1 KB. */
    public static final int MAX_JSON_BYTES = 3072;

    static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,39}");
    static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{3,255}");
    static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    static final int MAX_ATTRIBUTE_NAME = 255;

    private static final Set<String> ROOT_FIELDS = Set.of("$schema", "sources");
    private static final Set<String> SOURCE_FIELDS =
            Set.of("name", "table", "partitionKey", "sortKey", "streamViewType", "parallelization", "rules");
    private static final Set<String> KEY_FIELDS = Set.of("name", "type");
    private static final Set<String> RULE_FIELDS =
            Set.of("eventType", "on", "when", "version", "tenant", "payload", "notifyUrl");
    private static final Set<String> WHEN_FIELDS = Set.of("attribute", "becomes", "changes");
    private static final Set<String> PROJECTION_FIELDS = Set.of("attributes");
    private static final List<String> VIEW_TYPES = List.of("NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY");
    private static final List<String> CHANGE_KINDS = List.of("INSERT", "MODIFY", "REMOVE");

    private final List<Problem> problems = new ArrayList<>();

    private DeclarationValidator() {
    }

    /** Every problem of the tree; empty when it is a usable declaration. */
    public static List<Problem> validate(Object root) {
        DeclarationValidator v = new DeclarationValidator();
        v.root(root);
        if (v.problems.isEmpty()) {
            v.size(root);
        }
        return List.copyOf(v.problems);
    }

    private void root(Object root) {
        if (!(root instanceof Map<?, ?> map)) {
            problem(Problem.ROOT, "a declaration is a JSON object {\"sources\": [...]}, not " + kind(root));
            return;
        }
        Map<String, Object> m = DeclarationTree.map(map);
        unknownFields(m, ROOT_FIELDS, "", "");
        if (m.containsKey("$schema") && !(m.get("$schema") instanceof String)) {
            problem("$schema", "must be a string (the schema's URL or path), or left out");
        }
        List<Object> sources = nonEmptyList(m, "sources", "",
                "list the tables Ben watches: \"sources\": [{\"name\": ..., \"table\": ..., ...}]");
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            String path = "sources[" + i + "]";
            if (!(sources.get(i) instanceof Map<?, ?> s)) {
                problem(path, "a source is an object {\"name\", \"table\", \"partitionKey\", \"rules\", ...}, not "
                        + kind(sources.get(i)));
                continue;
            }
            String name = source(DeclarationTree.map(s), path);
            if (name != null) {
                String normalised = name.toUpperCase(Locale.ROOT).replace('-', '_');
                Integer other = names.putIfAbsent(normalised, i);
                if (other != null) {
                    problem(path + ".name", "\"" + name + "\" names the same source as sources[" + other
                            + "] (names are compared ignoring case, with - and _ alike, because each becomes an"
                            + " environment variable BEN_SOURCE_TABLE_" + normalised + "): give each source its own name");
                }
            }
        }
    }

    /** @return the source's name when it is valid, else null */
    private String source(Map<String, Object> s, String path) {
        unknownFields(s, SOURCE_FIELDS, path, ".");
        String name = requiredString(s, "name", path, "a stable name for this source, e.g. \"invoices\"");
        if (name != null && !SOURCE_NAME.matcher(name).matches()) {
            problem(path + ".name", "\"" + name + "\" is not a valid source name: start with a letter, then up to 39"
                    + " letters, digits, - or _ (it becomes part of event ids and an environment variable)");
            name = null;
        } else if (name != null && name.toLowerCase(Locale.ROOT).startsWith("ben-")) {
            problem(path + ".name", "names starting with \"ben-\" are reserved for Ben's own tables: rename the source");
            name = null;
        }
        String table = requiredString(s, "table", path, "the DynamoDB table's name, e.g. \"invoices\"");
        if (table != null && !TABLE_NAME.matcher(table).matches()) {
            problem(path + ".table", "\"" + table + "\" is not a DynamoDB table name: 3-255 of A-Z a-z 0-9 _ - .");
        }
        String pk = key(s, "partitionKey", path, true);
        String sk = key(s, "sortKey", path, false);
        if (pk != null && pk.equals(sk)) {
            problem(path + ".sortKey.name", "the sort key cannot be the partition key \"" + pk + "\": name the table's"
                    + " sort key, or leave sortKey out");
        }
        String view = "NEW_AND_OLD_IMAGES";
        if (s.containsKey("streamViewType")) {
            Object v = s.get("streamViewType");
            if (!(v instanceof String text) || !VIEW_TYPES.contains(text)) {
                problem(path + ".streamViewType", "must be one of " + VIEW_TYPES + " (the table's StreamViewType),"
                        + " got " + describe(v));
                view = null;
            } else if ("KEYS_ONLY".equals(text)) {
                problem(path + ".streamViewType", "KEYS_ONLY stream records carry no item, so Ben can neither"
                        + " evaluate rules nor build a payload: switch the table's stream to NEW_AND_OLD_IMAGES"
                        + " (disable and re-enable it with StreamViewType=NEW_AND_OLD_IMAGES) and declare that");
                view = null;
            } else {
                view = text;
            }
        }
        if (s.containsKey("parallelization")) {
            Object p = s.get("parallelization");
            if (!(p instanceof BigDecimal d) || d.stripTrailingZeros().scale() > 0
                    || d.compareTo(BigDecimal.ONE) < 0 || d.compareTo(BigDecimal.valueOf(Source.MAX_PARALLELIZATION)) > 0) {
                problem(path + ".parallelization", "must be a whole number 1-" + Source.MAX_PARALLELIZATION
                        + " (notify batches of one stream shard processed at once), got " + describe(p));
            }
        }
        List<Object> rules = nonEmptyList(s, "rules", path + ".",
                "say which changes become events: \"rules\": [{\"eventType\": ..., \"payload\": ...}]");
        Map<String, Integer> eventTypes = new HashMap<>();
        for (int j = 0; j < rules.size(); j++) {
            String rulePath = path + ".rules[" + j + "]";
            if (!(rules.get(j) instanceof Map<?, ?> r)) {
                problem(rulePath, "a rule is an object {\"eventType\", \"payload\", ...}, not " + kind(rules.get(j)));
                continue;
            }
            String type = rule(DeclarationTree.map(r), rulePath, view);
            if (type != null) {
                Integer other = eventTypes.putIfAbsent(type, j);
                if (other != null) {
                    problem(rulePath + ".eventType", "\"" + type + "\" is also the event type of rules[" + other
                            + "] of this source: one stream record would give both the same event id (ids come from"
                            + " the source, the event type and the record), so receivers would drop one as a"
                            + " duplicate. Give each rule its own event type, or merge the two rules");
                }
            }
        }
        return name;
    }

    /** @return the key's attribute name when valid, else null */
    private String key(Map<String, Object> s, String field, String path, boolean required) {
        String keyPath = path + "." + field;
        if (!s.containsKey(field)) {
            if (required) {
                problem(keyPath, "is required: the table's partition key, e.g. {\"name\": \"tenantId\", \"type\": \"S\"}");
            }
            return null;
        }
        if (!(s.get(field) instanceof Map<?, ?> k)) {
            problem(keyPath, "must be an object {\"name\": ATTRIBUTE, \"type\": \"S\" or \"N\"}"
                    + (required ? "" : ", or left out when the table has no sort key") + ", not " + kind(s.get(field)));
            return null;
        }
        Map<String, Object> key = DeclarationTree.map(k);
        unknownFields(key, KEY_FIELDS, keyPath, ".");
        String name = attributeName(key, "name", keyPath, true, "the key attribute's name");
        Object type = key.get("type");
        if (!key.containsKey("type")) {
            problem(keyPath + ".type", "is required: \"S\" (string) or \"N\" (number), as in the table's key schema");
        } else if ("B".equals(type)) {
            problem(keyPath + ".type", "binary keys are not supported (entity ids are text): use an S or N key");
        } else if (!"S".equals(type) && !"N".equals(type)) {
            problem(keyPath + ".type", "must be \"S\" or \"N\", got " + describe(type));
        }
        return name;
    }

    /** @return the rule's event type when valid, else null */
    private String rule(Map<String, Object> r, String path, String view) {
        unknownFields(r, RULE_FIELDS, path, ".");
        String type = requiredString(r, "eventType", path, "the event type to emit, e.g. \"invoice.settled\"");
        if (type != null && !EVENT_TYPE.matcher(type).matches()) {
            problem(path + ".eventType", "\"" + type + "\" is not a valid event type: 1-128 of letters, digits and"
                    + " _.:- starting with a letter or digit (e.g. invoice.Settled; kept exactly as written)");
            type = null;
        }
        Set<String> on = on(r, path);
        String condition = when(r, path, on);
        optionalAttribute(r, "version", path, "a numeric attribute that grows with every change, or leave it out"
                + " (receivers then order by the payload's sequence)");
        boolean tenant = optionalAttribute(r, "tenant", path, "the attribute holding the tenant id, or leave it out");
        boolean notifyUrl = optionalAttribute(r, "notifyUrl", path,
                "the attribute holding the URL to notify, or leave it out");
        if (notifyUrl && !tenant && !r.containsKey("tenant")) {
            problem(path + ".notifyUrl", "a per-record URL needs \"tenant\" too: the URL's host must be on that tenant's"
                    + " allowedHosts (ben tenants add T --allowed-host HOST), so a record cannot send to any host");
        }
        payload(r, path);
        if (view != null && on != null) {
            viewTypeAllows(view, on, condition, path);
        }
        return type;
    }

    private Set<String> on(Map<String, Object> r, String path) {
        if (!r.containsKey("on")) {
            return Set.of("INSERT", "MODIFY");
        }
        Object value = r.get("on");
        if (!(value instanceof List<?> list)) {
            problem(path + ".on", "must be a list of INSERT, MODIFY, REMOVE (default [\"INSERT\", \"MODIFY\"]), not "
                    + kind(value));
            return null;
        }
        if (list.isEmpty()) {
            problem(path + ".on", "is empty, so the rule would never fire: list INSERT, MODIFY and/or REMOVE, or leave"
                    + " it out for [\"INSERT\", \"MODIFY\"]");
            return null;
        }
        Set<String> kinds = new LinkedHashSet<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            Object kind = list.get(i);
            if (!(kind instanceof String k) || !CHANGE_KINDS.contains(k)) {
                problem(path + ".on[" + i + "]", "must be INSERT, MODIFY or REMOVE (upper case), got " + describe(kind));
                ok = false;
            } else if (!kinds.add(k)) {
                problem(path + ".on[" + i + "]", k + " is listed twice: list each kind once");
                ok = false;
            }
        }
        return ok ? kinds : null;
    }

    /** @return "any", "becomes", "changes", or null when invalid */
    private String when(Map<String, Object> r, String path, Set<String> on) {
        if (!r.containsKey("when")) {
            return "any";
        }
        String wp = path + ".when";
        if (!(r.get("when") instanceof Map<?, ?> w)) {
            problem(wp, "must be {\"attribute\": A, \"becomes\": VALUE} or {\"attribute\": A, \"changes\": true}, or"
                    + " left out for any change; not " + kind(r.get("when")));
            return null;
        }
        Map<String, Object> when = DeclarationTree.map(w);
        unknownFields(when, WHEN_FIELDS, wp, ".");
        attributeName(when, "attribute", wp, true, "the attribute the condition looks at");
        boolean becomes = when.containsKey("becomes");
        boolean changes = when.containsKey("changes");
        if (becomes == changes) {
            problem(wp, becomes ? "has both \"becomes\" and \"changes\": keep one"
                    : "needs \"becomes\": VALUE or \"changes\": true (or leave \"when\" out for any change)");
            return null;
        }
        if (changes) {
            if (!Boolean.TRUE.equals(when.get("changes"))) {
                problem(wp + ".changes", "must be true; to fire on every change leave \"when\" out");
                return null;
            }
            return "changes";
        }
        Object value = when.get("becomes");
        if (!(value instanceof String || value instanceof BigDecimal || value instanceof Boolean)) {
            problem(wp + ".becomes", "must be a string, number or boolean (matched against an S, N or BOOL"
                    + " attribute), e.g. \"SETTLED\", 3 or true; not " + kind(value));
            return null;
        }
        if (on != null && on.contains("REMOVE")) {
            problem(wp + ".becomes", "\"becomes\" never matches REMOVE (a deleted item has no new image): drop REMOVE"
                    + " from \"on\", or use \"changes\": true");
            return null;
        }
        return "becomes";
    }

    private void payload(Map<String, Object> r, String path) {
        String pp = path + ".payload";
        if (!r.containsKey("payload")) {
            problem(pp, "is required: {\"attributes\": [\"a\", \"b\"]} to send those attributes, or \"newImage\" for"
                    + " the whole item (the old image for REMOVE)");
            return;
        }
        Object value = r.get("payload");
        if (value instanceof String s) {
            if (!"newImage".equals(s)) {
                problem(pp, "\"" + s + "\" is not a payload: use \"newImage\" or {\"attributes\": [...]}");
            }
            return;
        }
        if (!(value instanceof Map<?, ?> p)) {
            problem(pp, "must be \"newImage\" or {\"attributes\": [...]}, not " + kind(value));
            return;
        }
        Map<String, Object> projection = DeclarationTree.map(p);
        unknownFields(projection, PROJECTION_FIELDS, pp, ".");
        List<Object> attributes = nonEmptyList(projection, "attributes", pp + ".",
                "name the attributes to send, or use \"newImage\" for all");
        Set<Object> seen = new LinkedHashSet<>();
        for (int i = 0; i < attributes.size(); i++) {
            Object a = attributes.get(i);
            String ap = pp + ".attributes[" + i + "]";
            if (!(a instanceof String name) || name.isBlank() || name.length() > MAX_ATTRIBUTE_NAME) {
                problem(ap, "must be an attribute name (1-" + MAX_ATTRIBUTE_NAME + " characters), got " + describe(a));
            } else if (!seen.add(a)) {
                problem(ap, "\"" + name + "\" is listed twice: list each attribute once");
            }
        }
    }

    private void viewTypeAllows(String view, Set<String> on, String condition, String path) {
        switch (view) {
            case "NEW_IMAGE" -> {
                if ("becomes".equals(condition) || "changes".equals(condition)) {
                    problem(path + ".when", "needs the old image to tell a change from a state, and a NEW_IMAGE stream"
                            + " has none: switch the stream to NEW_AND_OLD_IMAGES, or leave \"when\" out to notify"
                            + " every change");
                }
                if (on.contains("REMOVE")) {
                    problem(path + ".on", "REMOVE records of a NEW_IMAGE stream carry no item: drop REMOVE, or switch"
                            + " the stream to NEW_AND_OLD_IMAGES");
                }
            }
            case "OLD_IMAGE" -> {
                if (on.contains("INSERT") || on.contains("MODIFY")) {
                    problem(path + ".on", "an OLD_IMAGE stream has no new image, so only REMOVE can be notified: set"
                            + " \"on\": [\"REMOVE\"], or switch the stream to NEW_AND_OLD_IMAGES");
                }
                if ("becomes".equals(condition) || "changes".equals(condition)) {
                    problem(path + ".when", "cannot be evaluated without the new image (OLD_IMAGE stream): leave"
                            + " \"when\" out, or switch the stream to NEW_AND_OLD_IMAGES");
                }
            }
            default -> { }
        }
    }

    private void size(Object root) {
        int bytes = JsonText.write(DeclarationTree.toTree(DeclarationTree.sources(DeclarationTree.map(root)))).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_JSON_BYTES) {
            problem(Problem.ROOT, "is " + bytes + " bytes as compact JSON; at most " + MAX_JSON_BYTES + " fit into"
                    + " BEN_DECLARATION (Lambda allows 4 KB of environment variables per function and Ben needs the"
                    + " rest): shorten names, project fewer attributes, or split the sources over two stacks");
        }
    }

    // ------------------------------------------------------------------ helpers

    private void unknownFields(Map<String, Object> m, Set<String> known, String path, String dot) {
        for (String field : m.keySet()) {
            if (!known.contains(field)) {
                problem(path.isEmpty() ? field : path + dot + field, "unknown field \"" + field + "\": known fields"
                        + " here are " + known.stream().sorted().toList() + " (check the spelling)");
            }
        }
    }

    private String requiredString(Map<String, Object> m, String field, String path, String what) {
        String fp = path.isEmpty() ? field : path + "." + field;
        if (!m.containsKey(field)) {
            problem(fp, "is required: " + what);
            return null;
        }
        Object v = m.get(field);
        if (!(v instanceof String s) || s.isBlank()) {
            problem(fp, "must be a non-empty string: " + what + "; got " + describe(v));
            return null;
        }
        return s;
    }

    private String attributeName(Map<String, Object> m, String field, String path, boolean required, String what) {
        String fp = path + "." + field;
        if (!m.containsKey(field)) {
            if (required) {
                problem(fp, "is required: " + what);
            }
            return null;
        }
        Object v = m.get(field);
        if (!(v instanceof String s) || s.isBlank() || s.length() > MAX_ATTRIBUTE_NAME) {
            problem(fp, "must be an attribute name (1-" + MAX_ATTRIBUTE_NAME + " characters): " + what + "; got "
                    + describe(v));
            return null;
        }
        return s;
    }

    /** @return true when present and valid */
    private boolean optionalAttribute(Map<String, Object> m, String field, String path, String what) {
        return m.containsKey(field) && attributeName(m, field, path, false, what) != null;
    }

    private List<Object> nonEmptyList(Map<String, Object> m, String field, String prefix, String fix) {
        String fp = prefix + field;
        if (!m.containsKey(field)) {
            problem(fp, "is required: " + fix);
            return List.of();
        }
        Object v = m.get(field);
        if (!(v instanceof List<?> list)) {
            problem(fp, "must be a list: " + fix + "; got " + kind(v));
            return List.of();
        }
        if (list.isEmpty()) {
            problem(fp, "is empty: " + fix);
        }
        return DeclarationTree.list(list);
    }

    private void problem(String path, String message) {
        problems.add(new Problem(path, message));
    }

    private static String kind(Object v) {
        return switch (v) {
            case null -> "null";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "a list";
            case String s -> "a string";
            case BigDecimal d -> "a number";
            case Boolean b -> "a boolean";
            default -> v.getClass().getSimpleName();
        };
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : v instanceof BigDecimal || v instanceof Boolean
                ? String.valueOf(v) : kind(v);
    }
}

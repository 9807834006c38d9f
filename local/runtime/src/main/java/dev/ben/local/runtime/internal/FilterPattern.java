package dev.ben.local.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Lambda event filter pattern (the subset Ben uses), matched against the JSON form of an event:
 * nested keys; arrays of exact values (strings, numbers, booleans, null); and the operators
 * {@code {"prefix": "..."}}, {@code {"anything-but": value | [values]}}, {@code {"exists": true|false}}.
 * A record matches when every key of the pattern matches; when the event value is an array, one element
 * matching is enough. Other operators (numeric, suffix, equals-ignore-case, wildcard, $or, cidr) are rejected
 * with an error naming them, rather than silently ignored.
 */
public final class FilterPattern {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String source;
    private final JsonNode pattern;

    private FilterPattern(String source, JsonNode pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    public static FilterPattern parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("filter pattern is not valid JSON: " + json + " (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("filter pattern must be a JSON object: " + json);
        }
        validate(root, json, "");
        return new FilterPattern(json, root);
    }

    /** True when any of the patterns matches (FilterCriteria semantics); no patterns match everything. */
    public static boolean anyMatches(List<FilterPattern> patterns, JsonNode event) {
        return patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matches(event));
    }

    public boolean matches(JsonNode event) {
        return matchesObject(pattern, event);
    }

    @Override
    public String toString() {
        return source;
    }

    private static void validate(JsonNode node, String source, String path) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (field.getKey().startsWith("$")) {
                throw new IllegalArgumentException("unsupported filter operator '" + field.getKey() + "' at " + at
                        + " in " + source);
            }
            JsonNode value = field.getValue();
            if (value.isObject()) {
                validate(value, source, at);
            } else if (value.isArray()) {
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("empty match list at " + at + " in " + source);
                }
                for (JsonNode rule : value) {
                    validateRule(rule, source, at);
                }
            } else {
                throw new IllegalArgumentException("filter values must be arrays or objects, got " + value
                        + " at " + at + " in " + source);
            }
        }
    }

    private static void validateRule(JsonNode rule, String source, String at) {
        if (!rule.isObject()) {
            if (rule.isArray()) {
                throw new IllegalArgumentException("nested array at " + at + " in " + source);
            }
            return;
        }
        if (rule.size() != 1) {
            throw new IllegalArgumentException("an operator object must have exactly one key at " + at + " in " + source);
        }
        String operator = rule.fieldNames().next();
        JsonNode operand = rule.get(operator);
        switch (operator) {
            case "prefix" -> {
                if (!operand.isTextual()) {
                    throw new IllegalArgumentException("prefix needs a string at " + at + " in " + source);
                }
            }
            case "exists" -> {
                if (!operand.isBoolean()) {
                    throw new IllegalArgumentException("exists needs true or false at " + at + " in " + source);
                }
            }
            case "anything-but" -> {
                if (operand.isObject() || (operand.isArray() && operand.findValues("prefix").size() > 0)) {
                    throw new IllegalArgumentException("anything-but supports values or a list of values only (not "
                            + operand + ") at " + at + " in " + source);
                }
            }
            default -> throw new IllegalArgumentException("unsupported filter operator '" + operator + "' at " + at
                    + " in " + source + "; supported: exact values, prefix, anything-but, exists");
        }
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode event) {
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            JsonNode value = event == null || !event.isObject() ? null : event.get(field.getKey());
            JsonNode rule = field.getValue();
            boolean ok = rule.isObject() ? value != null && matchesObject(rule, value) : matchesRules(rule, value);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesRules(JsonNode rules, JsonNode value) {
        List<JsonNode> candidates = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(candidates::add);
        } else if (value != null) {
            candidates.add(value);
        }
        for (JsonNode rule : rules) {
            if (rule.isObject() && rule.has("exists")) {
                if (rule.get("exists").asBoolean() == (value != null)) {
                    return true;
                }
                continue;
            }
            for (JsonNode candidate : candidates) {
                if (matchesRule(rule, candidate)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matchesRule(JsonNode rule, JsonNode candidate) {
        if (!rule.isObject()) {
            return sameValue(rule, candidate);
        }
        String operator = rule.fieldNames().next();
        JsonNode operand = rule.get(operator);
        return switch (operator) {
            case "prefix" -> candidate.isTextual() && candidate.textValue().startsWith(operand.textValue());
            case "anything-but" -> {
                if (operand.isArray()) {
                    for (JsonNode excluded : operand) {
                        if (sameValue(excluded, candidate)) {
                            yield false;
                        }
                    }
                    yield true;
                }
                yield !sameValue(operand, candidate);
            }
            default -> false;
        };
    }

    private static boolean sameValue(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0;
        }
        if (expected.isNull()) {
            return actual.isNull();
        }
        return expected.getNodeType() == actual.getNodeType() && expected.asText().equals(actual.asText());
    }
}

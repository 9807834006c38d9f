package dev.ben.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request body: a JSON object with only the fields an operation knows (an unknown field is a 400 naming it, so a
 * typo never silently does nothing), read with typed getters that refuse wrong types with the field's name.
 */
public final class Body {

    private final JsonNode node;

    private Body(JsonNode node) {
        this.node = node;
    }

    /** The body of {@code request}; an empty body is {@code {}} when {@code optional}, else a 400. */
    public static Body of(ApiRequest request, boolean optional, Set<String> fields) {
        if (request.body().isBlank()) {
            if (!optional) {
                throw ApiException.invalid(null, "a JSON object body is required");
            }
            return new Body(ApiJson.read("{}"));
        }
        JsonNode node = ApiJson.read(request.body());
        if (node == null || !node.isObject()) {
            throw new ApiException(400, ApiException.MALFORMED_JSON, "the body must be a JSON object", null);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new ApiException(400, ApiException.UNKNOWN_FIELD, "unknown field '" + name + "'; known: "
                        + String.join(", ", fields.stream().sorted().toList()), name);
            }
        }
        return new Body(node);
    }

    public boolean has(String field) {
        return node.has(field);
    }

    /** Present and JSON null (e.g. "back to the default"). */
    public boolean isNull(String field) {
        return node.has(field) && node.get(field).isNull();
    }

    public Optional<String> string(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return Optional.empty();
        }
        expect(field, value, JsonNodeType.STRING, "a string");
        return Optional.of(value.textValue());
    }

    public String requiredString(String field) {
        return string(field).orElseThrow(() -> ApiException.invalid(field, "'" + field + "' is required"));
    }

    public Optional<Integer> integer(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw ApiException.invalid(field, "'" + field + "' must be an integer");
        }
        return Optional.of(value.intValue());
    }

    public Optional<Boolean> bool(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return Optional.empty();
        }
        expect(field, value, JsonNodeType.BOOLEAN, "true or false");
        return Optional.of(value.booleanValue());
    }

    public Optional<List<String>> strings(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return Optional.empty();
        }
        expect(field, value, JsonNodeType.ARRAY, "an array of strings");
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            expect(field, item, JsonNodeType.STRING, "an array of strings");
            items.add(item.textValue());
        }
        return Optional.of(items);
    }

    /** A JSON object of string values, in the order given. */
    public Optional<Map<String, String>> stringMap(String field) {
        JsonNode value = present(field);
        if (value == null) {
            return Optional.empty();
        }
        expect(field, value, JsonNodeType.OBJECT, "an object of string values");
        Map<String, String> map = new LinkedHashMap<>();
        value.properties().forEach(e -> {
            expect(field, e.getValue(), JsonNodeType.STRING, "an object of string values");
            map.put(e.getKey(), e.getValue().textValue());
        });
        return Optional.of(map);
    }

    /** The field's value, or null when absent or JSON null. */
    private JsonNode present(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private static void expect(String field, JsonNode value, JsonNodeType type, String what) {
        if (value.getNodeType() != type) {
            throw ApiException.invalid(field, "'" + field + "' must be " + what);
        }
    }
}

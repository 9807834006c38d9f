package dev.ben.local.stack.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Helpers for DynamoDB items in their JSON wire form ({@code {"attr":{"S":"x"},...}}). */
final class Items {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Items() {
    }

    /** The key attributes of an item, or {@code null} when one is missing or not an attribute value. */
    static ObjectNode key(JsonNode item, List<String> keyNames) {
        if (item == null || !item.isObject()) {
            return null;
        }
        ObjectNode key = JSON.objectNode();
        for (String name : keyNames) {
            JsonNode value = item.get(name);
            if (value == null || !value.isObject() || value.size() != 1) {
                return null;
            }
            key.set(name, normalize(value));
        }
        return key;
    }

    /** A stable string for a key, used for locking and matching (numbers normalised, attribute order fixed). */
    static String keyString(String table, ObjectNode key, List<String> keyNames) {
        StringBuilder out = new StringBuilder(table);
        for (String name : keyNames) {
            out.append('\u0000').append(name).append('=').append(canonical(key.get(name)));
        }
        return out.toString();
    }

    /** Normalises numbers the way DynamoDB stores them ({@code "1.50"} becomes {@code "1.5"}), recursively. */
    static ObjectNode normalizeItem(JsonNode item) {
        ObjectNode out = JSON.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            out.set(field.getKey(), normalize(field.getValue()));
        }
        return out;
    }

    static JsonNode normalize(JsonNode value) {
        if (value == null || !value.isObject() || value.size() != 1) {
            return value;
        }
        Map.Entry<String, JsonNode> typed = value.fields().next();
        JsonNode inner = typed.getValue();
        return switch (typed.getKey()) {
            case "N" -> JSON.objectNode().put("N", number(inner.asText()));
            case "NS" -> {
                ArrayNode numbers = JSON.arrayNode();
                inner.forEach(n -> numbers.add(number(n.asText())));
                yield JSON.objectNode().set("NS", numbers);
            }
            case "M" -> JSON.objectNode().set("M", inner.isObject() ? normalizeItem(inner) : inner);
            case "L" -> {
                ArrayNode list = JSON.arrayNode();
                inner.forEach(element -> list.add(normalize(element)));
                yield JSON.objectNode().set("L", list);
            }
            default -> value.deepCopy();
        };
    }

    /** True when both items hold the same data (sets compared as sets, numbers by value). */
    static boolean sameItem(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        return canonicalItem(a).equals(canonicalItem(b));
    }

    private static JsonNode canonicalItem(JsonNode item) {
        ObjectNode out = JSON.objectNode();
        item.fields().forEachRemaining(f -> out.set(f.getKey(), canonical(f.getValue())));
        return out;
    }

    private static JsonNode canonical(JsonNode value) {
        JsonNode normal = normalize(value);
        if (normal == null || !normal.isObject() || normal.size() != 1) {
            return normal;
        }
        Map.Entry<String, JsonNode> typed = normal.fields().next();
        return switch (typed.getKey()) {
            case "SS", "NS", "BS" -> {
                List<String> members = new ArrayList<>();
                typed.getValue().forEach(m -> members.add(m.asText()));
                members.sort(null);
                ArrayNode sorted = JSON.arrayNode();
                members.forEach(sorted::add);
                yield JSON.objectNode().set(typed.getKey(), sorted);
            }
            case "M" -> JSON.objectNode().set("M", canonicalItem(typed.getValue()));
            case "L" -> {
                ArrayNode list = JSON.arrayNode();
                typed.getValue().forEach(element -> list.add(canonical(element)));
                yield JSON.objectNode().set("L", list);
            }
            default -> normal;
        };
    }

    private static String number(String text) {
        try {
            BigDecimal decimal = new BigDecimal(text.trim()).stripTrailingZeros();
            return decimal.signum() == 0 ? "0" : decimal.toPlainString();
        } catch (NumberFormatException e) {
            return text;
        }
    }

    /** Approximate DynamoDB size of an item: attribute names plus values, in bytes. */
    static int size(JsonNode item) {
        if (item == null) {
            return 0;
        }
        int total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = item.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            total += utf8(field.getKey()) + valueSize(field.getValue());
        }
        return total;
    }

    private static int valueSize(JsonNode value) {
        if (value == null || !value.isObject() || value.size() != 1) {
            return 0;
        }
        Map.Entry<String, JsonNode> typed = value.fields().next();
        JsonNode inner = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> utf8(inner.asText());
            case "N" -> numberSize(inner.asText());
            case "B" -> binarySize(inner.asText());
            case "BOOL", "NULL" -> 1;
            case "SS" -> sum(inner, n -> utf8(n.asText()));
            case "NS" -> sum(inner, n -> numberSize(n.asText()));
            case "BS" -> sum(inner, n -> binarySize(n.asText()));
            case "M" -> 3 + size(inner) + inner.size();
            case "L" -> 3 + sum(inner, element -> 1 + valueSize(element));
            default -> 0;
        };
    }

    private static int sum(JsonNode array, java.util.function.ToIntFunction<JsonNode> size) {
        int total = 0;
        for (JsonNode element : array) {
            total += size.applyAsInt(element);
        }
        return total;
    }

    private static int numberSize(String text) {
        int digits = text.replaceAll("[^0-9]", "").replaceFirst("^0+", "").length();
        return Math.max(1, (digits + 1) / 2 + 1);
    }

    private static int binarySize(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return base64.length();
        }
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}

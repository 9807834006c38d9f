package dev.ben.sender.bench.cost;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB's item size, as its developer guide defines it for capacity: each attribute's name (UTF-8 bytes) plus
 * its value — strings in UTF-8 bytes, numbers about one byte per two significant digits plus one, binary in bytes,
 * booleans and nulls one byte, lists and maps three bytes plus one per element and their elements' sizes.
 */
public final class ItemSize {

    private ItemSize() {
    }

    public static int of(Map<String, AttributeValue> item) {
        if (item == null) {
            return 0;
        }
        int size = 0;
        for (var e : item.entrySet()) {
            size += utf8(e.getKey()) + value(e.getValue());
        }
        return size;
    }

    /** The attributes named, as they are in {@code item} (absent ones count nothing). */
    public static int of(Map<String, AttributeValue> item, Iterable<String> attributes) {
        int size = 0;
        for (String name : attributes) {
            AttributeValue v = item.get(name);
            if (v != null) {
                size += utf8(name) + value(v);
            }
        }
        return size;
    }

    static int value(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8(v.s());
            case N -> number(v.n());
            case B -> v.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case SS -> v.ss().stream().mapToInt(ItemSize::utf8).sum();
            case NS -> v.ns().stream().mapToInt(ItemSize::number).sum();
            case BS -> v.bs().stream().mapToInt(b -> b.asByteArray().length).sum();
            case L -> 3 + v.l().stream().mapToInt(e -> 1 + value(e)).sum();
            case M -> 3 + v.m().entrySet().stream().mapToInt(e -> 1 + utf8(e.getKey()) + value(e.getValue())).sum();
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("unknown attribute type: " + v);
        };
    }

    static int number(String n) {
        String digits = new BigDecimal(n).stripTrailingZeros().unscaledValue().abs().toString();
        return (digits.length() + 1) / 2 + 1;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}

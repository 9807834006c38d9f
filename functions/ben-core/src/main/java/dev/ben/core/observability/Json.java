package dev.ben.core.observability;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * A tiny JSON writer for log and metric lines (ben-core has no dependencies). Writes maps (in iteration order),
 * collections, arrays of primitives via collections, strings, numbers, booleans and null; {@link Instant},
 * {@link Duration}, enums and anything else as their string form.
 */
public final class Json {
    private Json() {
    }

    /** A number kept exactly as written (e.g. a DynamoDB {@code N}); validated, never rounded through double. */
    public record RawNumber(String literal) {
        public RawNumber {
            new BigDecimal(literal); // throws NumberFormatException for anything that is not a number
        }
    }

    /** A JSON text embedded as is (e.g. a stored webhook payload inside a status answer); not re-validated. */
    public record RawJson(String json) {
        public RawJson {
            if (json == null || json.isBlank()) {
                throw new IllegalArgumentException("raw JSON must not be empty");
            }
        }
    }

    public static String write(Object value) {
        StringBuilder sb = new StringBuilder(256);
        write(sb, value);
        return sb.toString();
    }

    public static void write(StringBuilder sb, Object value) {
        switch (value) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case RawNumber n -> sb.append(n.literal());
            case RawJson j -> sb.append(j.json());
            case BigDecimal d -> sb.append(d.toPlainString());
            case Integer i -> sb.append(i);
            case Long l -> sb.append(l);
            case Short s -> sb.append(s);
            case Byte b -> sb.append(b);
            case Double d -> number(sb, d);
            case Float f -> number(sb, f.doubleValue());
            case Number n -> number(sb, n.doubleValue());
            case Map<?, ?> map -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    quote(sb, String.valueOf(e.getKey()));
                    sb.append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case Collection<?> list -> {
                sb.append('[');
                boolean first = true;
                for (Object o : list) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    write(sb, o);
                }
                sb.append(']');
            }
            default -> quote(sb, value.toString());
        }
    }

    private static void number(StringBuilder sb, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            sb.append("null"); // JSON has no NaN/Infinity
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            sb.append((long) d);
        } else {
            sb.append(d);
        }
    }

    /** Appends {@code s} as a JSON string literal (RFC 8259 escaping; control characters as \\u00XX). */
    public static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(sb, s);
        return sb.toString();
    }
}

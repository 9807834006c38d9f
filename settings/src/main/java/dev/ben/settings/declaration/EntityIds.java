package dev.ben.settings.declaration;

import java.util.List;

/**
 * Entity ids from key values, reversibly.
 *
 * <ul>
 *   <li>Partition key only: the key's value as text ({@code ord_1001}; a number key as DynamoDB writes it,
 *       {@code 42}).</li>
 *   <li>Partition and sort key: {@code escape(partition) + "|" + escape(sort)} where {@code escape} writes
 *       {@code %} as {@code %25} and {@code |} as {@code %7C} — so {@code tenant-a|inv-7}, and the one unescaped
 *       {@code |} always separates the two values. Decoding splits there and unescapes.</li>
 * </ul>
 * Put an entity id into a URL path percent-encoded, like any other text ({@code |} → {@code %7C}).
 */
public final class EntityIds {

    /** Separates the partition and sort key values of a composite key. */
    public static final char SEPARATOR = '|';

    private EntityIds() {
    }

    /** @param sort the sort key's value, {@code null} when the table has no sort key */
    public static String encode(String partition, String sort) {
        if (partition == null || partition.isEmpty()) {
            throw new IllegalArgumentException("an entity id needs a partition key value");
        }
        if (sort == null) {
            return partition;
        }
        return escape(partition) + SEPARATOR + escape(sort);
    }

    /** @throws IllegalArgumentException when {@code entityId} is not an id of that key schema */
    public static List<String> decode(String entityId, boolean hasSortKey) {
        if (entityId == null || entityId.isEmpty()) {
            throw new IllegalArgumentException("empty entity id");
        }
        if (!hasSortKey) {
            return List.of(entityId);
        }
        int at = entityId.indexOf(SEPARATOR);
        if (at < 0 || entityId.indexOf(SEPARATOR, at + 1) >= 0) {
            throw new IllegalArgumentException("entity id '" + entityId + "' of a table with a sort key must hold one"
                    + " unescaped '|' between the two key values (e.g. tenant-a|inv-7)");
        }
        return List.of(unescape(entityId.substring(0, at)), unescape(entityId.substring(at + 1)));
    }

    private static String escape(String value) {
        return value.replace("%", "%25").replace("|", "%7C");
    }

    private static String unescape(String value) {
        return value.replace("%7C", "|").replace("%7c", "|").replace("%25", "%");
    }
}

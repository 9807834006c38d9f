package dev.ben.sender.bench.cost;

import dev.ben.settings.TableSpec;
import dev.ben.settings.TableSpec.IndexSpec;
import dev.ben.settings.TableSpec.Projection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Write and read units of one request against a table of known shape, by DynamoDB's rules: a write costs one unit
 * per started KB of the larger of the item before and after; each global secondary index costs a put when the item
 * enters it, a delete when it leaves it, both when its index key changes, an update when a projected attribute
 * changes — and nothing when the item is in it neither before nor after, or when only attributes it does not
 * project change. Reads cost one unit per started 4 KB (strongly consistent), half for eventually consistent reads.
 */
public final class CapacityModel {

    private static final int WRITE_UNIT = 1024;
    private static final int READ_UNIT = 4096;

    private CapacityModel() {
    }

    /**
     * Units by target ({@code table} for the table itself, {@code table/index} for an index) of a write that turned
     * {@code before} into {@code after} (null or empty when absent).
     */
    public static Map<String, Double> write(TableSpec table, Map<String, AttributeValue> before,
                                            Map<String, AttributeValue> after) {
        Map<String, Double> units = new LinkedHashMap<>();
        units.put(table.logicalName(), (double) writeUnits(Math.max(ItemSize.of(before), ItemSize.of(after))));
        for (IndexSpec index : table.indexes()) {
            double u = indexUnits(table, index, present(before), present(after));
            if (u > 0) {
                units.put(table.logicalName() + "/" + index.name(), u);
            }
        }
        return units;
    }

    /** A conditional write refused by its condition: charged as a write of the existing item, no index touched. */
    public static Map<String, Double> refusedWrite(TableSpec table, Map<String, AttributeValue> existing) {
        return Map.of(table.logicalName(), (double) writeUnits(ItemSize.of(existing)));
    }

    /** Read units of reading items of these total bytes in one request. */
    public static double read(int bytes, boolean consistent) {
        double units = Math.max(1, (bytes + READ_UNIT - 1) / READ_UNIT);
        return consistent ? units : units / 2;
    }

    private static double indexUnits(TableSpec table, IndexSpec index, Map<String, AttributeValue> before,
                                     Map<String, AttributeValue> after) {
        boolean inBefore = before != null && inIndex(index, before);
        boolean inAfter = after != null && inIndex(index, after);
        if (!inBefore && !inAfter) {
            return 0;
        }
        if (inBefore != inAfter) {
            return writeUnits(entrySize(table, index, inBefore ? before : after));
        }
        if (!Objects.equals(indexKey(index, before), indexKey(index, after))) {
            return writeUnits(entrySize(table, index, before)) + writeUnits(entrySize(table, index, after));
        }
        if (index.projection() == Projection.KEYS_ONLY || Objects.equals(before, after)) {
            return 0;
        }
        return writeUnits(Math.max(entrySize(table, index, before), entrySize(table, index, after)));
    }

    private static boolean inIndex(IndexSpec index, Map<String, AttributeValue> item) {
        return item.containsKey(index.partitionKey()) && index.sortKeyName().map(item::containsKey).orElse(true);
    }

    private static Map<String, AttributeValue> indexKey(IndexSpec index, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        key.put(index.partitionKey(), item.get(index.partitionKey()));
        index.sortKeyName().ifPresent(sk -> key.put(sk, item.get(sk)));
        return key;
    }

    /** The index entry: every attribute (ALL), or the table's and the index's keys (KEYS_ONLY). */
    private static int entrySize(TableSpec table, IndexSpec index, Map<String, AttributeValue> item) {
        if (index.projection() == Projection.ALL) {
            return ItemSize.of(item);
        }
        Set<String> keys = new LinkedHashSet<>();
        keys.add(table.partitionKey());
        table.sortKeyName().ifPresent(keys::add);
        keys.add(index.partitionKey());
        index.sortKeyName().ifPresent(keys::add);
        return ItemSize.of(item, keys);
    }

    private static Map<String, AttributeValue> present(Map<String, AttributeValue> item) {
        return item == null || item.isEmpty() ? null : item;
    }

    private static int writeUnits(int bytes) {
        return Math.max(1, (bytes + WRITE_UNIT - 1) / WRITE_UNIT);
    }
}

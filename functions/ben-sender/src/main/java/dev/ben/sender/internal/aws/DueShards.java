package dev.ben.sender.internal.aws;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The partition key of the {@code byDue} index: a live delivery's status and one of {@value #COUNT} shards chosen
 * by its id ({@code RETRYING#07}). A single {@code status} key would put every live delivery's two index writes
 * (created PENDING, then moved on) on two index partitions, about 1,000 writes/s each at most; sixteen shards per
 * status spread them. Readers (the sweeper, the CLI) query the shards in turn. A parked delivery is keyed by its
 * endpoint instead ({@link #parked}), outside every status shard.
 */
public final class DueShards {

    /** The item attribute holding the key. */
    public static final String ATTRIBUTE = "dueShard";
    /** Shards per status. */
    public static final int COUNT = 16;
    /** The cursor entry naming the shard a paginated read is in. */
    public static final String CURSOR = "shard";
    private static final String PARKED_PREFIX = "PARKED#";

    private DueShards() {
    }

    /** The key of a live delivery: its status shard, or its endpoint's parked key while it is parked. */
    public static String of(Delivery delivery) {
        return delivery.parked() ? parked(delivery.endpointId()) : key(delivery.status(), shard(delivery.id()));
    }

    /**
     * The key of an endpoint's parked deliveries ({@code PARKED#ep-1}): no status key, so a reader of overdue
     * deliveries never sees them, and one query lists an endpoint's backlog in due order.
     */
    public static String parked(String endpointId) {
        return PARKED_PREFIX + endpointId;
    }

    public static String key(DeliveryStatus status, int shard) {
        return String.format("%s#%02d", status.name(), shard);
    }

    /** Stable across JVMs and languages (CRC-32 of the id's UTF-8 bytes), unlike {@code String.hashCode}. */
    static int shard(String deliveryId) {
        CRC32 crc = new CRC32();
        crc.update(deliveryId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % COUNT);
    }

    /** The shard a cursor is in (0 for an empty cursor). */
    public static int shardOf(Map<String, String> cursor) {
        String shard = cursor.get(CURSOR);
        int n = shard == null ? 0 : Integer.parseInt(shard);
        if (n < 0 || n >= COUNT) {
            throw new IllegalArgumentException("cursor shard " + shard + " is not in 0.." + (COUNT - 1));
        }
        return n;
    }

    /**
     * The cursor after a page of shard {@code shard}: the same shard from its last key, else the next shard, else
     * empty (every shard read).
     */
    public static Map<String, String> next(int shard, Map<String, AttributeValue> lastKey) {
        Map<String, String> next = new LinkedHashMap<>();
        if (!lastKey.isEmpty()) {
            next.putAll(cursorOf(lastKey));
            next.put(CURSOR, Integer.toString(shard));
        } else if (shard + 1 < COUNT) {
            next.put(CURSOR, Integer.toString(shard + 1));
        }
        return next;
    }

    /** A page's last index key as a cursor (empty when it was the last page). */
    public static Map<String, String> cursorOf(Map<String, AttributeValue> lastKey) {
        Map<String, String> cursor = new LinkedHashMap<>();
        lastKey.forEach((k, v) -> cursor.put(k, v.s())); // every key of the index and table is a string
        return cursor;
    }
}

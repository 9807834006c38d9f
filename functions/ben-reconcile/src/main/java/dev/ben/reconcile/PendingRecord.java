package dev.ben.reconcile;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One of B's own records that awaits confirmation from A.
 *
 * @param entityId     A's entity id (the events' {@code entityId}: partition key, or {@code pk|sk})
 * @param tenantId     A's tenant of the entity, {@code ""} when A's rule has none (sent as {@code ?tenant=})
 * @param lastSeen     the last version (or stream sequence, for rules without a version attribute) B applied;
 *                     A's events above it are the missed ones. {@link BigInteger#ZERO} or less: none seen
 * @param pendingSince since when B has been waiting: records pending longer than the horizon are reported, not polled
 * @param position     B's resumable position of this record in its source (opaque; {@link PendingSource#page} starts
 *                     after it), saved as the cursor once this record and all before it were checked
 */
public record PendingRecord(String entityId, String tenantId, BigInteger lastSeen, Instant pendingSince,
        String position) {

    public PendingRecord {
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(pendingSince, "pendingSince");
        Objects.requireNonNull(position, "position");
        if (entityId.isBlank()) {
            throw new IllegalArgumentException("entityId must not be blank");
        }
    }

    /** A tenant-less record whose position in the source is its entity id. */
    public static PendingRecord of(String entityId, long lastVersion, Instant pendingSince) {
        return new PendingRecord(entityId, "", BigInteger.valueOf(lastVersion), pendingSince, entityId);
    }
}

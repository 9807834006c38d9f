package dev.ben.admin;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.RetryQueue;
import dev.ben.sender.internal.StoredDelivery;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Replay as the sender expects it: the delivery is taken over with a conditional write that makes it live
 * (a terminal delivery goes back to PENDING; a live one keeps its status), due now, with a fresh queue token, and
 * then its id is enqueued on the retry queue with that token — exactly what the sweeper does for a lost message.
 * The retry function then makes the next attempt; the {@code webhook-id} stays the event id, so receivers dedupe.
 *
 * <p>Attempt numbers continue (the history is kept). The schedule and max age still count from the first attempt,
 * so a replay of an exhausted delivery gets one attempt: on failure it is FAILED again with the new reason.
 *
 * <p>If the enqueue fails after the write, the delivery is live and overdue: the sweeper re-enqueues it (nothing
 * lost); the outcome says so.
 */
public final class Replayer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeliveryStore deliveries;
    private final RetryQueue queue;
    private final Clock clock;

    public Replayer(DeliveryStore deliveries, RetryQueue queue, Clock clock) {
        this.deliveries = deliveries;
        this.queue = queue;
        this.clock = clock;
    }

    /** What happened to one delivery. */
    public enum Outcome {
        /** Was terminal, now PENDING and enqueued. */
        REPLAYED,
        /** Was live (PENDING/RETRYING), now due and enqueued with a new token. */
        EXPEDITED,
        /** Skipped: not found. */
        NOT_FOUND,
        /** Skipped: its payload was not stored (too large at notify time), so it can never be sent. */
        NO_PAYLOAD,
        /** Skipped: the status did not match what the caller required (e.g. recover only FAILED). */
        SKIPPED,
        /** Skipped: it changed between the read and the conditional write (run again). */
        CHANGED,
        /** Written live but the enqueue failed: the sweeper will pick it up after its grace period. */
        ENQUEUE_FAILED;

        public boolean ok() {
            return this == REPLAYED || this == EXPEDITED;
        }
    }

    public record Result(String deliveryId, DeliveryStatus before, Outcome outcome, String detail) {
    }

    /**
     * @param onlyStatus when non-null, only deliveries in this status are replayed (others are SKIPPED)
     * @param dryRun     decide without writing
     */
    public Result replay(String deliveryId, DeliveryStatus onlyStatus, boolean dryRun) {
        Optional<StoredDelivery> found = deliveries.find(deliveryId);
        if (found.isEmpty()) {
            return new Result(deliveryId, null, Outcome.NOT_FOUND, "no such delivery");
        }
        return replay(found.get(), onlyStatus, dryRun);
    }

    public Result replay(StoredDelivery stored, DeliveryStatus onlyStatus, boolean dryRun) {
        return replayIn(stored, onlyStatus == null ? null : Set.of(onlyStatus), dryRun);
    }

    /** @param onlyStatuses when non-null, only deliveries in one of these statuses are replayed */
    public Result replayIn(StoredDelivery stored, Set<DeliveryStatus> onlyStatuses, boolean dryRun) {
        Delivery d = stored.delivery();
        if (onlyStatuses != null && !onlyStatuses.contains(d.status())) {
            return new Result(d.id(), d.status(), Outcome.SKIPPED, "status is " + d.status() + ", not "
                    + String.join(" or ", onlyStatuses.stream().map(Enum::name).sorted().toList()));
        }
        if (stored.payload() == null) {
            return new Result(d.id(), d.status(), Outcome.NO_PAYLOAD,
                    "the payload was not stored (" + d.lastError() + "); it cannot be replayed");
        }
        boolean live = !d.status().terminal();
        Outcome success = live ? Outcome.EXPEDITED : Outcome.REPLAYED;
        if (dryRun) {
            return new Result(d.id(), d.status(), success, "dry run: would " + (live ? "expedite" : "replay"));
        }
        Instant now = clock.instant();
        String token = "r" + now.toEpochMilli() + "-" + HexFormat.of().toHexDigits(RANDOM.nextInt());
        Delivery next = d.withStatus(live ? d.status() : DeliveryStatus.PENDING, d.attempts(), now,
                d.lastStatusCode(), d.lastError(), now);
        if (!deliveries.transition(stored, next, token)) {
            return new Result(d.id(), d.status(), Outcome.CHANGED, "changed meanwhile; run the command again");
        }
        try {
            queue.send(d.id(), token, Duration.ZERO);
        } catch (RuntimeException e) {
            return new Result(d.id(), d.status(), Outcome.ENQUEUE_FAILED,
                    "now " + next.status() + " and due, but the retry queue refused it (" + e.getMessage()
                            + "); the sweeper will re-enqueue it");
        }
        return new Result(d.id(), d.status(), success, (live ? "expedited" : "replayed") + ": now "
                + next.status() + ", enqueued on the retry queue");
    }
}

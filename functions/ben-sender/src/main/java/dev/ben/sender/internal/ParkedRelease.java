package dev.ben.sender.internal;

import dev.ben.core.delivery.CircuitPolicy;
import dev.ben.core.model.Circuit;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.RetrySchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sweeper's second job: deliveries parked while their endpoint's circuit was open (a row with no queue message)
 * go back to the retry queue when the endpoint can take them. Each is unparked with a conditional write that gives
 * it a new queue token (a delivery is never released twice), then enqueued; the retry function decides what becomes
 * of it (POST, park again, fail it: endpoint disabled or gone, max age passed).
 *
 * <table>
 * <caption>An endpoint's state → what one run releases, oldest first</caption>
 * <tr><th>endpoint</th><th>released</th></tr>
 * <tr><td>circuit CLOSED (changed within the max age), or disabled</td><td>its backlog: up to drain rate × sweep
 *     interval, the i-th delayed by i / drain rate (the retry function fails a disabled endpoint's)</td></tr>
 * <tr><td>OPEN or HALF_OPEN, at/after {@code retryAt}</td><td>one, at once: it carries the probe</td></tr>
 * <tr><td>OPEN or HALF_OPEN, before {@code retryAt}</td><td>those past {@code createdAt + maxAge}, at once: the
 *     retry function fails them, so nothing waits past its max age</td></tr>
 * <tr><td>CLOSED and unchanged within the max age</td><td>nothing is read (no parked delivery is that old)</td></tr>
 * </table>
 *
 * <p>Rows read count against the run's budget, which the endpoints share in rounds, a page each per round and each
 * page at most an equal share of what is left: one endpoint's backlog never starves another's release.
 */
public final class ParkedRelease {

    private static final int PAGE = 100;
    /** SQS's longest DelaySeconds. */
    private static final Duration MAX_DELAY = Duration.ofSeconds(900);

    /** What a run releases of one endpoint's parked deliveries. */
    private enum Mode { BACKLOG, PROBE_CARRIER, PAST_MAX_AGE }

    private final EndpointStore endpoints;
    private final DeliveryStore deliveries;
    private final RetryQueue queue;
    private final CircuitPolicy circuits;
    private final RetrySchedule schedule;
    private final Duration interval;
    private final int maxPerRun;
    private final Telemetry telemetry;

    /**
     * @param schedule  the global retry schedule (its max age, unless the endpoint has its own)
     * @param interval  how often the sweeper runs: a backlog's release is spread over it
     * @param maxPerRun rows read per run, shared by the endpoints
     */
    public ParkedRelease(EndpointStore endpoints, DeliveryStore deliveries, RetryQueue queue, CircuitPolicy circuits,
                         RetrySchedule schedule, Duration interval, int maxPerRun, Telemetry telemetry) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.queue = queue;
        this.circuits = circuits;
        this.schedule = schedule;
        this.interval = interval;
        this.maxPerRun = maxPerRun;
        this.telemetry = telemetry;
    }

    /** Runs one release; returns its summary (the {@code parked…} fields of the sweep's). */
    public Map<String, Object> release(Instant now) {
        Run run = new Run(now, maxPerRun);
        List<Lane> lanes = new ArrayList<>();
        endpoints.all().forEach(e -> lane(e, now).ifPresent(lanes::add));
        run.endpoints = lanes.size();
        while (!lanes.isEmpty() && run.budget > 0) {
            int share = Math.max(1, run.budget / lanes.size());
            for (Lane lane : List.copyOf(lanes)) {
                if (run.budget > 0 && !nextPageOrGiveUp(lane, Math.min(share, run.budget), run)) {
                    lanes.remove(lane);
                    finished(lane);
                }
            }
        }
        lanes.forEach(this::finished);
        telemetry.metric("parkedReleased", run.released);
        telemetry.metric("parkedProbeCarriers", run.probeCarriers);
        return run.summary(!lanes.isEmpty());
    }

    /** The endpoint's release this run, or empty when it cannot have parked deliveries. */
    private Optional<Lane> lane(Endpoint endpoint, Instant now) {
        Duration maxAge = endpoint.scheduleOr(schedule).maxAge();
        Circuit circuit = endpoint.circuit();
        if (!endpoint.enabled()) {
            return Optional.of(backlog(endpoint, maxAge));
        }
        if (circuit.closed()) {
            // parked deliveries are younger than their max age, so none are left from an opening older than that
            boolean recent = circuit.changedAt() != null && now.isBefore(circuit.changedAt().plus(maxAge));
            return recent ? Optional.of(backlog(endpoint, maxAge)) : Optional.empty();
        }
        if (now.isBefore(circuit.retryAt())) {
            return Optional.of(new Lane(endpoint, Mode.PAST_MAX_AGE, maxAge, 0, Integer.MAX_VALUE));
        }
        return Optional.of(new Lane(endpoint, Mode.PROBE_CARRIER, maxAge, 0, 1));
    }

    /** A backlog is released at the rate it may drain, one sweep interval's worth per run. */
    private Lane backlog(Endpoint endpoint, Duration maxAge) {
        int rate = backlogRate(endpoint);
        long perRun = rate == 0 ? Integer.MAX_VALUE : Math.max(1, rate * interval.toMillis() / 1000);
        return new Lane(endpoint, Mode.BACKLOG, maxAge, rate, (int) Math.min(Integer.MAX_VALUE, perRun));
    }

    /** The circuit's drain rate, or the endpoint's own limit where lower; 0 = no limit. */
    private int backlogRate(Endpoint endpoint) {
        return EndpointGate.lowerRate(endpoint.rateLimitPerSecond(), circuits.drainRatePerSecond());
    }

    /** As {@link #nextPage}; a failed read ends this endpoint's release for the run, not the others'. */
    private boolean nextPageOrGiveUp(Lane lane, int share, Run run) {
        try {
            return nextPage(lane, share, run);
        } catch (RuntimeException e) {
            // its parked deliveries stay parked: the next run reads them again
            run.budget--;
            run.errors++;
            telemetry.error("sweeper could not read parked deliveries", Map.of("endpointId", lane.endpoint.id(),
                    "error", String.valueOf(e.getMessage())));
            return false;
        }
    }

    /** Reads and releases one page of the lane; true when it has more to release. */
    private boolean nextPage(Lane lane, int share, Run run) {
        int limit = Math.min(Math.min(PAGE, share), lane.allowance);
        DeliveryStore.Page page = deliveries.parked(lane.endpoint.id(), limit, lane.cursor);
        run.budget -= Math.max(1, page.items().size()); // an empty page with a cursor still costs a read
        run.read += page.items().size();
        for (StoredDelivery stored : page.items()) {
            if (lane.mode == Mode.PAST_MAX_AGE && !stored.delivery().nextAttemptAt().isBefore(run.now)) {
                // a park never waits past the delivery's max age: from here on none has passed it
                return false;
            }
            if (lane.mode != Mode.PAST_MAX_AGE || pastMaxAge(stored, lane, run.now)) {
                release(stored, lane, run);
            }
        }
        lane.cursor = page.next();
        return !page.next().isEmpty() && lane.allowance > 0;
    }

    private static boolean pastMaxAge(StoredDelivery stored, Lane lane, Instant now) {
        return stored.delivery().createdAt().plus(lane.maxAge).isBefore(now);
    }

    /**
     * Unparks the delivery under a new queue token and enqueues it. The conditional write fails when it moved on
     * since it was read (another run released it, an operator replayed it): it is not released again.
     */
    private void release(StoredDelivery stored, Lane lane, Run run) {
        Duration delay = lane.delayOf(lane.released);
        String token = "p" + run.now.toEpochMilli() + "-" + Integer.toHexString(stored.id().hashCode());
        Delivery d = stored.delivery();
        Delivery next = d.withStatus(DeliveryStatus.RETRYING, d.attempts(), run.now.plus(delay), d.lastStatusCode(),
                d.lastError(), run.now);
        try {
            if (!deliveries.transition(stored, next, token)) {
                run.skipped++;
                return;
            }
            queue.send(stored.id(), token, delay);
            lane.released++;
            lane.allowance--;
            run.count(lane.mode);
        } catch (RuntimeException e) {
            // unparked but not enqueued: due at its delay with no message, the lost-message sweep takes it over
            run.errors++;
            telemetry.error("sweeper could not release a parked delivery", Map.of("deliveryId", stored.id(),
                    "error", String.valueOf(e.getMessage())));
        }
    }

    private void finished(Lane lane) {
        if (lane.released > 0) {
            telemetry.info("parked deliveries released", Map.of("endpointId", lane.endpoint.id(), "released",
                    String.valueOf(lane.released), "why", lane.mode.name(), "circuit",
                    lane.endpoint.circuit().state().name(), "enabled", String.valueOf(lane.endpoint.enabled())));
        }
    }

    /** One endpoint's release in a run. */
    private static final class Lane {
        final Endpoint endpoint;
        final Mode mode;
        final Duration maxAge;
        /** Releases per second a backlog is spread at; 0 = all at once. */
        final int rate;
        /** Releases still allowed this run. */
        int allowance;
        int released;
        Map<String, String> cursor = Map.of();

        Lane(Endpoint endpoint, Mode mode, Duration maxAge, int rate, int allowance) {
            this.endpoint = endpoint;
            this.mode = mode;
            this.maxAge = maxAge;
            this.rate = rate;
            this.allowance = allowance;
        }

        /** The i-th release's delay: a backlog spread at its rate, anything else at once. */
        Duration delayOf(int i) {
            if (mode != Mode.BACKLOG || rate == 0) {
                return Duration.ZERO;
            }
            Duration delay = Duration.ofMillis(i * 1000L / rate);
            return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
        }
    }

    /** One run's counters. */
    private static final class Run {
        final Instant now;
        int budget;
        int endpoints;
        int read;
        int released;
        int probeCarriers;
        int pastMaxAge;
        int skipped;
        int errors;

        Run(Instant now, int budget) {
            this.now = now;
            this.budget = budget;
        }

        void count(Mode mode) {
            released++;
            switch (mode) {
                case PROBE_CARRIER -> probeCarriers++;
                case PAST_MAX_AGE -> pastMaxAge++;
                case BACKLOG -> { }
            }
        }

        Map<String, Object> summary(boolean limited) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("parkedEndpoints", endpoints);
            summary.put("parkedRead", read);
            summary.put("parkedReleased", released);
            summary.put("parkedProbeCarriers", probeCarriers);
            summary.put("parkedPastMaxAge", pastMaxAge);
            summary.put("parkedSkipped", skipped);
            summary.put("parkedErrors", errors);
            summary.put("parkedLimited", limited);
            return summary;
        }
    }
}

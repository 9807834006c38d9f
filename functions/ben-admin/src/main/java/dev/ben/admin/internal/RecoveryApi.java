package dev.ben.admin.internal;

import dev.ben.admin.Cursor;
import dev.ben.admin.DeliveryQueries;
import dev.ben.admin.Replayer;
import dev.ben.admin.Times;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code POST …/endpoints/{endpointId}/recover}: replays the endpoint's FAILED and CANCELLED deliveries created in
 * {@code [since, until)}, newest first (the byEndpoint index), a bounded batch per call — at most {@code limit}
 * deliveries and whole pages only, stopping after the page that crosses the time budget — so a caller resumes with
 * the returned cursor and never skips one. Replayed deliveries leave FAILED, so running it again is harmless.
 */
public final class RecoveryApi {

    /** What recover sends again: failed deliveries, and those cancelled while the endpoint was disabled. */
    public static final Set<DeliveryStatus> RECOVERED = Set.of(DeliveryStatus.FAILED, DeliveryStatus.CANCELLED);
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;
    /** Well inside the function's 30 s timeout and API Gateway's 30 s integration timeout. */
    public static final Duration BUDGET = Duration.ofSeconds(10);
    private static final int PAGE = 50;
    private static final int PARALLELISM = 8;

    private final OwnedEndpoints endpoints;
    private final DeliveryQueries queries;
    private final Replayer replayer;
    private final Clock clock;

    public RecoveryApi(OwnedEndpoints endpoints, DeliveryQueries queries, Replayer replayer, Clock clock) {
        this.endpoints = endpoints;
        this.queries = queries;
        this.replayer = replayer;
        this.clock = clock;
    }

    /** One call's window and bounds. */
    private record Batch(Instant since, Instant until, int limit, Map<String, String> cursor) {
    }

    public ApiResponse recover(ApiRequest request) {
        Body body = Body.of(request, false, Set.of("since", "until", "limit", "cursor"));
        Endpoint endpoint = endpoints.of(request);
        Batch batch = batch(body);
        if (!endpoint.enabled()) {
            throw new ApiException(409, ApiException.CONFLICT, "endpoint " + endpoint.id() + " is disabled ("
                    + endpoint.disabledReason() + "): enable it first, or the replays would fail again", null);
        }
        Map<Replayer.Outcome, Integer> outcomes = new EnumMap<>(Replayer.Outcome.class);
        Map<String, String> next = run(endpoint.id(), batch, outcomes);
        return ApiResponse.json(200, result(endpoint.id(), batch, outcomes, next));
    }

    private Batch batch(Body body) {
        Instant now = clock.instant();
        Instant since = Times.parseSince(body.requiredString("since"), now);
        Instant until = body.string("until").map(u -> Times.parseSince(u, now)).orElse(now);
        if (!since.isBefore(until)) {
            throw ApiException.invalid("until", "until (" + until + ") must be after since (" + since + ")");
        }
        int limit = body.integer("limit").orElse(DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be 1 to " + MAX_LIMIT + " deliveries per call");
        }
        return new Batch(since, until, limit, Cursor.decode(body.string("cursor").orElse(null)));
    }

    /** Replays page after page; returns the cursor after the last finished page (empty when none remain). */
    private Map<String, String> run(String endpointId, Batch batch, Map<Replayer.Outcome, Integer> outcomes) {
        Instant deadline = clock.instant().plus(BUDGET);
        var filter = DeliveryQueries.Filter.anyOf(endpointId, RECOVERED, batch.since());
        Map<String, String> position = batch.cursor();
        int scanned = 0;
        try (ExecutorService workers = Executors.newFixedThreadPool(PARALLELISM, Thread.ofVirtual().factory())) {
            do {
                var page = queries.list(filter, Math.min(PAGE, batch.limit() - scanned), position);
                List<StoredDelivery> due = page.items().stream()
                        .filter(d -> d.delivery().createdAt().isBefore(batch.until())).toList();
                replayAll(workers, due).forEach(r -> outcomes.merge(r.outcome(), 1, Integer::sum));
                scanned += page.items().size();
                position = page.next();
            } while (!position.isEmpty() && scanned < batch.limit() && clock.instant().isBefore(deadline));
        }
        return position;
    }

    private List<Replayer.Result> replayAll(ExecutorService workers, List<StoredDelivery> deliveries) {
        List<Future<Replayer.Result>> futures = new ArrayList<>();
        for (StoredDelivery d : deliveries) {
            futures.add(workers.submit(() -> replayer.replayIn(d, RECOVERED, false)));
        }
        List<Replayer.Result> results = new ArrayList<>();
        for (Future<Replayer.Result> f : futures) {
            results.add(join(f));
        }
        return results;
    }

    private static Replayer.Result join(Future<Replayer.Result> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static Map<String, Object> result(String endpointId, Batch batch, Map<Replayer.Outcome, Integer> outcomes,
                                              Map<String, String> next) {
        int replayed = outcomes.entrySet().stream().filter(e -> e.getKey().ok()).mapToInt(Map.Entry::getValue).sum();
        int failed = outcomes.entrySet().stream().filter(e -> !e.getKey().ok() && e.getKey() != Replayer.Outcome.SKIPPED)
                .mapToInt(Map.Entry::getValue).sum();
        Map<String, Integer> byOutcome = new LinkedHashMap<>();
        outcomes.forEach((k, v) -> byOutcome.put(k.name(), v));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("endpointId", endpointId);
        view.put("since", batch.since().toString());
        view.put("until", batch.until().toString());
        view.put("replayed", replayed);
        view.put("scanned", outcomes.values().stream().mapToInt(Integer::intValue).sum());
        view.put("failed", failed);
        view.put("outcomes", byOutcome);
        view.put("cursor", next.isEmpty() ? null : Cursor.encode(next));
        view.put("done", next.isEmpty());
        return view;
    }
}

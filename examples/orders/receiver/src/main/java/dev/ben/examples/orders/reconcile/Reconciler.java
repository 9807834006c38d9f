package dev.ben.examples.orders.reconcile;

import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.store.ApplyOutcome;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.OrderStore;
import dev.ben.examples.orders.store.OrderStore.PendingScan;
import dev.ben.receiver.kit.Disposition;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookResponse;
import dev.ben.receiver.kit.WebhookResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes B converge with A when notifications were lost: B's orders still PENDING after {@code pendingAfter} are
 * looked up at A's status API, and A's truth goes through the same idempotent, version-guarded apply as the
 * webhook. Bounded ({@code maxPerRun}), paginated, and tolerant of A being down (errors, next run retries).
 */
public final class Reconciler {

    /** Consecutive unreachable lookups after which the run stops asking A. */
    static final int MAX_CONSECUTIVE_UNREACHABLE = 3;

    private final OrderStore orders;
    private final StatusApi statusApi;
    private final IdempotentExecutor executor;
    private final ScanCursor cursor;
    private final Settings settings;
    private final Clock clock;
    private final JsonLines log;

    /**
     * @param pendingAfter how long an order may stay PENDING at B before A is asked
     * @param maxPerRun    most orders checked per run
     * @param pageSize     index query page size
     */
    public record Settings(Duration pendingAfter, int maxPerRun, int pageSize) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(15), 500, 100);

        public Settings {
            if (maxPerRun < 1 || pageSize < 1) {
                throw new IllegalArgumentException("maxPerRun and pageSize must be >= 1");
            }
        }
    }

    public Reconciler(OrderStore orders, StatusApi statusApi, IdempotentExecutor executor, ScanCursor cursor,
            Settings settings, Clock clock, JsonLines log) {
        this.orders = Objects.requireNonNull(orders, "orders");
        this.statusApi = Objects.requireNonNull(statusApi, "statusApi");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.cursor = Objects.requireNonNull(cursor, "cursor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    public ReconcileSummary run() {
        Instant cutoff = clock.instant().minus(settings.pendingAfter());
        Optional<OrderState> start = cursor.load();
        PendingScan scan = orders.pendingBefore(cutoff, settings.maxPerRun(), settings.pageSize(), start);
        List<OrderState> batch = new ArrayList<>(scan.orders());
        int pages = scan.pages();
        boolean more = scan.truncated();
        if (!more && start.isPresent() && batch.size() < settings.maxPerRun()) {
            // reached the end after resuming: go round from the oldest with the rest of the budget
            Set<String> taken = new HashSet<>();
            batch.forEach(order -> taken.add(order.orderId()));
            PendingScan wrapped = orders.pendingBefore(cutoff, settings.maxPerRun() - batch.size(),
                    settings.pageSize(), Optional.empty());
            wrapped.orders().stream().filter(order -> taken.add(order.orderId())).forEach(batch::add);
            pages += wrapped.pages();
            more = wrapped.truncated();
        }
        int checked = 0;
        int fixed = 0;
        int stillPending = 0;
        int alreadyCurrent = 0;
        int errors = 0;
        int unreachableInARow = 0;
        boolean aborted = false;
        OrderState last = null;
        for (OrderState ours : batch) {
            if (unreachableInARow >= MAX_CONSECUTIVE_UNREACHABLE) {
                aborted = true;
                break;
            }
            checked++;
            last = ours;
            StatusApi.Lookup lookup = statusApi.order(ours.orderId());
            unreachableInARow = lookup instanceof StatusApi.Lookup.Failed failed && failed.unreachable()
                    ? unreachableInARow + 1 : 0;
            switch (lookup) {
                case StatusApi.Lookup.Failed failed -> {
                    errors++;
                    log.log("WARN", "status lookup failed", Map.of("orderId", ours.orderId(), "reason", failed.reason()));
                }
                case StatusApi.Lookup.NotFound notFound -> {
                    // A's status API knows entities only through their events: none yet, nothing to apply
                    stillPending++;
                    log.log("INFO", "no events of the order at A yet", Map.of("orderId", ours.orderId()));
                }
                case StatusApi.Lookup.Found found -> {
                    OrderState truth = found.state();
                    if (truth.version() <= ours.version() || truth.pending()) {
                        stillPending++;
                        continue;
                    }
                    switch (applyIdempotently(truth)) {
                        case APPLIED -> fixed++;
                        case STALE -> alreadyCurrent++;
                        case null -> errors++;
                    }
                }
            }
        }
        boolean remaining = more || aborted;
        if (aborted) {
            // resume where A stopped answering: the failed ones are retried first next run
            cursor.save(Optional.ofNullable(checked > MAX_CONSECUTIVE_UNREACHABLE
                    ? batch.get(checked - MAX_CONSECUTIVE_UNREACHABLE - 1) : null).or(() -> start));
        } else {
            cursor.save(remaining && last != null ? Optional.of(last) : Optional.empty());
        }
        return new ReconcileSummary(checked, fixed, stillPending, alreadyCurrent, errors, pages, remaining, aborted);
    }

    /** The apply outcome, or {@code null} when it failed or is held by a concurrent run (retried next run). */
    private ApplyOutcome applyIdempotently(OrderState truth) {
        AtomicReference<ApplyOutcome> outcome = new AtomicReference<>();
        String key = "reconcile:" + truth.orderId() + ":v" + truth.version();
        WebhookResult result = executor.execute(key, () -> {
            outcome.set(orders.apply(truth));
            return WebhookResponse.ok("{\"result\":\"" + outcome.get().name().toLowerCase(java.util.Locale.ROOT) + "\"}");
        });
        if (result.disposition() == Disposition.EXECUTED) {
            return outcome.get();
        }
        if (result.disposition() == Disposition.REPLAYED) {
            return ApplyOutcome.STALE;
        }
        log.log("WARN", "reconcile apply not done", Map.of("orderId", truth.orderId(),
                "disposition", result.disposition().name(), "statusCode", result.response().statusCode()));
        return null;
    }
}

package dev.ben.reconcile;

import dev.ben.core.observability.JsonLog;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookHandler;
import dev.ben.receiver.kit.WebhookMessage;
import dev.ben.receiver.kit.WebhookResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * B's compensation: for B's own pending records ({@link PendingSource}), asks A's status API for the entity's
 * events and runs each missed one through B's own {@link WebhookHandler}, under the event's own id and body, through
 * the same {@link IdempotentExecutor} (same table, same scope) as the webhook. So an event reconcile applied is a
 * replay when its webhook arrives late, and an event the webhook applied is a replay for reconcile: one effect.
 *
 * <table>
 * <caption>Per pending record</caption>
 * <tr><th>situation</th><th>counted</th><th>then</th></tr>
 * <tr><td>pending since before now − horizon</td><td>{@code pastHorizon} (metric, alarm)</td>
 *     <td>not looked up; B should settle it (cancel, escalate)</td></tr>
 * <tr><td>A lists events above {@link PendingRecord#lastSeen}</td><td>{@code applied} / {@code replayed}
 *     per event, oldest first</td><td>a failing event (handler 4xx/5xx, in progress, payload mismatch) stops that
 *     record's later events: {@code errors}</td></tr>
 * <tr><td>A lists nothing newer</td><td>{@code upToDate}</td><td>—</td></tr>
 * <tr><td>A answers 404</td><td>{@code notFound}</td><td>—</td></tr>
 * <tr><td>A unreachable / 5xx / unusable</td><td>{@code errors}</td><td>after {@link Settings#maxUnreachableInARow}
 *     unreachable lookups in a row the run stops and the cursor stays before the first of them</td></tr>
 * </table>
 *
 * <p>A run reads the source page by page from the saved cursor, looks records up in parallel (at most
 * {@link Settings#parallelism} at a time), stops submitting when the invocation's remaining time falls to
 * {@link Settings#reserve}, and saves the cursor after every page: successive runs go forward and no record is checked
 * twice before every record was checked once. At the end of the source the cursor is cleared (next round).
 */
public final class Reconciler {

    private final PendingSource source;
    private final StatusApi statusApi;
    private final IdempotentExecutor executor;
    private final WebhookHandler handler;
    private final CursorStore cursor;
    private final Settings settings;
    private final Clock clock;
    private final JsonLog log;

    /**
     * @param pageSize              records read from the source per page
     * @param parallelism           most status API lookups in flight at once
     * @param horizon               records pending longer than this are reported, not polled
     * @param reserve               time kept back at the end of an invocation (in-flight lookups, saving the cursor)
     * @param maxUnreachableInARow  unreachable lookups in a row after which A counts as down and the run stops
     */
    public record Settings(int pageSize, int parallelism, Duration horizon, Duration reserve,
            int maxUnreachableInARow) {
        public static final Settings DEFAULTS = new Settings(50, 8, Duration.ofDays(7), Duration.ofSeconds(10), 3);

        public Settings {
            if (pageSize < 1 || parallelism < 1 || maxUnreachableInARow < 1) {
                throw new IllegalArgumentException("pageSize, parallelism and maxUnreachableInARow must be >= 1");
            }
            if (horizon.isNegative() || horizon.isZero() || reserve.isNegative()) {
                throw new IllegalArgumentException("horizon must be positive and reserve not negative");
            }
        }
    }

    public Reconciler(PendingSource source, StatusApi statusApi, IdempotentExecutor executor, WebhookHandler handler,
            CursorStore cursor, Settings settings, Clock clock, JsonLog log) {
        this.source = Objects.requireNonNull(source, "source");
        this.statusApi = Objects.requireNonNull(statusApi, "statusApi");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.cursor = Objects.requireNonNull(cursor, "cursor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** One run, bounded by {@code remaining} (e.g. the Lambda context's remaining time). */
    public ReconcileSummary run(Supplier<Duration> remaining) {
        Run run = new Run(clock.instant().minus(settings.horizon()));
        Optional<String> after = cursor.load();
        try (ExecutorService lookups = Executors.newFixedThreadPool(settings.parallelism())) {
            while (true) {
                if (outOfTime(remaining)) {
                    return run.summary(ReconcileSummary.Stop.TIME);
                }
                PendingSource.Page page;
                try {
                    page = source.page(after, settings.pageSize());
                } catch (RuntimeException e) {
                    log.warn("pending source failed", Map.of("error", e.toString()));
                    run.errors.incrementAndGet();
                    return run.summary(ReconcileSummary.Stop.SOURCE_FAILED);
                }
                run.pages++;
                List<Outcome> outcomes = checkPage(page.records(), lookups, remaining, run);
                Optional<String> pageStart = after;
                for (int i = 0; i < outcomes.size(); i++) {
                    run.track(outcomes.get(i), i == 0 ? pageStart : Optional.of(page.records().get(i - 1).position()));
                }
                if (!outcomes.isEmpty()) {
                    after = Optional.of(page.records().get(outcomes.size() - 1).position());
                }
                if (run.down.get()) {
                    // resume before the first of the unreachable lookups in a row: they are retried first next run
                    run.beforeStreak.ifPresentOrElse(cursor::save, cursor::clear);
                    return run.summary(ReconcileSummary.Stop.STATUS_API_DOWN);
                }
                if (!outcomes.isEmpty()) {
                    cursor.save(after.get());
                }
                if (outcomes.size() < page.records().size()) {
                    return run.summary(ReconcileSummary.Stop.TIME);
                }
                if (!page.more()) {
                    cursor.clear();
                    return run.summary(ReconcileSummary.Stop.END_OF_ROUND);
                }
            }
        }
    }

    /** Checks the page's records in parallel, from its start until time or A runs out; their outcomes in order. */
    private List<Outcome> checkPage(List<PendingRecord> records, ExecutorService lookups, Supplier<Duration> remaining,
            Run run) {
        List<Future<Outcome>> submitted = new ArrayList<>();
        Semaphore slots = new Semaphore(settings.parallelism());
        for (PendingRecord record : records) {
            // wait for a free slot first, so that the time check is made when the lookup would really start
            slots.acquireUninterruptibly();
            if (run.down.get() || outOfTime(remaining)) {
                slots.release();
                break;
            }
            submitted.add(lookups.submit(() -> {
                try {
                    return checkSafely(record, run);
                } finally {
                    slots.release();
                }
            }));
        }
        return submitted.stream().map(Reconciler::await).toList();
    }

    private enum Outcome { DONE, UNREACHABLE }

    private Outcome checkSafely(PendingRecord record, Run run) {
        try {
            return check(record, run);
        } catch (RuntimeException e) {
            run.errors.incrementAndGet();
            log.warn("reconcile check failed", Map.of("entityId", record.entityId(), "error", e.toString()));
            return Outcome.DONE;
        }
    }

    private Outcome check(PendingRecord record, Run run) {
        if (record.pendingSince().isBefore(run.horizonCutoff)) {
            run.pastHorizon.incrementAndGet();
            log.warn("pending past the horizon: not polled", Map.of("entityId", record.entityId(),
                    "pendingSince", record.pendingSince().toString(), "horizon", settings.horizon().toString()));
            return Outcome.DONE;
        }
        run.checked.incrementAndGet();
        StatusApi.Lookup lookup = statusApi.events(record.entityId(), record.tenantId());
        if (lookup instanceof StatusApi.Lookup.Failed failed && failed.unreachable()) {
            if (run.unreachableInARow.incrementAndGet() >= settings.maxUnreachableInARow()) {
                run.down.set(true);
            }
        } else {
            run.unreachableInARow.set(0);
        }
        switch (lookup) {
            case StatusApi.Lookup.Failed failed -> {
                run.errors.incrementAndGet();
                log.warn("status lookup failed", Map.of("entityId", record.entityId(), "reason", failed.reason()));
                return failed.unreachable() ? Outcome.UNREACHABLE : Outcome.DONE;
            }
            case StatusApi.Lookup.NotFound notFound -> run.notFound.incrementAndGet();
            case StatusApi.Lookup.Found found -> apply(record, found.events(), run);
        }
        return Outcome.DONE;
    }

    private void apply(PendingRecord record, List<StatusEvent> events, Run run) {
        List<StatusEvent> missed = events.stream().filter(e -> e.position().compareTo(record.lastSeen()) > 0)
                .sorted(Comparator.comparing(StatusEvent::position).thenComparing(StatusEvent::createdAt)).toList();
        if (missed.isEmpty()) {
            run.upToDate.incrementAndGet();
            return;
        }
        for (StatusEvent event : missed) {
            byte[] body = event.payloadBytes();
            WebhookResult result = executor.execute(event.eventId(), body,
                    () -> handler.handle(new WebhookMessage(event.eventId(), clock.instant(), body)));
            switch (result.disposition()) {
                case EXECUTED -> {
                    if (!result.response().successful()) {
                        failed(record, event, result, run);
                        return;
                    }
                    run.applied.incrementAndGet();
                }
                case REPLAYED -> run.replayed.incrementAndGet();
                case FAILED, IN_PROGRESS, PAYLOAD_MISMATCH, REJECTED -> {
                    failed(record, event, result, run);
                    return;
                }
            }
        }
    }

    private void failed(PendingRecord record, StatusEvent event, WebhookResult result, Run run) {
        run.errors.incrementAndGet();
        log.warn("reconcile apply not done", Map.of("entityId", record.entityId(), "eventId", event.eventId(),
                "disposition", result.disposition().name(), "statusCode", result.response().statusCode()));
    }

    private boolean outOfTime(Supplier<Duration> remaining) {
        return remaining.get().compareTo(settings.reserve()) <= 0;
    }

    private static Outcome await(Future<Outcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.UNREACHABLE;
        } catch (ExecutionException e) {
            throw new IllegalStateException("reconcile check failed", e.getCause());
        }
    }

    /** Counters of one run (shared by the parallel lookups). */
    private static final class Run {
        final Instant horizonCutoff;
        final AtomicInteger checked = new AtomicInteger();
        final AtomicInteger applied = new AtomicInteger();
        final AtomicInteger replayed = new AtomicInteger();
        final AtomicInteger upToDate = new AtomicInteger();
        final AtomicInteger notFound = new AtomicInteger();
        final AtomicInteger pastHorizon = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger unreachableInARow = new AtomicInteger();
        final AtomicBoolean down = new AtomicBoolean();
        int pages;
        /** In source order: the cursor position before the current streak of unreachable lookups. */
        Optional<String> beforeStreak = Optional.empty();
        int streak;

        Run(Instant horizonCutoff) {
            this.horizonCutoff = horizonCutoff;
        }

        void track(Outcome outcome, Optional<String> positionBefore) {
            if (outcome != Outcome.UNREACHABLE) {
                streak = 0;
                return;
            }
            if (streak++ == 0) {
                beforeStreak = positionBefore;
            }
        }

        ReconcileSummary summary(ReconcileSummary.Stop stop) {
            return new ReconcileSummary(checked.get(), applied.get(), replayed.get(), upToDate.get(), notFound.get(),
                    pastHorizon.get(), errors.get(), pages, stop);
        }
    }
}

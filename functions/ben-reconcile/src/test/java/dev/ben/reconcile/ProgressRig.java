package dev.ben.reconcile;

import dev.ben.core.observability.JsonLog;
import dev.ben.local.stack.LocalAws;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookHandler;
import dev.ben.receiver.kit.WebhookResponse;
import dev.ben.settings.BenSettings;
import dev.ben.settings.TableSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Successive bounded reconcile runs over {@code n} pending records against a {@link DelayingStatusApiServer}, with
 * the idempotency records and the cursor on the local stack (dynalite). Every tenth record has a missed event (run
 * through the handler once); the others are up to date. Shared by {@code ReconcileProgressIT} and the benchmark.
 */
final class ProgressRig {

    static final BenSettings TABLES = new BenSettings(List.of(
            new TableSpec("idempotency", "IDEMPOTENCY_TABLE", "id", "", "", "expiresAt", List.of(), List.of())),
            List.of(), List.of());

    /** One run's figures. */
    record RunFigures(int run, ReconcileSummary summary, long millis, Optional<String> cursorAfter,
            int distinctSoFar) {
    }

    final List<PendingRecord> records = new ArrayList<>();
    final AtomicInteger effects = new AtomicInteger();
    private final DelayingStatusApiServer server;
    private final Reconciler reconciler;
    private final CursorStore cursor;

    ProgressRig(LocalAws aws, String prefix, int n, Duration latency, int parallelism, int pageSize)
            throws IOException {
        String table = aws.provision(TABLES, prefix).tableName("idempotency");
        Instant since = Instant.now().minusSeconds(600);
        for (int i = 0; i < n; i++) {
            records.add(PendingRecord.of(String.format("rec-%05d", i), 1, since));
        }
        server = new DelayingStatusApiServer(latency, id -> DelayingStatusApiServer.oneEvent(id,
                Integer.parseInt(id.substring(4)) % 10 == 0 ? 2 : 1));
        IdempotentExecutor executor = IdempotentExecutor.builder().dynamoDb(aws.dynamoDb(), table).scope("progress")
                .build();
        cursor = CursorStore.dynamoDb(aws.dynamoDb(), table, "progress");
        WebhookHandler handler = message -> {
            effects.incrementAndGet();
            return WebhookResponse.noContent();
        };
        PendingSource source = (after, limit) -> {
            int start = after.map(p -> Integer.parseInt(p.substring(4)) + 1).orElse(0);
            int end = Math.min(records.size(), start + limit);
            return new PendingSource.Page(records.subList(start, end), end < records.size());
        };
        reconciler = new Reconciler(source, HttpStatusApi.create(server.uri(),
                RequestAuthorizer.bearer(DelayingStatusApiServer.TOKEN)), executor, handler, cursor,
                new Reconciler.Settings(pageSize, parallelism, Duration.ofDays(7), Duration.ofMillis(200), 3),
                Clock.systemUTC(), new JsonLog("reconcile", Clock.systemUTC(), line -> { }));
    }

    /** Runs, each bounded by {@code budget}, until one round is complete and one more run has started the next. */
    List<RunFigures> runUntilOneRoundAndOneMore(Duration budget, int maxRuns) {
        List<RunFigures> figures = new ArrayList<>();
        boolean roundDone = false;
        for (int run = 1; run <= maxRuns; run++) {
            Instant end = Instant.now().plus(budget);
            long started = System.nanoTime();
            ReconcileSummary summary = reconciler.run(() -> Duration.between(Instant.now(), end));
            long millis = (System.nanoTime() - started) / 1_000_000;
            figures.add(new RunFigures(run, summary, millis, cursor.load(),
                    (int) server.asked.stream().distinct().count()));
            if (roundDone) {
                break;
            }
            roundDone = summary.stop() == ReconcileSummary.Stop.END_OF_ROUND;
        }
        return figures;
    }

    List<String> asked() {
        return server.asked;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    void close() {
        server.close();
    }
}

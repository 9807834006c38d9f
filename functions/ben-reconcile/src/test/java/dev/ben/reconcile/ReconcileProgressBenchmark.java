package dev.ben.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Not a test (runs only when named: {@code -Dit.test=ReconcileProgressBenchmark}). 2,000 pending records (by
 * default), a status API answering after 300 ms, runs bounded to a budget: prints each run's figures, the number of
 * runs a round takes, and the load average. Sizes: -Dbench.records (2000), -Dbench.latencyMs (300),
 * -Dbench.parallelism (8), -Dbench.pageSize (50), -Dbench.budgetSeconds (10).
 */
@ExtendWith(LocalAwsExtension.class)
class ReconcileProgressBenchmark {

    private static final int RECORDS = Integer.getInteger("bench.records", 2000);
    private static final int LATENCY_MS = Integer.getInteger("bench.latencyMs", 300);
    private static final int PARALLELISM = Integer.getInteger("bench.parallelism", 8);
    private static final int PAGE_SIZE = Integer.getInteger("bench.pageSize", 50);
    private static final int BUDGET_SECONDS = Integer.getInteger("bench.budgetSeconds", 10);

    @Test
    void progress(LocalAws aws) throws Exception {
        String loadBefore = ProgressRig.loadAverage();
        ProgressRig rig = new ProgressRig(aws, "bench" + UUID.randomUUID().toString().substring(0, 6) + "-", RECORDS,
                Duration.ofMillis(LATENCY_MS), PARALLELISM, PAGE_SIZE);
        try {
            long started = System.nanoTime();
            List<ProgressRig.RunFigures> runs = rig.runUntilOneRoundAndOneMore(Duration.ofSeconds(BUDGET_SECONDS),
                    10_000);
            long totalMillis = (System.nanoTime() - started) / 1_000_000;

            System.out.printf("Reconcile progress benchmark: %d pending records, status API latency %d ms, parallelism"
                    + " %d, page %d, budget %d s per run, reserve 200 ms, %d cores%n", RECORDS, LATENCY_MS, PARALLELISM,
                    PAGE_SIZE, BUDGET_SECONDS, Runtime.getRuntime().availableProcessors());
            System.out.printf("%4s %8s %8s %8s %9s %14s %12s %10s%n", "run", "checked", "applied", "replayed", "ms",
                    "stop", "cursor", "distinct");
            for (ProgressRig.RunFigures r : runs) {
                System.out.printf("%4d %8d %8d %8d %9d %14s %12s %10d%n", r.run(), r.summary().checked(),
                        r.summary().applied(), r.summary().replayed(), r.millis(), r.summary().stop(),
                        r.cursorAfter().orElse("-"), r.distinctSoFar());
            }
            List<String> asked = rig.asked();
            boolean noRepeat = asked.subList(0, RECORDS).stream().distinct().count() == RECORDS;
            int roundRuns = runs.size() - 1;
            double perSecond = RECORDS * 1000.0 / runs.subList(0, roundRuns).stream().mapToLong(r -> r.millis()).sum();
            System.out.printf("round of %d records in %d runs; first %d lookups all distinct: %s; next round starts"
                    + " with %s; %.1f records/s while running (ideal %d/%.1f s = %.1f/s); effects %d; total %d ms%n",
                    RECORDS, roundRuns, RECORDS, noRepeat, asked.subList(RECORDS, RECORDS + Math.min(PARALLELISM, asked.size() - RECORDS)), perSecond, PARALLELISM,
                    LATENCY_MS / 1000.0, PARALLELISM * 1000.0 / LATENCY_MS, rig.effects.get(), totalMillis);
            System.out.printf("load average before: %s; after: %s%n", loadBefore, ProgressRig.loadAverage());
            assertThat(noRepeat).isTrue();
        } finally {
            rig.close();
        }
    }
}

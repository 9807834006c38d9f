package dev.ben.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ben.cli.statuspage.StatusPageServer;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Figures for docs/operations.md (not assertions on time): recover throughput and status page snapshot time on
 * the local stack. Run: {@code ./mvnw -B -o -q -pl cli -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=CliBenchmarkIT -Dfailsafe.failIfNoSpecifiedTests=false -Dben.benchmark=true}
 */
@ExtendWith(LocalAwsExtension.class)
class CliBenchmarkIT {

    private static final int DELIVERIES = 500;

    @Test
    void recoverThroughput_andStatusPageSnapshotTime(LocalAws aws) throws Exception {
        assumeTrue(Boolean.getBoolean("ben.benchmark"), "benchmark: run with -Dben.benchmark=true");
        try (CliHarness ben = new CliHarness(aws)) {
            run(ben);
        }
    }

    private static void run(CliHarness ben) throws Exception {
        ben.endpoint("ep_bench", "http://127.0.0.1:9/x", "order.paid");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (var pool = Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<?>> seeded = new ArrayList<>();
            for (int i = 0; i < DELIVERIES; i++) {
                int n = i;
                seeded.add(pool.submit(() -> ben.delivery("evt_b" + n, "ep_bench", "order.paid", DeliveryStatus.FAILED,
                        now.minusSeconds(n), 1)));
            }
            for (var f : seeded) {
                f.get();
            }
        }

        long t0 = System.nanoTime();
        var run = ben.run("recover", "--endpoint", "ep_bench", "--since", "1d", "--limit", Integer.toString(DELIVERIES),
                "-o", "json");
        Duration recover = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(run.json().get("outcomes").get("REPLAYED").asInt()).as(run.toString()).isEqualTo(DELIVERIES);

        List<Long> snapshotMs = new ArrayList<>();
        try (StatusPageServer page = StatusPageServer.start(ben.environment(), 0)) {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 6; i++) {
                long s0 = System.nanoTime();
                var response = http.send(HttpRequest.newBuilder(page.uri().resolve("/api/snapshot")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                snapshotMs.add(Duration.ofNanos(System.nanoTime() - s0).toMillis());
            }
        }
        snapshotMs.removeFirst(); // warm-up
        snapshotMs.sort(Long::compare);
        System.out.printf("BENCHMARK cli recover: %d FAILED deliveries replayed in %d ms = %.0f deliveries/s%n",
                DELIVERIES, recover.toMillis(), DELIVERIES * 1000.0 / recover.toMillis());
        System.out.printf("BENCHMARK status page /api/snapshot with %d deliveries (60 timelines): median %d ms, "
                + "max %d ms over %d requests%n", DELIVERIES, snapshotMs.get(snapshotMs.size() / 2),
                snapshotMs.getLast(), snapshotMs.size());
    }
}

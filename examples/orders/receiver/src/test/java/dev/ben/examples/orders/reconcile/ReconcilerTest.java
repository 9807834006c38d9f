package dev.ben.examples.orders.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.RecordingOrderStore;
import dev.ben.receiver.kit.IdempotencyStore;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final Instant NOW = Instant.parse("2026-11-29T23:00:00Z");
    private static final String OLD = "2026-11-29T22:00:00Z";

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final RecordingOrderStore orders = new RecordingOrderStore();
    private final Map<String, StatusApi.Lookup> answers = new HashMap<>();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final MemoryCursor cursor = new MemoryCursor();

    private Reconciler reconciler(int maxPerRun) {
        IdempotentExecutor executor = IdempotentExecutor.builder().store(new CompletedKeys()).clock(clock).build();
        StatusApi statusApi = orderId -> answers.getOrDefault(orderId,
                new StatusApi.Lookup.Failed("connection refused", true));
        return new Reconciler(orders, statusApi, executor, cursor,
                new Reconciler.Settings(Duration.ofMinutes(15), maxPerRun, 2), clock,
                new JsonLines(new PrintStream(logs), clock, "reconcile"));
    }

    private void pending(String id, long version, String updatedAt) {
        orders.orders.put(id, new OrderState(id, "PENDING", version, updatedAt));
    }

    @Test
    void run_appliesTruthForOrdersPaidAtA_andCountsStillPending() {
        pending("o-1", 1, OLD);
        pending("o-2", 1, OLD);
        pending("o-recent", 1, "2026-11-29T22:50:00Z");
        answers.put("o-1", new StatusApi.Lookup.Found(new OrderState("o-1", "PAID", 2, "2026-11-29T22:01:00Z")));
        answers.put("o-2", new StatusApi.Lookup.Found(new OrderState("o-2", "PENDING", 1, OLD)));

        ReconcileSummary summary = reconciler(100).run();

        assertThat(summary.checked()).isEqualTo(2);
        assertThat(summary.fixed()).isEqualTo(1);
        assertThat(summary.stillPending()).isEqualTo(1);
        assertThat(summary.errors()).isZero();
        assertThat(orders.orders.get("o-1").status()).isEqualTo("PAID");
        assertThat(orders.orders.get("o-recent").status()).isEqualTo("PENDING");
    }

    @Test
    void run_noEventsAtA_countsStillPendingAndLeavesOrder() {
        pending("o-1", 1, OLD);
        answers.put("o-1", new StatusApi.Lookup.NotFound("o-1"));

        ReconcileSummary summary = reconciler(100).run();

        assertThat(summary.errors()).isZero();
        assertThat(summary.stillPending()).isEqualTo(1);
        assertThat(orders.orders.get("o-1").status()).isEqualTo("PENDING");
        assertThat(logs.toString()).contains("no events of the order at A yet");
    }

    @Test
    void run_statusApiDown_stopsAfterConsecutiveFailuresAndReportsErrors() {
        for (int i = 0; i < 10; i++) {
            pending("o-" + i, 1, OLD);
        }

        ReconcileSummary summary = reconciler(100).run();

        assertThat(summary.checked()).isEqualTo(Reconciler.MAX_CONSECUTIVE_UNREACHABLE);
        assertThat(summary.errors()).isEqualTo(Reconciler.MAX_CONSECUTIVE_UNREACHABLE);
        assertThat(summary.abortedEarly()).isTrue();
        assertThat(summary.truncated()).isTrue();
        assertThat(orders.orders.values()).allMatch(OrderState::pending);
    }

    @Test
    void run_isBoundedByMaxPerRun() {
        for (int i = 0; i < 5; i++) {
            pending("o-" + i, 1, OLD);
            answers.put("o-" + i, new StatusApi.Lookup.Found(new OrderState("o-" + i, "PAID", 2, OLD)));
        }

        ReconcileSummary summary = reconciler(3).run();

        assertThat(summary.checked()).isEqualTo(3);
        assertThat(summary.fixed()).isEqualTo(3);
        assertThat(summary.truncated()).isTrue();
        assertThat(orders.orders.values().stream().filter(OrderState::pending)).hasSize(2);
    }

    @Test
    void successiveRuns_goRoundAllPendingOrders_insteadOfRecheckingTheOldest() {
        for (int i = 0; i < 6; i++) {
            pending("o-" + i, 1, "2026-11-29T22:0" + i + ":00Z");
            answers.put("o-" + i, new StatusApi.Lookup.Found(new OrderState("o-" + i, "PENDING", 1, OLD)));
        }
        java.util.List<String> asked = new java.util.ArrayList<>();
        StatusApi recording = id -> {
            asked.add(id);
            return answers.get(id);
        };
        Reconciler reconciler = new Reconciler(orders, recording,
                IdempotentExecutor.builder().store(new CompletedKeys()).clock(clock).build(), cursor,
                new Reconciler.Settings(Duration.ofMinutes(15), 4, 2), clock,
                new JsonLines(new PrintStream(logs), clock, "reconcile"));

        reconciler.run();
        java.util.List<String> first = java.util.List.copyOf(asked);
        asked.clear();
        reconciler.run();
        java.util.List<String> second = java.util.List.copyOf(asked);
        asked.clear();
        reconciler.run();

        assertThat(first).containsExactly("o-0", "o-1", "o-2", "o-3");
        assertThat(second).containsExactly("o-4", "o-5", "o-0", "o-1");
        assertThat(asked).containsExactly("o-2", "o-3", "o-4", "o-5");
    }

    @Test
    void statusApiDownMidRun_nextRunResumesAtTheFirstFailure() {
        for (int i = 0; i < 8; i++) {
            pending("o-" + i, 1, "2026-11-29T22:0" + i + ":00Z");
        }
        answers.put("o-0", new StatusApi.Lookup.Found(new OrderState("o-0", "PENDING", 1, OLD)));
        answers.put("o-1", new StatusApi.Lookup.Found(new OrderState("o-1", "PENDING", 1, OLD)));

        ReconcileSummary summary = reconciler(100).run();

        assertThat(summary.checked()).isEqualTo(5);
        assertThat(summary.abortedEarly()).isTrue();
        assertThat(cursor.position).get().extracting(OrderState::orderId).isEqualTo("o-1");
    }

    private static final class MemoryCursor implements ScanCursor {
        java.util.Optional<OrderState> position = java.util.Optional.empty();

        @Override
        public java.util.Optional<OrderState> load() {
            return position;
        }

        @Override
        public void save(java.util.Optional<OrderState> next) {
            position = next;
        }
    }

    /** Idempotency store that only remembers completed keys (enough for sequential unit tests). */
    private static final class CompletedKeys implements IdempotencyStore {
        private final Set<String> seen = new HashSet<>();

        @Override
        public BeginOutcome begin(String key, String token, Instant now, Instant until, Instant expiresAt) {
            return seen.add(key) ? new BeginOutcome.Acquired()
                    : new BeginOutcome.Completed(WebhookResponse.ok("{}"));
        }

        @Override
        public boolean complete(String key, String token, WebhookResponse response, Instant now, Instant expiresAt) {
            return true;
        }

        @Override
        public void release(String key, String token) {
            seen.remove(key);
        }
    }
}

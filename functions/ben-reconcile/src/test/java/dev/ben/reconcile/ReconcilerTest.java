package dev.ben.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.observability.JsonLog;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.receiver.kit.Disposition;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookHandler;
import dev.ben.receiver.kit.WebhookMessage;
import dev.ben.receiver.kit.WebhookReceiver;
import dev.ben.receiver.kit.WebhookResponse;
import dev.ben.receiver.kit.WebhookResult;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ReconcilerTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final IdempotentExecutor executor = IdempotentExecutor.builder().scope("b").store(new MemoryStore())
            .clock(clock).build();
    private final List<String> effects = new CopyOnWriteArrayList<>();
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final CursorStore cursor = CursorStore.inMemory();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final Map<String, StatusApi.Lookup> answers = new HashMap<>();

    /** B's handler: the effect is recorded per event id and body, so a double run shows. */
    private final WebhookHandler handler = message -> {
        effects.add(message.id() + ":" + message.bodyAsString());
        return WebhookResponse.ok("{}");
    };

    private final StatusApi statusApi = (entityId, tenantId) -> {
        asked.add(entityId + (tenantId.isEmpty() ? "" : "@" + tenantId));
        return answers.getOrDefault(entityId, new StatusApi.Lookup.NotFound());
    };

    private static StatusEvent event(String id, long version) {
        return new StatusEvent(id, "x.changed", Optional.of(BigInteger.valueOf(version)), Optional.empty(),
                NOW.minusSeconds(60), "{\"id\":\"" + id + "\",\"version\":" + version + "}");
    }

    private static PendingSource source(List<PendingRecord> records) {
        return (after, limit) -> {
            int start = after.map(p -> indexOf(records, p) + 1).orElse(0);
            int end = Math.min(records.size(), start + limit);
            return new PendingSource.Page(records.subList(start, end), end < records.size());
        };
    }

    private static int indexOf(List<PendingRecord> records, String position) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).position().equals(position)) {
                return i;
            }
        }
        throw new IllegalArgumentException(position);
    }

    private static List<PendingRecord> records(int n) {
        List<PendingRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(PendingRecord.of(String.format("e-%03d", i), 1, NOW.minusSeconds(3600)));
        }
        return out;
    }

    private Reconciler reconciler(PendingSource source, Reconciler.Settings settings) {
        return new Reconciler(source, statusApi, executor, handler, cursor, settings, clock,
                new JsonLog("reconcile", clock, logs::add));
    }

    private static Reconciler.Settings settings(int pageSize, int parallelism) {
        return new Reconciler.Settings(pageSize, parallelism, Duration.ofDays(7), Duration.ofSeconds(10), 3);
    }

    private static Supplier<Duration> plenty() {
        return () -> Duration.ofMinutes(5);
    }

    @Test
    void run_missedEventsAboveLastSeen_goThroughTheHandlerOldestFirst_underTheirOwnIdsAndBodies() {
        answers.put("e-000", new StatusApi.Lookup.Found(List.of(event("evt_c", 4), event("evt_b", 3),
                event("evt_a", 1))));

        ReconcileSummary summary = reconciler(source(records(1)), settings(10, 1)).run(plenty());

        assertThat(effects).containsExactly("evt_b:{\"id\":\"evt_b\",\"version\":3}",
                "evt_c:{\"id\":\"evt_c\",\"version\":4}");
        assertThat(summary.applied()).isEqualTo(2);
        assertThat(summary.checked()).isEqualTo(1);
        assertThat(summary.stop()).isEqualTo(ReconcileSummary.Stop.END_OF_ROUND);
    }

    @Test
    void lateWebhookAfterReconcile_isAReplay_andReconcileAfterTheWebhook_too_oneEffectEach() {
        WebhookSecret secret = WebhookSecret.generate();
        WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded()).executor(executor).build();
        StatusEvent reconciled = event("evt_late", 2);
        StatusEvent webhookFirst = event("evt_first", 2);
        answers.put("e-000", new StatusApi.Lookup.Found(List.of(reconciled)));
        answers.put("e-001", new StatusApi.Lookup.Found(List.of(webhookFirst)));
        WebhookResult early = receiver.handle(WebhookSigner.of(secret).sign(webhookFirst.eventId(),
                webhookFirst.payload()).asMap(), webhookFirst.payloadBytes(), handler);

        ReconcileSummary summary = reconciler(source(records(2)), settings(10, 2)).run(plenty());
        WebhookResult late = receiver.handle(WebhookSigner.of(secret).sign(reconciled.eventId(),
                reconciled.payload()).asMap(), reconciled.payloadBytes(), handler);

        assertThat(early.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(summary.applied()).isEqualTo(1);
        assertThat(summary.replayed()).isEqualTo(1);
        assertThat(late.disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(effects).hasSize(2).containsExactlyInAnyOrder(
                "evt_first:" + webhookFirst.payload(), "evt_late:" + reconciled.payload());
    }

    @Test
    void aWebhookBodyDifferentFromAsPayload_isAPayloadMismatch_countedAsError_notApplied() {
        StatusEvent event = event("evt_1", 2);
        answers.put("e-000", new StatusApi.Lookup.Found(List.of(event)));
        executor.execute("evt_1", "{\"other\":true}".getBytes(StandardCharsets.UTF_8), () -> handler.handle(
                new WebhookMessage("evt_1", NOW, "{\"other\":true}".getBytes(StandardCharsets.UTF_8))));

        ReconcileSummary summary = reconciler(source(records(1)), settings(10, 1)).run(plenty());

        assertThat(summary.errors()).isEqualTo(1);
        assertThat(summary.applied()).isZero();
        assertThat(effects).hasSize(1);
        assertThat(logs).anySatisfy(line -> assertThat(line).contains("PAYLOAD_MISMATCH"));
    }

    @Test
    void nothingNewerThanLastSeen_isUpToDate_and404IsNotFound_nothingRuns() {
        answers.put("e-000", new StatusApi.Lookup.Found(List.of(event("evt_1", 1))));

        ReconcileSummary summary = reconciler(source(records(2)), settings(10, 1)).run(plenty());

        assertThat(summary.upToDate()).isEqualTo(1);
        assertThat(summary.notFound()).isEqualTo(1);
        assertThat(effects).isEmpty();
    }

    @Test
    void statusApiDown_runStopsAfterThreeUnreachableInARow_cursorStaysBeforeTheFirst_nextRunRetriesThem() {
        List<PendingRecord> records = records(10);
        for (int i = 3; i < 10; i++) {
            answers.put(records.get(i).entityId(), new StatusApi.Lookup.Failed("status API unreachable", true));
        }

        ReconcileSummary down = reconciler(source(records), settings(2, 1)).run(plenty());
        Optional<String> saved = cursor.load();
        answers.clear();
        asked.clear();
        ReconcileSummary recovered = reconciler(source(records), settings(2, 1)).run(plenty());

        assertThat(down.stop()).isEqualTo(ReconcileSummary.Stop.STATUS_API_DOWN);
        assertThat(down.checked()).isEqualTo(6);
        assertThat(down.errors()).isEqualTo(3);
        assertThat(saved).contains("e-002");
        assertThat(asked).first().isEqualTo("e-003");
        assertThat(recovered.stop()).isEqualTo(ReconcileSummary.Stop.END_OF_ROUND);
        assertThat(recovered.checked()).isEqualTo(7);
    }

    @Test
    void anIsolatedUnreachableLookup_isAnError_butTheRunGoesOn() {
        List<PendingRecord> records = records(5);
        answers.put("e-001", new StatusApi.Lookup.Failed("status API answered 503", true));

        ReconcileSummary summary = reconciler(source(records), settings(10, 1)).run(plenty());

        assertThat(summary.stop()).isEqualTo(ReconcileSummary.Stop.END_OF_ROUND);
        assertThat(summary.checked()).isEqualTo(5);
        assertThat(summary.errors()).isEqualTo(1);
    }

    @Test
    void recordsPendingPastTheHorizon_areReported_notPolled() {
        List<PendingRecord> records = List.of(PendingRecord.of("old", 1, NOW.minus(Duration.ofDays(8))),
                PendingRecord.of("young", 1, NOW.minus(Duration.ofDays(6))));

        ReconcileSummary summary = reconciler(source(records), settings(10, 1)).run(plenty());

        assertThat(summary.pastHorizon()).isEqualTo(1);
        assertThat(asked).containsExactly("young");
        assertThat(logs).anySatisfy(line -> assertThat(line).contains("past the horizon").contains("old"));
    }

    @Test
    void runsCutByTime_saveTheCursorAsTheyGo_successiveRunsMoveForward_noRecordTwiceBeforeAllOnce() {
        List<PendingRecord> records = records(25);
        AtomicInteger budget = new AtomicInteger();
        Supplier<Duration> remaining = () -> budget.getAndDecrement() > 0 ? Duration.ofMinutes(1) : Duration.ZERO;
        List<ReconcileSummary> runs = new ArrayList<>();

        for (int run = 0; run < 6; run++) {
            budget.set(10); // room for 7 checks per run
            runs.add(reconciler(source(records), settings(3, 1)).run(remaining));
        }

        List<String> firstRound = asked.subList(0, 25);
        assertThat(firstRound).doesNotHaveDuplicates().hasSize(25);
        assertThat(runs).allSatisfy(r -> assertThat(r.checked()).isPositive());
        assertThat(runs.subList(0, 3)).allSatisfy(r -> assertThat(r.stop()).isEqualTo(ReconcileSummary.Stop.TIME));
        assertThat(runs).anySatisfy(r -> assertThat(r.stop()).isEqualTo(ReconcileSummary.Stop.END_OF_ROUND));
        assertThat(asked.get(25)).isEqualTo("e-000");
    }

    @Test
    void parallelLookups_neverExceedTheCap() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        StatusApi slow = (entityId, tenantId) -> {
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return new StatusApi.Lookup.NotFound();
        };
        Reconciler reconciler = new Reconciler(source(records(60)), slow, executor, handler, cursor,
                settings(30, 4), clock, new JsonLog("reconcile", clock, logs::add));

        ReconcileSummary summary = reconciler.run(plenty());

        assertThat(summary.notFound()).isEqualTo(60);
        assertThat(peak.get()).isBetween(2, 4);
    }

    @Test
    void pendingSourceFailing_endsTheRun_reported() {
        PendingSource broken = (after, limit) -> {
            throw new IllegalStateException("table gone");
        };

        ReconcileSummary summary = reconciler(broken, settings(10, 1)).run(plenty());

        assertThat(summary.stop()).isEqualTo(ReconcileSummary.Stop.SOURCE_FAILED);
        assertThat(summary.errors()).isEqualTo(1);
    }

    @Test
    void tenantOfTheRecord_isAskedFor() {
        PendingRecord record = new PendingRecord("e-1", "t-9", BigInteger.ONE, NOW, "e-1");

        reconciler(source(List.of(record)), settings(10, 1)).run(plenty());

        assertThat(asked).containsExactly("e-1@t-9");
    }

    @Test
    void handlerAnswering4xx_isAnErrorForTheRecord_laterEventsOfItWait() {
        answers.put("e-000", new StatusApi.Lookup.Found(List.of(event("evt_2", 3), event("evt_1", 2))));
        WebhookHandler refusing = message -> WebhookResponse.json(422, "{\"error\":\"no\"}");
        Reconciler reconciler = new Reconciler(source(records(1)), statusApi, executor, refusing, cursor,
                settings(10, 1), clock, new JsonLog("reconcile", clock, logs::add));

        ReconcileSummary summary = reconciler.run(plenty());

        assertThat(summary.errors()).isEqualTo(1);
        assertThat(summary.applied()).isZero();
        assertThat(logs).anySatisfy(line -> assertThat(line).contains("evt_1").contains("422"));
    }

}

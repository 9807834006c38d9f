package dev.ben.receiver.kit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class IdempotentExecutorTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T23:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final IdempotentExecutor executor = IdempotentExecutor.builder().store(store)
            .inProgressExpiry(Duration.ofSeconds(30)).retention(Duration.ofDays(7)).clock(clock).build();
    private final AtomicInteger runs = new AtomicInteger();

    private WebhookResponse effect() {
        runs.incrementAndGet();
        return WebhookResponse.ok("{\"applied\":true}");
    }

    @Test
    void execute_firstTime_runsAndStoresResponse() {
        WebhookResult result = executor.execute("evt_1", this::effect);

        assertThat(result.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(result.response().statusCode()).isEqualTo(200);
        assertThat(store.rows.get("evt_1").status()).isEqualTo("COMPLETED");
        assertThat(runs).hasValue(1);
    }

    @Test
    void execute_duplicateAfterCompletion_replaysStoredResponseWithoutRunning() {
        executor.execute("evt_1", this::effect);

        WebhookResult again = executor.execute("evt_1", this::effect);

        assertThat(again.disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(again.response().body()).isEqualTo("{\"applied\":true}");
        assertThat(again.response().headers()).containsEntry("idempotent-replayed", "true");
        assertThat(runs).hasValue(1);
    }

    @Test
    void execute_afterRetentionExpired_runsAgain() {
        executor.execute("evt_1", this::effect);
        clock.advance(Duration.ofDays(7).plusSeconds(1));

        assertThat(executor.execute("evt_1", this::effect).disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(runs).hasValue(2);
    }

    @Test
    void execute_duplicateWhileInProgress_answers409WithRetryAfter() {
        WebhookResult[] inner = new WebhookResult[1];

        executor.execute("evt_1", () -> {
            clock.advance(Duration.ofSeconds(10));
            inner[0] = executor.execute("evt_1", this::effect);
            return WebhookResponse.noContent();
        });

        assertThat(inner[0].disposition()).isEqualTo(Disposition.IN_PROGRESS);
        assertThat(inner[0].response().statusCode()).isEqualTo(409);
        assertThat(inner[0].response().headers()).containsEntry("retry-after", "20");
        assertThat(runs).hasValue(0);
    }

    @Test
    void execute_handlerThrows_releasesSoRetryRunsAgain() {
        WebhookResult failed = executor.execute("evt_1", () -> {
            throw new IllegalStateException("database down");
        });

        assertThat(failed.disposition()).isEqualTo(Disposition.FAILED);
        assertThat(failed.response().statusCode()).isEqualTo(500);
        assertThat(failed.response().body()).doesNotContain("database down");
        assertThat(store.rows).doesNotContainKey("evt_1");
        assertThat(executor.execute("evt_1", this::effect).disposition()).isEqualTo(Disposition.EXECUTED);
    }

    @Test
    void execute_handlerReturns5xx_notStoredAndRetryRunsAgain() {
        WebhookResult failed = executor.execute("evt_1", () -> WebhookResponse.json(503, "{}"));

        assertThat(failed.disposition()).isEqualTo(Disposition.FAILED);
        assertThat(failed.response().statusCode()).isEqualTo(503);
        assertThat(executor.execute("evt_1", this::effect).disposition()).isEqualTo(Disposition.EXECUTED);
    }

    @Test
    void execute_handler4xx_isFinalAndReplayed() {
        executor.execute("evt_1", () -> WebhookResponse.json(422, "{\"error\":\"unknown order\"}"));

        WebhookResult again = executor.execute("evt_1", this::effect);

        assertThat(again.disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(again.response().statusCode()).isEqualTo(422);
        assertThat(runs).hasValue(0);
    }

    @Test
    void execute_crashedAttempt_isTakenOverAfterInProgressExpiry() {
        store.begin("evt_1", "crashed-token", clock.instant(), clock.instant().plusSeconds(30),
                clock.instant().plus(Duration.ofDays(7)));

        assertThat(executor.execute("evt_1", this::effect).disposition()).isEqualTo(Disposition.IN_PROGRESS);
        clock.advance(Duration.ofSeconds(31));
        assertThat(executor.execute("evt_1", this::effect).disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(runs).hasValue(1);
    }

    @Test
    void execute_storeUnavailable_answers503AndDoesNotRun() {
        store.failBegin = SdkClientException.create("connection refused");

        WebhookResult result = executor.execute("evt_1", this::effect);

        assertThat(result.disposition()).isEqualTo(Disposition.FAILED);
        assertThat(result.response().statusCode()).isEqualTo(503);
        assertThat(result.response().headers()).containsKey("retry-after");
        assertThat(runs).hasValue(0);
    }
}

package dev.ben.receiver.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class IdempotentExecutorTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T23:00:00Z"));
    private final InMemoryStore store = new InMemoryStore();
    private final IdempotentExecutor executor = IdempotentExecutor.builder().scope("test").store(store)
            .inProgressExpiry(Duration.ofSeconds(30)).retention(Duration.ofDays(7)).clock(clock).build();
    private final AtomicInteger runs = new AtomicInteger();
    private final Logger log = Logger.getLogger(IdempotentExecutor.class.getName());
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureWarnings() {
        log.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        log.removeHandler(capture);
    }

    /** The warnings the executor logged, with their parameters filled in. */
    private List<String> warningTexts() {
        return warnings.stream().map(r -> MessageFormat.format(r.getMessage(), r.getParameters())).toList();
    }

    private WebhookResponse effect() {
        runs.incrementAndGet();
        return WebhookResponse.ok("{\"applied\":true}");
    }

    @Test
    void execute_firstTime_runsAndStoresResponse() {
        WebhookResult result = executor.execute("evt_1", this::effect);

        assertThat(result.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(result.response().statusCode()).isEqualTo(200);
        assertThat(store.rows.get("test#evt_1").status()).isEqualTo("COMPLETED");
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
        assertThat(store.rows).doesNotContainKey("test#evt_1");
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
    void execute_handler4xx_byDefault_isAnsweredButNotStored_soTheNextDeliveryRunsAgain() {
        WebhookResult first = executor.execute("evt_1", () -> WebhookResponse.json(422, "{\"error\":\"unknown\"}"));

        WebhookResult again = executor.execute("evt_1", this::effect);

        assertThat(first.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(first.response().statusCode()).isEqualTo(422);
        assertThat(again.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(runs).hasValue(1);
        assertThat(store.rows.get("test#evt_1").status()).isEqualTo("COMPLETED");
    }

    @Test
    void execute_handler4xx_withClientErrorRetention_isReplayedWithinIt_andRunsAgainAfter() {
        IdempotentExecutor briefly = IdempotentExecutor.builder().scope("test").store(store)
                .clientErrorRetention(Duration.ofMinutes(5)).clock(clock).build();
        briefly.execute("evt_1", () -> WebhookResponse.json(422, "{\"error\":\"unknown\"}"));

        WebhookResult within = briefly.execute("evt_1", this::effect);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        WebhookResult after = briefly.execute("evt_1", this::effect);

        assertThat(within.disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(within.response().statusCode()).isEqualTo(422);
        assertThat(after.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(runs).hasValue(1);
    }

    @Test
    void builder_clientErrorRetentionLongerThanRetention_isRefused() {
        assertThatThrownBy(() -> IdempotentExecutor.builder().scope("test").store(store)
                .retention(Duration.ofDays(1)).clientErrorRetention(Duration.ofDays(2)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientErrorRetention");
    }

    @Test
    void execute_twoScopesOnOneStore_bothRun_eachOnce() {
        IdempotentExecutor other = IdempotentExecutor.builder().scope("other").store(store).clock(clock).build();

        executor.execute("evt_1", this::effect);
        WebhookResult second = other.execute("evt_1", this::effect);
        executor.execute("evt_1", this::effect);
        other.execute("evt_1", this::effect);

        assertThat(second.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(runs).hasValue(2);
        assertThat(store.rows).containsOnlyKeys("test#evt_1", "other#evt_1");
    }

    @Test
    void execute_samePayload_replays_anotherPayload_isAMismatch_completedOrInProgress() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] other = "{\"a\":2}".getBytes(StandardCharsets.UTF_8);
        WebhookResult[] inner = new WebhookResult[1];
        executor.execute("evt_1", body, () -> {
            inner[0] = executor.execute("evt_1", other, this::effect);
            return effect();
        });

        WebhookResult same = executor.execute("evt_1", body, this::effect);
        WebhookResult mismatch = executor.execute("evt_1", other, this::effect);
        WebhookResult unchecked = executor.execute("evt_1", this::effect);

        assertThat(inner[0].disposition()).isEqualTo(Disposition.PAYLOAD_MISMATCH);
        assertThat(same.disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(mismatch.disposition()).isEqualTo(Disposition.PAYLOAD_MISMATCH);
        assertThat(mismatch.response().statusCode()).isEqualTo(422);
        assertThat(mismatch.response().body()).contains("payload_mismatch").contains("evt_1");
        assertThat(unchecked.disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(runs).hasValue(1);
    }

    @Test
    void execute_bodyOver64KiB_answeredInFull_storedAsLengthAndHash_replayedWithStatusAndHeaders() {
        String large = "x".repeat(IdempotentExecutor.MAX_STORED_BODY_BYTES + 1);
        String atCap = "y".repeat(IdempotentExecutor.MAX_STORED_BODY_BYTES);
        WebhookResult first = executor.execute("evt_1", () -> WebhookResponse.json(200, large).withHeader("x-b", "1"));
        executor.execute("evt_2", () -> WebhookResponse.json(200, atCap));

        WebhookResult replay = executor.execute("evt_1", this::effect);
        WebhookResult replayAtCap = executor.execute("evt_2", this::effect);

        assertThat(first.response().body()).isEqualTo(large);
        assertThat(replay.disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(replay.response().statusCode()).isEqualTo(200);
        assertThat(replay.response().body()).isEmpty();
        assertThat(replay.response().headers()).containsEntry("x-b", "1")
                .containsEntry("content-type", "application/json")
                .containsEntry(IdempotentExecutor.BODY_OMITTED_HEADER, Integer.toString(large.length()))
                .containsKey(IdempotentExecutor.BODY_SHA256_HEADER);
        assertThat(replayAtCap.response().body()).isEqualTo(atCap);
        assertThat(replayAtCap.response().headers()).doesNotContainKey(IdempotentExecutor.BODY_OMITTED_HEADER);
        assertThat(runs).hasValue(0);
    }

    @Test
    void builder_withoutScope_isRefused_andAMalformedScopeToo() {
        assertThatThrownBy(() -> IdempotentExecutor.builder().store(store).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scope(");
        assertThatThrownBy(() -> IdempotentExecutor.builder().scope("a#b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void execute_crashedAttempt_isTakenOverAfterInProgressExpiry() {
        store.begin("test#evt_1", "", "crashed-token", clock.instant(), clock.instant().plusSeconds(30),
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

    @Test
    void execute_handlerAnswersExactly500_isNotStoredAndTheRetryRunsAgain() {
        WebhookResult failed = executor.execute("evt_1", () -> WebhookResponse.json(500, "{\"error\":\"boom\"}"));

        WebhookResult retry = executor.execute("evt_1", this::effect);

        assertThat(failed.disposition()).isEqualTo(Disposition.FAILED);
        assertThat(failed.response().statusCode()).isEqualTo(500);
        assertThat(retry.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(retry.response().body()).isEqualTo("{\"applied\":true}");
        assertThat(runs).hasValue(1);
    }

    @Test
    void execute_handlerAnswers499Or400_isAClientError_notStored_and399IsStored() {
        executor.execute("evt_1", () -> WebhookResponse.json(499, "{}"));
        executor.execute("evt_2", () -> WebhookResponse.json(400, "{}"));
        executor.execute("evt_3", () -> WebhookResponse.json(399, "{}"));

        assertThat(store.rows).containsOnlyKeys("test#evt_3");
        assertThat(executor.execute("evt_3", this::effect).disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(runs).hasValue(0);
    }

    @Test
    void execute_storeDownWhileRecordingCompletion_answersWithTheEffect_andWarns() {
        store.failComplete = SdkClientException.create("throttled");

        WebhookResult result = executor.execute("evt_1", this::effect);

        assertThat(result.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(result.response().body()).isEqualTo("{\"applied\":true}");
        assertThat(warningTexts()).singleElement().asString()
                .contains("could not record completion of test#evt_1").contains("throttled");
    }

    @Test
    void execute_leaseTakenOverBeforeCompletion_answersWithTheEffect_andWarnsToRaiseTheExpiry() {
        WebhookResult result = executor.execute("evt_1", () -> {
            clock.advance(Duration.ofSeconds(31));
            executor.execute("evt_1", () -> WebhookResponse.json(202, "{\"second\":true}"));
            return effect();
        });

        assertThat(result.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(result.response().body()).isEqualTo("{\"applied\":true}");
        assertThat(store.rows.get("test#evt_1").response().statusCode()).isEqualTo(202);
        assertThat(warningTexts()).singleElement().asString()
                .contains("lease on test#evt_1 expired before completion").contains("raise inProgressExpiry");
    }

    @Test
    void execute_completedNormally_logsNoWarning() {
        executor.execute("evt_1", this::effect);

        assertThat(warnings).isEmpty();
    }

    @Test
    void execute_storeUnavailable_warnsWithTheKey() {
        store.failBegin = SdkClientException.create("connection refused");

        executor.execute("evt_1", this::effect);

        assertThat(warningTexts()).singleElement().asString()
                .contains("idempotency store unavailable for test#evt_1").contains("connection refused");
    }

    @Test
    void execute_handlerThrows_warnsThatTheKeyWasReleased() {
        executor.execute("evt_1", () -> {
            throw new IllegalStateException("database down");
        });

        assertThat(warningTexts()).singleElement().asString()
                .contains("handler failed for test#evt_1").contains("released for retry").contains("database down");
    }

    @Test
    void execute_releaseFails_answersFailed_andTheClaimBlocksUntilItsLeaseExpires() {
        store.failRelease = SdkClientException.create("network down");

        WebhookResult failed = executor.execute("evt_1", () -> WebhookResponse.json(503, "{}"));
        store.failRelease = null;
        WebhookResult duringLease = executor.execute("evt_1", this::effect);
        clock.advance(Duration.ofSeconds(31));
        WebhookResult afterLease = executor.execute("evt_1", this::effect);

        assertThat(failed.disposition()).isEqualTo(Disposition.FAILED);
        assertThat(failed.response().statusCode()).isEqualTo(503);
        assertThat(warningTexts()).singleElement().asString().contains("could not release test#evt_1")
                .contains("network down");
        assertThat(duringLease.disposition()).isEqualTo(Disposition.IN_PROGRESS);
        assertThat(afterLease.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(runs).hasValue(1);
    }

    @Test
    void execute_inProgressRetryAfter_roundsUpToWholeSeconds_atLeastOne() {
        store.begin("test#evt_1", "", "other", clock.instant(), clock.instant().plusMillis(29_001),
                clock.instant().plus(Duration.ofDays(7)));
        store.begin("test#evt_2", "", "other", clock.instant(), clock.instant().plusMillis(1),
                clock.instant().plus(Duration.ofDays(7)));

        WebhookResult first = executor.execute("evt_1", this::effect);
        WebhookResult second = executor.execute("evt_2", this::effect);

        assertThat(first.response().headers()).containsEntry("retry-after", "30");
        assertThat(first.response().body()).contains("evt_1").contains("in_progress");
        assertThat(second.response().headers()).containsEntry("retry-after", "1");
    }

    @Test
    void build_retentionNotLongerThanTheInProgressLease_isRefused() {
        IdempotentExecutor.Builder builder = IdempotentExecutor.builder().scope("test").store(store)
                .inProgressExpiry(Duration.ofMinutes(5)).retention(Duration.ofMinutes(5));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention must be longer than inProgressExpiry");
        assertThat(builder.retention(Duration.ofMinutes(5).plusSeconds(1)).build()).isNotNull();
    }

    @Test
    void build_nonPositiveLeaseOrNoStore_isRefused() {
        assertThatThrownBy(() -> IdempotentExecutor.builder().scope("test").store(store).inProgressExpiry(Duration.ZERO).build())
                .hasMessageContaining("inProgressExpiry must be positive");
        assertThatThrownBy(() -> IdempotentExecutor.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dynamoDb(client, table)");
    }
}

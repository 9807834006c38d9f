package dev.ben.receiver.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.webhooks.SignedHeaders;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.core.webhooks.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

class WebhookReceiverTest {

    private static final byte[] BODY = "{\"type\":\"order.paid\"}".getBytes(StandardCharsets.UTF_8);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T23:00:00Z"));
    private final WebhookSecret secret = WebhookSecret.generate();
    private final WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded())
            .executor(IdempotentExecutor.builder().scope("test").store(new InMemoryStore()).clock(clock).build())
            .clock(clock).build();
    private final AtomicInteger runs = new AtomicInteger();

    private Map<String, String> signed(Instant at) {
        SignedHeaders headers = WebhookSigner.of(List.of(secret)).sign("evt_1", at, BODY);
        return new HashMap<>(headers.asMap());
    }

    private Map<String, String> signedBody(Instant at, byte[] body) {
        return new HashMap<>(WebhookSigner.of(List.of(secret)).sign("evt_1", at, body).asMap());
    }

    private WebhookResponse count(WebhookMessage message) {
        runs.incrementAndGet();
        assertThat(message.id()).isEqualTo("evt_1");
        assertThat(message.body()).isEqualTo(BODY);
        return WebhookResponse.noContent();
    }

    @Test
    void handle_validSignature_runsHandlerOnceAndReplaysDuplicate() {
        WebhookResult first = receiver.handle(signed(clock.instant()), BODY, this::count);
        WebhookResult second = receiver.handle(signed(clock.instant()), BODY, this::count);

        assertThat(first.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(second.disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(second.response().statusCode()).isEqualTo(204);
        assertThat(runs).hasValue(1);
    }

    @Test
    void handle_missingHeader_400WithReasonAndHandlerNotRun() {
        Map<String, String> headers = signed(clock.instant());
        headers.remove("webhook-timestamp");

        WebhookResult result = receiver.handle(headers, BODY, this::count);

        assertThat(result.disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(result.response().statusCode()).isEqualTo(400);
        assertThat(result.response().body()).contains("\"error\":\"missing_header\"").contains("webhook-timestamp");
        assertThat(runs).hasValue(0);
    }

    @Test
    void handle_staleTimestamp_401WithReason() {
        WebhookResult result = receiver.handle(signed(clock.instant().minus(Duration.ofMinutes(6))), BODY, this::count);

        assertThat(result.response().statusCode()).isEqualTo(401);
        assertThat(result.response().body()).contains("\"error\":\"stale_timestamp\"");
        assertThat(runs).hasValue(0);
    }

    @Test
    void handle_tamperedBody_401NoMatchingSignature() {
        WebhookResult result = receiver.handle(signed(clock.instant()), "{\"type\":\"order.refunded\"}"
                .getBytes(StandardCharsets.UTF_8), this::count);

        assertThat(result.response().statusCode()).isEqualTo(401);
        assertThat(result.response().body()).contains("no_matching_signature");
        assertThat(runs).hasValue(0);
    }

    /** A DynamoDB client that accepts every write and records it (the IT runs the real conditions). */
    private static final class RecordingDynamoDb implements DynamoDbClient {
        final List<PutItemRequest> puts = new CopyOnWriteArrayList<>();
        final List<UpdateItemRequest> updates = new CopyOnWriteArrayList<>();

        @Override
        public PutItemResponse putItem(PutItemRequest request) {
            puts.add(request);
            return PutItemResponse.builder().build();
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            updates.add(request);
            return UpdateItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void builder_idempotencyTable_claimsInThatTable_withTheConfiguredLeaseAndRetention() {
        RecordingDynamoDb dynamoDb = new RecordingDynamoDb();
        WebhookReceiver onDynamoDb = WebhookReceiver.builder().secrets(secret.encoded()).scope("fulfilment")
                .idempotencyTable(dynamoDb, "receiver-idempotency").inProgressExpiry(Duration.ofSeconds(45))
                .retention(Duration.ofDays(2)).clock(clock).build();

        WebhookResult result = onDynamoDb.handle(signed(clock.instant()), BODY, this::count);

        assertThat(result.disposition()).isEqualTo(Disposition.EXECUTED);
        assertThat(dynamoDb.puts).singleElement().satisfies(put -> {
            assertThat(put.tableName()).isEqualTo("receiver-idempotency");
            assertThat(put.item().get("id").s()).isEqualTo("fulfilment#evt_1");
            assertThat(put.item().get("payloadHash").s()).isEqualTo(IdempotentExecutor.payloadHash(BODY));
            assertThat(put.item().get("inProgressUntil").n())
                    .isEqualTo(Long.toString(clock.instant().plusSeconds(45).toEpochMilli()));
            assertThat(put.item().get("expiresAt").n())
                    .isEqualTo(Long.toString(clock.instant().plus(Duration.ofDays(2)).getEpochSecond()));
        });
        assertThat(dynamoDb.updates).singleElement().satisfies(update -> assertThat(
                update.expressionAttributeValues().get(":exp").n())
                .isEqualTo(Long.toString(clock.instant().plus(Duration.ofDays(2)).getEpochSecond())));
    }

    @Test
    void builder_idempotencyTableWithoutScope_isRefused_namingScope() {
        assertThatThrownBy(() -> WebhookReceiver.builder().secrets(secret.encoded())
                .idempotencyTable(new RecordingDynamoDb(), "receiver-idempotency").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scope(");
    }

    @Test
    void handle_sameWebhookIdWithAnotherBody_isRejected422_andTheHandlerDoesNotRun() {
        receiver.handle(signed(clock.instant()), BODY, this::count);
        byte[] other = "{\"type\":\"x\",\"n\":2}".getBytes(StandardCharsets.UTF_8);

        WebhookResult result = receiver.handle(signedBody(clock.instant(), other), other, this::count);

        assertThat(result.disposition()).isEqualTo(Disposition.PAYLOAD_MISMATCH);
        assertThat(result.response().statusCode()).isEqualTo(422);
        assertThat(result.response().body()).contains("payload_mismatch");
        assertThat(receiver.handle(signed(clock.instant()), BODY, this::count).disposition())
                .isEqualTo(Disposition.REPLAYED);
    }

    @Test
    void builder_withoutIdempotencyTableOrExecutor_isRefused() {
        assertThatThrownBy(() -> WebhookReceiver.builder().secrets(secret.encoded()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("idempotencyTable(client, table)");
    }

    @Test
    void builder_secretList_acceptsEverySecretOfARotation() {
        WebhookSecret next = WebhookSecret.generate();
        WebhookReceiver rotating = WebhookReceiver.builder().secretList(" " + next.encoded() + ", " + secret.encoded())
                .executor(IdempotentExecutor.builder().scope("test").store(new InMemoryStore()).clock(clock).build())
                .clock(clock).build();
        SignedHeaders byNext = WebhookSigner.of(List.of(next)).sign("evt_2", clock.instant(), BODY);

        assertThat(rotating.handle(signed(clock.instant()), BODY, this::count).disposition())
                .isEqualTo(Disposition.EXECUTED);
        assertThat(rotating.handle(new HashMap<>(byNext.asMap()), BODY, m -> WebhookResponse.noContent())
                .disposition()).isEqualTo(Disposition.EXECUTED);
    }

    @Test
    void builder_tolerance_isHonoured() {
        WebhookReceiver tight = WebhookReceiver.builder().secrets(secret.encoded()).tolerance(Duration.ofSeconds(30))
                .executor(IdempotentExecutor.builder().scope("test").store(new InMemoryStore()).clock(clock).build())
                .clock(clock).build();

        WebhookResult result = tight.handle(signed(clock.instant().minusSeconds(31)), BODY, this::count);

        assertThat(result.response().body()).contains("stale_timestamp");
        assertThat(runs).hasValue(0);
    }

    @Test
    void builder_verifier_replacesSecretsAndTolerance() {
        WebhookSecret other = WebhookSecret.generate();
        WebhookReceiver withVerifier = WebhookReceiver.builder().secrets(secret.encoded())
                .verifier(WebhookVerifier.builder().secrets(List.of(other)).clock(clock).build())
                .executor(IdempotentExecutor.builder().scope("test").store(new InMemoryStore()).clock(clock).build()).build();

        WebhookResult result = withVerifier.handle(signed(clock.instant()), BODY, this::count);

        assertThat(result.response().body()).contains("no_matching_signature");
    }

    @Test
    void executor_isTheOneRequestsRunThrough() {
        IdempotentExecutor executor = IdempotentExecutor.builder().scope("test").store(new InMemoryStore()).clock(clock).build();
        WebhookReceiver withExecutor = WebhookReceiver.builder().secrets(secret.encoded()).executor(executor)
                .clock(clock).build();
        withExecutor.executor().execute("evt_1", WebhookResponse::noContent);

        WebhookResult delivered = withExecutor.handle(signed(clock.instant()), BODY, this::count);

        assertThat(withExecutor.executor()).isSameAs(executor);
        assertThat(delivered.disposition()).isEqualTo(Disposition.REPLAYED);
        assertThat(runs).hasValue(0);
    }

    @Test
    void handle_passesTheSignedBodyToTheHandlerAsText() {
        StringBuilder seen = new StringBuilder();

        receiver.handle(signed(clock.instant()), BODY, message -> {
            seen.append(message.bodyAsString());
            return WebhookResponse.noContent();
        });

        assertThat(seen).hasToString("{\"type\":\"order.paid\"}");
    }
}

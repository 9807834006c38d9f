package dev.ben.receiver.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.webhooks.SignedHeaders;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.settings.BenSettings;
import dev.ben.settings.TableSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The kit on the local stack (dynalite) behind a real HTTP server, driven by a real HTTP client. The handler's side
 * effect is deliberately NOT idempotent (a DynamoDB counter increment), so any double execution would show.
 */
@ExtendWith(LocalAwsExtension.class)
class WebhookReceiverIT {

    private static final String BODY = "{\"type\":\"order.paid\",\"data\":{\"orderId\":\"o-1\",\"version\":2}}";

    /** A receiver's idempotency table (as the kit documents it) and a table its handler writes effects to. */
    private static final BenSettings TABLES = new BenSettings(List.of(
            new TableSpec("idempotency", "IDEMPOTENCY_TABLE", "id", "", "", "expiresAt", List.of(), List.of()),
            new TableSpec("effects", "EFFECTS_TABLE", "orderId", "", "", "", List.of(), List.of())),
            List.of(), List.of());

    private final WebhookSecret secret = WebhookSecret.generate();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DynamoDbClient dynamoDb;
    private String idempotencyTable;
    private String effectsTable;

    @BeforeEach
    void provision(LocalAws aws) {
        var resources = aws.provision(TABLES, "kit-");
        dynamoDb = aws.dynamoDb();
        idempotencyTable = resources.tableName("idempotency");
        effectsTable = resources.tableName("effects");
    }

    private WebhookResponse countEffect(String counterId, AtomicInteger runs, Duration work) {
        runs.incrementAndGet();
        sleep(work);
        dynamoDb.updateItem(u -> u.tableName(effectsTable)
                .key(Map.of("orderId", AttributeValue.fromS(counterId)))
                .updateExpression("ADD effects :one")
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        return WebhookResponse.ok("{\"applied\":\"" + counterId + "\"}");
    }

    private long effects(String counterId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(g -> g.tableName(effectsTable).consistentRead(true)
                .key(Map.of("orderId", AttributeValue.fromS(counterId)))).item();
        return item == null || !item.containsKey("effects") ? 0 : Long.parseLong(item.get("effects").n());
    }

    private HttpRequest post(URI uri, SignedHeaders headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json");
        headers.asMap().forEach(request::header);
        return request.build();
    }

    @Test
    void duplicateStorm_50ConcurrentThenAfterCompletion_effectHappensExactlyOnce() throws Exception {
        String webhookId = "evt_storm_" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded()).scope("it")
                .idempotencyTable(dynamoDb, idempotencyTable).build();
        try (ReceiverHttpServer server = new ReceiverHttpServer(receiver,
                message -> countEffect(webhookId, runs, Duration.ofMillis(300)))) {
            SignedHeaders signed = WebhookSigner.of(secret).sign(webhookId, BODY);

            List<HttpResponse<String>> storm = concurrently(50, i -> post(server.uri(), signed, BODY));
            long effectsAfterStorm = effects(webhookId);
            List<HttpResponse<String>> after = concurrently(50, i -> post(server.uri(),
                    WebhookSigner.of(secret).sign(webhookId, BODY), BODY));

            Map<String, Long> stormCounts = outcomes(storm);
            Map<String, Long> afterCounts = outcomes(after);
            System.out.printf("duplicate storm: 50 concurrent deliveries of %s -> %s; handler runs=%d, effects=%d%n",
                    webhookId, stormCounts, runs.get(), effectsAfterStorm);
            System.out.printf("after completion: 50 more deliveries -> %s; handler runs=%d, effects=%d%n",
                    afterCounts, runs.get(), effects(webhookId));
            assertThat(runs).hasValue(1);
            assertThat(effectsAfterStorm).isEqualTo(1);
            assertThat(effects(webhookId)).isEqualTo(1);
            assertThat(storm).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 409);
            assertThat(storm.stream().filter(r -> r.statusCode() == 200
                    && r.headers().firstValue("idempotent-replayed").isEmpty())).hasSize(1);
            assertThat(storm.stream().filter(r -> r.statusCode() == 409))
                    .allMatch(r -> r.headers().firstValue("retry-after").isPresent());
            assertThat(after).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("idempotent-replayed")).contains("true");
                assertThat(r.body()).isEqualTo("{\"applied\":\"" + webhookId + "\"}");
            });
        }
    }

    @Test
    void crashMidProcessing_retryAfterInProgressExpiry_completesOnce() throws Exception {
        String webhookId = "evt_crash_" + UUID.randomUUID();
        MutableClock clock = new MutableClock(Instant.now());
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch crash = new CountDownLatch(1);
        WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded()).scope("it")
                .idempotencyTable(dynamoDb, idempotencyTable).inProgressExpiry(Duration.ofSeconds(30))
                .clock(clock).build();
        WebhookHandler crashesFirstTime = message -> {
            if (runs.get() == 0) {
                runs.incrementAndGet();
                entered.countDown();
                await(crash);
                throw new SimulatedCrash(); // an Error: the kit does not clean up, as if the process died
            }
            return countEffect(webhookId, runs, Duration.ZERO);
        };
        try (ReceiverHttpServer server = new ReceiverHttpServer(receiver, crashesFirstTime)) {
            CompletableFuture<HttpResponse<String>> first = http.sendAsync(
                    post(server.uri(), WebhookSigner.of(List.of(secret), clock).sign(webhookId, BODY), BODY),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            HttpResponse<String> whileHeld = send(post(server.uri(),
                    WebhookSigner.of(List.of(secret), clock).sign(webhookId, BODY), BODY));
            crash.countDown();
            Throwable crashed = first.handle((r, e) -> e).get(10, TimeUnit.SECONDS);
            clock.advance(Duration.ofSeconds(29));
            HttpResponse<String> beforeExpiry = send(post(server.uri(),
                    WebhookSigner.of(List.of(secret), clock).sign(webhookId, BODY), BODY));
            clock.advance(Duration.ofSeconds(2));
            HttpResponse<String> afterExpiry = send(post(server.uri(),
                    WebhookSigner.of(List.of(secret), clock).sign(webhookId, BODY), BODY));
            HttpResponse<String> duplicate = send(post(server.uri(),
                    WebhookSigner.of(List.of(secret), clock).sign(webhookId, BODY), BODY));

            System.out.printf("crash: first attempt -> %s; retry while held -> %d (retry-after %s);"
                            + " at +29 s -> %d; at +31 s -> %d; duplicate -> %d; effects=%d%n",
                    crashed == null ? "answered" : "connection dropped", whileHeld.statusCode(),
                    whileHeld.headers().firstValue("retry-after").orElse("-"), beforeExpiry.statusCode(),
                    afterExpiry.statusCode(), duplicate.statusCode(), effects(webhookId));
            assertThat(crashed).isNotNull();
            assertThat(whileHeld.statusCode()).isEqualTo(409);
            assertThat(whileHeld.headers().firstValue("retry-after")).contains("30");
            assertThat(beforeExpiry.statusCode()).isEqualTo(409);
            assertThat(afterExpiry.statusCode()).isEqualTo(200);
            assertThat(afterExpiry.headers().firstValue("idempotent-replayed")).isEmpty();
            assertThat(duplicate.statusCode()).isEqualTo(200);
            assertThat(duplicate.headers().firstValue("idempotent-replayed")).contains("true");
            assertThat(effects(webhookId)).isEqualTo(1);
        }
    }

    @Test
    void handlerFailure_releasesAtOnce_andTheNextRetryRuns() throws Exception {
        String webhookId = "evt_fail_" + UUID.randomUUID();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded()).scope("it")
                .idempotencyTable(dynamoDb, idempotencyTable).build();
        WebhookHandler failsOnce = message -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("downstream unavailable");
            }
            return countEffect(webhookId, runs, Duration.ZERO);
        };
        try (ReceiverHttpServer server = new ReceiverHttpServer(receiver, failsOnce)) {
            HttpResponse<String> failed = send(post(server.uri(), WebhookSigner.of(secret).sign(webhookId, BODY), BODY));
            HttpResponse<String> retried = send(post(server.uri(), WebhookSigner.of(secret).sign(webhookId, BODY), BODY));

            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(retried.statusCode()).isEqualTo(200);
            assertThat(effects(webhookId)).isEqualTo(1);
        }
    }

    @Test
    void completedRecord_pastRetention_isTreatedAsAbsentEvenBeforeTtlDeletion() throws Exception {
        String webhookId = "evt_ttl_" + UUID.randomUUID();
        MutableClock clock = new MutableClock(Instant.now());
        AtomicInteger runs = new AtomicInteger();
        WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded()).scope("it")
                .idempotencyTable(dynamoDb, idempotencyTable).retention(Duration.ofHours(1)).clock(clock).build();
        try (ReceiverHttpServer server = new ReceiverHttpServer(receiver,
                message -> countEffect(webhookId, runs, Duration.ZERO))) {
            send(post(server.uri(), WebhookSigner.of(List.of(secret), clock).sign(webhookId, BODY), BODY));
            Map<String, AttributeValue> record = dynamoDb.getItem(g -> g.tableName(idempotencyTable)
                    .consistentRead(true).key(Map.of("id", AttributeValue.fromS("it#" + webhookId)))).item();
            clock.advance(Duration.ofHours(1).plusSeconds(1));
            send(post(server.uri(), WebhookSigner.of(List.of(secret), clock).sign(webhookId, BODY), BODY));

            assertThat(record.get("status").s()).isEqualTo("COMPLETED");
            assertThat(Long.parseLong(record.get("expiresAt").n()))
                    .isBetween(Instant.now().plusSeconds(3500).getEpochSecond(), Instant.now().plusSeconds(3700).getEpochSecond());
            assertThat(runs).hasValue(2);
        }
    }

    @Test
    void badSignaturesOverHttp_rejectedWithReason_andNothingRecorded() throws Exception {
        String webhookId = "evt_bad_" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded()).scope("it")
                .idempotencyTable(dynamoDb, idempotencyTable).build();
        try (ReceiverHttpServer server = new ReceiverHttpServer(receiver,
                message -> countEffect(webhookId, runs, Duration.ZERO))) {
            HttpResponse<String> tampered = send(post(server.uri(), WebhookSigner.of(secret).sign(webhookId, BODY),
                    BODY.replace("\"version\":2", "\"version\":9")));
            HttpResponse<String> wrongSecret = send(post(server.uri(),
                    WebhookSigner.of(WebhookSecret.generate()).sign(webhookId, BODY), BODY));
            HttpResponse<String> unsigned = send(HttpRequest.newBuilder(server.uri())
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)).build());

            assertThat(tampered.statusCode()).isEqualTo(401);
            assertThat(tampered.body()).contains("no_matching_signature");
            assertThat(wrongSecret.statusCode()).isEqualTo(401);
            assertThat(unsigned.statusCode()).isEqualTo(400);
            assertThat(unsigned.body()).contains("missing_header");
            assertThat(runs).hasValue(0);
            assertThat(dynamoDb.getItem(g -> g.tableName(idempotencyTable).consistentRead(true)
                    .key(Map.of("id", AttributeValue.fromS("it#" + webhookId)))).hasItem()
                    && !dynamoDb.getItem(g -> g.tableName(idempotencyTable).consistentRead(true)
                    .key(Map.of("id", AttributeValue.fromS("it#" + webhookId)))).item().isEmpty()).isFalse();
        }
    }

    @Test
    void twoHandlersOnOneTable_scopedKeys_bothRunOnce_forTheSameWebhookId() throws Exception {
        String webhookId = "evt_scope_" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        WebhookReceiver fulfilment = WebhookReceiver.builder().secrets(secret.encoded()).scope("fulfilment")
                .idempotencyTable(dynamoDb, idempotencyTable).build();
        WebhookReceiver loyalty = WebhookReceiver.builder().secrets(secret.encoded()).scope("loyalty")
                .idempotencyTable(dynamoDb, idempotencyTable).build();
        try (ReceiverHttpServer first = new ReceiverHttpServer(fulfilment,
                message -> countEffect(webhookId + "-fulfilment", runs, Duration.ZERO));
             ReceiverHttpServer second = new ReceiverHttpServer(loyalty,
                     message -> countEffect(webhookId + "-loyalty", runs, Duration.ZERO))) {
            for (int i = 0; i < 3; i++) {
                send(post(first.uri(), WebhookSigner.of(secret).sign(webhookId, BODY), BODY));
                send(post(second.uri(), WebhookSigner.of(secret).sign(webhookId, BODY), BODY));
            }

            assertThat(effects(webhookId + "-fulfilment")).isEqualTo(1);
            assertThat(effects(webhookId + "-loyalty")).isEqualTo(1);
            assertThat(runs).hasValue(2);
            assertThat(record("fulfilment#" + webhookId).get("status").s()).isEqualTo("COMPLETED");
            assertThat(record("loyalty#" + webhookId).get("status").s()).isEqualTo("COMPLETED");
        }
    }

    @Test
    void handler4xx_notStoredByDefault_theFixedHandlerRunsOnTheNextRetry_briefRetentionReplaysIt() throws Exception {
        String webhookId = "evt_4xx_" + UUID.randomUUID();
        String briefId = "evt_4xx_brief_" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        WebhookHandler buggyThenFixed = message -> calls.incrementAndGet() == 1
                ? WebhookResponse.json(422, "{\"error\":\"bug\"}") : countEffect(webhookId, runs, Duration.ZERO);
        WebhookReceiver byDefault = WebhookReceiver.builder().secrets(secret.encoded()).scope("it")
                .idempotencyTable(dynamoDb, idempotencyTable).build();
        WebhookReceiver brief = WebhookReceiver.builder().secrets(secret.encoded()).scope("it")
                .idempotencyTable(dynamoDb, idempotencyTable).clientErrorRetention(Duration.ofMinutes(5)).build();
        try (ReceiverHttpServer server = new ReceiverHttpServer(byDefault, buggyThenFixed);
             ReceiverHttpServer briefServer = new ReceiverHttpServer(brief,
                     message -> WebhookResponse.json(422, "{\"error\":\"unknown\"}"))) {
            HttpResponse<String> buggy = send(post(server.uri(), WebhookSigner.of(secret).sign(webhookId, BODY), BODY));
            boolean recordAfter4xx = dynamoDb.getItem(g -> g.tableName(idempotencyTable).consistentRead(true)
                    .key(Map.of("id", AttributeValue.fromS("it#" + webhookId)))).hasItem();
            HttpResponse<String> fixed = send(post(server.uri(), WebhookSigner.of(secret).sign(webhookId, BODY), BODY));
            HttpResponse<String> briefFirst = send(post(briefServer.uri(),
                    WebhookSigner.of(secret).sign(briefId, BODY), BODY));
            HttpResponse<String> briefAgain = send(post(briefServer.uri(),
                    WebhookSigner.of(secret).sign(briefId, BODY), BODY));

            assertThat(buggy.statusCode()).isEqualTo(422);
            assertThat(recordAfter4xx).as("a 4xx leaves no record by default").isFalse();
            assertThat(fixed.statusCode()).isEqualTo(200);
            assertThat(effects(webhookId)).isEqualTo(1);
            assertThat(briefFirst.statusCode()).isEqualTo(422);
            assertThat(briefAgain.statusCode()).isEqualTo(422);
            assertThat(briefAgain.headers().firstValue("idempotent-replayed")).contains("true");
            assertThat(Long.parseLong(record("it#" + briefId).get("expiresAt").n()))
                    .isLessThanOrEqualTo(Instant.now().plusSeconds(301).getEpochSecond());
        }
    }

    @Test
    void sameWebhookIdWithAnotherBody_is422PayloadMismatch_handlerDoesNotRun_recordUntouched() throws Exception {
        String webhookId = "evt_mismatch_" + UUID.randomUUID();
        String otherBody = BODY.replace("\"version\":2", "\"version\":3");
        AtomicInteger runs = new AtomicInteger();
        WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded()).scope("it")
                .idempotencyTable(dynamoDb, idempotencyTable).build();
        try (ReceiverHttpServer server = new ReceiverHttpServer(receiver,
                message -> countEffect(webhookId, runs, Duration.ZERO))) {
            send(post(server.uri(), WebhookSigner.of(secret).sign(webhookId, BODY), BODY));
            Map<String, AttributeValue> before = record("it#" + webhookId);

            HttpResponse<String> mismatch = send(post(server.uri(), WebhookSigner.of(secret).sign(webhookId, otherBody),
                    otherBody));
            HttpResponse<String> same = send(post(server.uri(), WebhookSigner.of(secret).sign(webhookId, BODY), BODY));

            assertThat(mismatch.statusCode()).isEqualTo(422);
            assertThat(mismatch.body()).contains("\"error\":\"payload_mismatch\"");
            assertThat(same.statusCode()).isEqualTo(200);
            assertThat(same.headers().firstValue("idempotent-replayed")).contains("true");
            assertThat(runs).hasValue(1);
            assertThat(record("it#" + webhookId)).isEqualTo(before);
            assertThat(before.get("payloadHash").s())
                    .isEqualTo(IdempotentExecutor.payloadHash(BODY.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void responseOver64KiB_firstAnswerInFull_replayKeepsStatusAndHeaders_marksTheOmittedBody() throws Exception {
        String webhookId = "evt_large_" + UUID.randomUUID();
        String large = "{\"report\":\"" + "r".repeat(70 * 1024) + "\"}";
        AtomicInteger runs = new AtomicInteger();
        WebhookReceiver receiver = WebhookReceiver.builder().secrets(secret.encoded()).scope("it")
                .idempotencyTable(dynamoDb, idempotencyTable).build();
        try (ReceiverHttpServer server = new ReceiverHttpServer(receiver, message -> {
            runs.incrementAndGet();
            return WebhookResponse.json(201, large).withHeader("x-receipt", "r-1");
        })) {
            HttpResponse<String> first = send(post(server.uri(), WebhookSigner.of(secret).sign(webhookId, BODY), BODY));
            HttpResponse<String> replay = send(post(server.uri(), WebhookSigner.of(secret).sign(webhookId, BODY), BODY));

            assertThat(first.statusCode()).isEqualTo(201);
            assertThat(first.body()).isEqualTo(large);
            assertThat(replay.statusCode()).isEqualTo(201);
            assertThat(replay.body()).isEmpty();
            assertThat(replay.headers().firstValue("x-receipt")).contains("r-1");
            assertThat(replay.headers().firstValue(IdempotentExecutor.BODY_OMITTED_HEADER))
                    .contains(Integer.toString(large.length()));
            assertThat(replay.headers().firstValue(IdempotentExecutor.BODY_SHA256_HEADER)).isPresent();
            assertThat(runs).hasValue(1);
            assertThat(record("it#" + webhookId).get("responseBody").s()).isEmpty();
        }
    }

    private Map<String, AttributeValue> record(String key) {
        return dynamoDb.getItem(g -> g.tableName(idempotencyTable).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(key)))).item();
    }

    private List<HttpResponse<String>> concurrently(int n, Function<Integer, HttpRequest> request) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                HttpRequest r = request.apply(i);
                futures.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    return send(r);
                }, pool));
            }
            go.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> f : futures) {
                responses.add(f.get(60, TimeUnit.SECONDS));
            }
            return responses;
        }
    }

    private static Map<String, Long> outcomes(List<HttpResponse<String>> responses) {
        return responses.stream().collect(Collectors.groupingBy(r -> r.statusCode()
                + (r.headers().firstValue("idempotent-replayed").isPresent() ? " replayed" : ""),
                TreeMap::new, Collectors.counting()));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stands for the process dying mid-handler: an Error the kit does not catch, so the claim is left as is. */
    private static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }
}

package dev.ben.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import dev.ben.local.runtime.testing.Await;
import dev.ben.local.runtime.testing.RecordingQueueHandler;
import dev.ben.local.runtime.testing.RecordingStreamHandler;
import dev.ben.local.runtime.testing.TestSettings;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Figures for docs/local-runtime.md. Runs only with {@code -Dben.bench=true}:
 * <pre>./mvnw -B -o -q -pl local/runtime -am verify -Dben.bench=true -Dit.test=RuntimeBenchmarkIT \
 *     -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false</pre>
 * Prints lines starting with {@code BENCH}; asserts only that every record/message/request was handled.
 */
@ExtendWith(LocalAwsExtension.class)
@EnabledIfSystemProperty(named = "ben.bench", matches = "true")
class RuntimeBenchmarkIT {
    private static final int RECORDS = 1000;
    private static final int MESSAGES = 1000;
    private static final int REQUESTS = 300;
    private final LocalAws aws;

    RuntimeBenchmarkIT(LocalAws aws) {
        this.aws = aws;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true);
    }

    @Test
    void streamMapping_throughputAndLatency() {
        BenSettings settings = TestSettings.streamFunction(new Trigger.StreamTrigger(TestSettings.ORDERS, 100,
                Duration.ZERO, "TRIM_HORIZON", true, 3, Duration.ofSeconds(-1), true, List.of(), TestSettings.FAILURES, 1));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        RecordingStreamHandler handler = RecordingStreamHandler.succeeding();
        String table = resources.tableName(TestSettings.ORDERS);
        try (LocalLambdaRuntime runtime = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .handler("stream-test", handler).output(quiet()).start()) {
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int before = handler.deliveredOrderIds().size();
                long start = System.nanoTime();
                String id = "lat-" + i;
                aws.dynamoDb().putItem(b -> b.tableName(table).item(Map.of("orderId", AttributeValue.fromS(id))));
                Await.until("latency record " + id, Duration.ofSeconds(30), () -> handler.deliveredOrderIds().size() > before);
                latencies.add((System.nanoTime() - start) / 1_000_000);
            }
            Collections.sort(latencies);
            System.out.printf("BENCH stream write->handler latency (batch window 0, 30 writes): median %d ms, max %d ms%n",
                    latencies.get(latencies.size() / 2), latencies.getLast());

            int already = handler.deliveredOrderIds().size();
            long start = System.nanoTime();
            IntStream.range(0, RECORDS).parallel().forEach(i -> aws.dynamoDb().putItem(b -> b.tableName(table)
                    .item(Map.of("orderId", AttributeValue.fromS("tp-" + i)))));
            long written = System.nanoTime();
            Await.until("all records delivered", Duration.ofMinutes(5),
                    () -> handler.deliveredOrderIds().size() >= already + RECORDS);
            long done = System.nanoTime();
            System.out.printf("BENCH stream %d records: written in %d ms, all delivered %d ms after the first write "
                    + "(%.0f records/s end to end), %d invocations%n", RECORDS, (written - start) / 1_000_000,
                    (done - start) / 1_000_000, RECORDS * 1e9 / (done - start), handler.batches().size() - 30);
            assertThat(handler.deliveredOrderIds()).hasSize(already + RECORDS);
        }
    }

    @Test
    void queueMapping_throughput() {
        BenSettings settings = TestSettings.queueFunction(
                new Trigger.QueueTrigger(TestSettings.WORK, 10, Duration.ZERO, true, 10), Duration.ofSeconds(30));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        RecordingQueueHandler handler = new RecordingQueueHandler(messages -> SQSBatchResponse.builder()
                .withBatchItemFailures(List.of()).build());
        String queue = resources.queueUrl(TestSettings.WORK);
        try (LocalLambdaRuntime runtime = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .handler("queue-test", handler).output(quiet()).start()) {
            long start = System.nanoTime();
            IntStream.range(0, MESSAGES / 10).parallel().forEach(batch -> aws.sqs().sendMessageBatch(b -> b.queueUrl(queue)
                    .entries(IntStream.range(0, 10).mapToObj(i -> SendMessageBatchRequestEntry.builder()
                            .id("e" + i).messageBody("m-" + batch + "-" + i).build()).toList())));
            Await.until("all messages deleted", Duration.ofMinutes(5), () -> runtime.queueMessagesDeleted("queue-test") >= MESSAGES);
            long done = System.nanoTime();
            System.out.printf("BENCH sqs %d messages (batch 10, concurrency 10): processed and deleted in %d ms "
                    + "(%.0f messages/s), %d invocations%n", MESSAGES, (done - start) / 1_000_000,
                    MESSAGES * 1e9 / (done - start), handler.batches().size());
            assertThat(handler.messages()).hasSize(MESSAGES);
        }
    }

    @Test
    void httpApi_roundTripLatency() throws Exception {
        BenSettings settings = new BenSettings(List.of(), List.of(), List.of(new FunctionSpec("ping",
                "unused.Ping", "local/runtime", 128, Duration.ofSeconds(5),
                List.of(new Trigger.HttpTrigger("bench-api", "GET", "/ping/{id}", Trigger.HttpAuth.NONE)), List.of(), List.of())));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        HttpClient http = HttpClient.newHttpClient();
        try (LocalLambdaRuntime runtime = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .handler("ping", (com.amazonaws.services.lambda.runtime.RequestHandler<Object, APIGatewayV2HTTPResponse>)
                        (event, context) -> APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("pong").build())
                .output(quiet()).start()) {
            URI base = runtime.httpEndpoint("bench-api");
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/ping/" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                micros.add((System.nanoTime() - start) / 1000);
                assertThat(response.body()).isEqualTo("pong");
            }
            List<Long> warm = new ArrayList<>(micros.subList(50, micros.size()));
            Collections.sort(warm);
            System.out.printf("BENCH http api round trip (%d warm sequential GETs): median %.2f ms, p99 %.2f ms%n",
                    warm.size(), warm.get(warm.size() / 2) / 1000.0, warm.get((int) (warm.size() * 0.99)) / 1000.0);
        }
    }
}

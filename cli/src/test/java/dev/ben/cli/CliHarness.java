package dev.ben.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import dev.ben.core.model.EventIds;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.runtime.AwsTarget;
import dev.ben.local.runtime.LocalLambdaRuntime;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.internal.Telemetry;
import dev.ben.sender.internal.aws.DynamoDbAttemptLog;
import dev.ben.sender.internal.aws.DynamoDbDeliveryStore;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.sender.internal.aws.SqsRetryQueue;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One isolated set of Ben tables and queues on the shared local stack (a random name prefix), the management API
 * function serving them over real HTTP on the local runtime (bearer token, as under ./ben-local), the CLI run
 * against that API, and seeding through the sender's adapters.
 */
final class CliHarness implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "cli-test-token";

    final LocalAws aws;
    final ProvisionedResources resources;
    final LocalLambdaRuntime runtime;
    final DynamoDbEndpointStore endpoints;
    final DynamoDbDeliveryStore deliveries;
    final DynamoDbAttemptLog attempts;
    final SqsRetryQueue queue;

    CliHarness(LocalAws aws) {
        this.aws = aws;
        this.resources = aws.provision(BenSettings.own(),
                "cli" + UUID.randomUUID().toString().substring(0, 8) + "-");
        this.runtime = LocalLambdaRuntime.builder(BenSettings.own(), AwsTarget.of(aws, resources))
                .only(BenSettings.MANAGEMENT_FUNCTION)
                .environment(EnvVars.MANAGEMENT_API_TOKEN, TOKEN)
                // receivers of the tests listen on loopback; the CLI's own URL check still asks for --allow-private
                .environment(EnvVars.ALLOW_PRIVATE_ADDRESSES, "true")
                .environment(EnvVars.HTTPS_ONLY, "false")
                .output(new PrintStream(OutputStream.nullOutputStream()))
                .start();
        this.endpoints = new DynamoDbEndpointStore(aws.dynamoDb(), resources.tableName(BenSettings.ENDPOINTS_TABLE),
                Clock.systemUTC(), Duration.ZERO, Telemetry.silent());
        this.deliveries = new DynamoDbDeliveryStore(aws.dynamoDb(),
                resources.tableName(BenSettings.DELIVERIES_TABLE), Duration.ofDays(30));
        this.attempts = new DynamoDbAttemptLog(aws.dynamoDb(), resources.tableName(BenSettings.ATTEMPTS_TABLE),
                Duration.ofDays(30));
        this.queue = new SqsRetryQueue(aws.sqs(), resources.queueUrl(BenSettings.RETRY_QUEUE),
                resources.queueUrl(BenSettings.RETRY_DLQ));
    }

    /** The result of one CLI run. */
    record Run(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        JsonNode errorJson() {
            try {
                return JSON.readTree(err.lines().filter(l -> !l.isBlank()).reduce("", (a, b) -> a + b));
            } catch (Exception e) {
                throw new AssertionError("stderr is not JSON: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "\n--- err\n" + err;
        }
    }

    /** The management API's base URL. */
    URI api() {
        return runtime.httpEndpoint(BenSettings.MANAGEMENT_API);
    }

    /** What the CLI is run with: the API and its token, and a home without a ./ben-local discovery file. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("BEN_API_URL", api().toString());
        env.put("BEN_API_TOKEN", TOKEN);
        env.put("HOME", "/nonexistent-ben-cli-test-home");
        return env;
    }

    /** The functions' environment on this stack (table names, queue URLs, endpoints), for the sender's services. */
    Map<String, String> stackEnvironment() {
        return new HashMap<>(resources.environment());
    }

    @Override
    public void close() {
        runtime.close();
    }

    Run run(String... args) {
        return runWith(environment(), args);
    }

    static Run runWith(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenCli.run(args, env, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    Endpoint endpoint(String id, String url, String... eventTypes) {
        Endpoint e = Endpoint.of(id, url, Set.of(eventTypes), List.of(WebhookSecret.generate().encoded()));
        aws.dynamoDb().putItem(b -> b.tableName(resources.tableName(BenSettings.ENDPOINTS_TABLE))
                .item(DynamoDbEndpointStore.toItem(e)));
        return e;
    }

    /**
     * A delivery created at {@code createdAt} and driven to {@code status} through the store's conditional
     * transitions, with {@code failedAttempts} failed attempts (HTTP 503) recorded in the attempt log (plus one
     * successful attempt when DELIVERED).
     */
    StoredDelivery delivery(String eventId, String endpointId, String eventType, DeliveryStatus status,
                            Instant createdAt, int failedAttempts) {
        return delivery(eventId, endpointId, eventType, status, createdAt, failedAttempts, "");
    }

    /** As above, for a tenant's event ("" = tenant-less). */
    StoredDelivery delivery(String eventId, String endpointId, String eventType, DeliveryStatus status,
                            Instant createdAt, int failedAttempts, String tenantId) {
        String payload = "{\"type\":\"" + eventType + "\",\"id\":\"" + eventId + "\",\"data\":{\"orderId\":\"o-"
                + eventId + "\"}}";
        Delivery d = new Delivery(EventIds.deliveryId(eventId, endpointId), eventId, endpointId, "o-" + eventId,
                tenantId, DeliveryStatus.PENDING, 0, createdAt, 0, "", createdAt, createdAt, false);
        StoredDelivery stored = new StoredDelivery(d, eventType, payload, "", "", Event.NO_VERSION, "");
        deliveries.createIfAbsent(stored);
        int n = 0;
        Instant t = createdAt;
        for (int i = 0; i < failedAttempts; i++) {
            n++;
            t = t.plusSeconds(15);
            attempts.record(new Attempt(d.id(), n, t, 503, Duration.ofMillis(20L * n), "HTTP 503: busy"));
        }
        Delivery next = switch (status) {
            case PENDING -> d;
            case RETRYING -> d.withStatus(DeliveryStatus.RETRYING, n, t.plusSeconds(60), 503, "HTTP 503: busy", t);
            case FAILED -> d.withStatus(DeliveryStatus.FAILED, n, null, 503,
                    "retries exhausted after " + n + " attempts; last: HTTP 503: busy", t);
            case CANCELLED -> d.withStatus(DeliveryStatus.CANCELLED, n, null, 0, "endpoint disabled", t);
            case DELIVERED -> {
                n++;
                t = t.plusSeconds(1);
                attempts.record(new Attempt(d.id(), n, t, 200, Duration.ofMillis(10), ""));
                yield d.withStatus(DeliveryStatus.DELIVERED, n, null, 200, "", t.plusMillis(10));
            }
        };
        if (next != d && !deliveries.transition(stored, next, "")) {
            throw new IllegalStateException("seed transition failed for " + d.id());
        }
        return deliveries.find(d.id()).orElseThrow();
    }
}

package dev.ben.settings;

import dev.ben.settings.TableSpec.IndexSpec;
import dev.ben.settings.Trigger.HttpAuth;
import dev.ben.settings.Trigger.HttpTrigger;
import dev.ben.settings.Trigger.QueueTrigger;
import dev.ben.settings.Trigger.ScheduleTrigger;
import dev.ben.settings.Trigger.StreamTrigger;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The whole stack, declared once. The CDK app, the SAM drift test and the local runtime read this;
 * nothing else may repeat these values.
 */
public record BenSettings(List<TableSpec> tables, List<QueueSpec> queues, List<FunctionSpec> functions) {

    // Logical names: physical names locally, construct ids in CDK.
    public static final String ORDERS_TABLE = "orders";
    public static final String ENDPOINTS_TABLE = "ben-endpoints";
    public static final String DELIVERIES_TABLE = "ben-deliveries";
    public static final String ATTEMPTS_TABLE = "ben-attempts";
    public static final String RECEIVER_ORDERS_TABLE = "receiver-orders";
    public static final String RECEIVER_IDEMPOTENCY_TABLE = "receiver-idempotency";

    public static final String RETRY_QUEUE = "ben-retry";
    public static final String RETRY_DLQ = "ben-retry-dlq";
    public static final String NOTIFY_FAILURES_QUEUE = "ben-notify-failures";

    public static final String SENDER_API = "sender-api";
    public static final String RECEIVER_API = "receiver-api";

    /** Retry function timeout; the retry queue's visibility timeout is 6 × this, as AWS advises. */
    public static final Duration RETRY_FUNCTION_TIMEOUT = Duration.ofSeconds(30);

    public BenSettings {
        tables = List.copyOf(tables);
        queues = List.copyOf(queues);
        functions = List.copyOf(functions);
    }

    public static BenSettings defaults() {
        return new BenSettings(defaultTables(), defaultQueues(), defaultFunctions());
    }

    public TableSpec table(String logicalName) {
        return tables.stream().filter(t -> t.logicalName().equals(logicalName)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no table named " + logicalName));
    }

    public QueueSpec queue(String logicalName) {
        return queues.stream().filter(q -> q.logicalName().equals(logicalName)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no queue named " + logicalName));
    }

    public FunctionSpec function(String logicalName) {
        return functions.stream().filter(f -> f.logicalName().equals(logicalName)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no function named " + logicalName));
    }

    private static List<TableSpec> defaultTables() {
        return List.of(
                // System A's business table (the seed's example); its stream feeds notify.
                new TableSpec(ORDERS_TABLE, "BEN_ORDERS_TABLE", "orderId", "", "NEW_AND_OLD_IMAGES", "",
                        List.of(), List.of()),
                new TableSpec(ENDPOINTS_TABLE, "BEN_ENDPOINTS_TABLE", "endpointId", "", "", "",
                        List.of(), List.of()),
                new TableSpec(DELIVERIES_TABLE, "BEN_DELIVERIES_TABLE", "deliveryId", "", "", "expiresAt",
                        List.of(new IndexSpec("byStatus", "status", "nextAttemptAt"),
                                new IndexSpec("byEntity", "entityId", "createdAt"),
                                new IndexSpec("byEndpoint", "endpointId", "createdAt")),
                        List.of()),
                new TableSpec(ATTEMPTS_TABLE, "BEN_ATTEMPTS_TABLE", "deliveryId", "attemptNumber", "", "expiresAt",
                        List.of(), List.of("attemptNumber")),
                // System B's side.
                new TableSpec(RECEIVER_ORDERS_TABLE, "BEN_RECEIVER_ORDERS_TABLE", "orderId", "", "", "",
                        List.of(new IndexSpec("byStatus", "status", "updatedAt")), List.of()),
                new TableSpec(RECEIVER_IDEMPOTENCY_TABLE, "BEN_RECEIVER_IDEMPOTENCY_TABLE", "id", "", "", "expiresAt",
                        List.of(), List.of()));
    }

    private static List<QueueSpec> defaultQueues() {
        return List.of(
                // Backoff lives in per-message visibility (ChangeMessageVisibility, ≤ 12 h); the redrive is a
                // safety net above the 15-step default schedule, Ben itself decides exhaustion.
                new QueueSpec(RETRY_QUEUE, "BEN_RETRY_QUEUE_URL", RETRY_FUNCTION_TIMEOUT.multipliedBy(6),
                        Duration.ofDays(4), RETRY_DLQ, 25),
                new QueueSpec(RETRY_DLQ, "BEN_RETRY_DLQ_URL", Duration.ofSeconds(30), Duration.ofDays(14), "", 0),
                new QueueSpec(NOTIFY_FAILURES_QUEUE, "BEN_NOTIFY_FAILURES_QUEUE_URL", Duration.ofSeconds(30),
                        Duration.ofDays(14), "", 0));
    }

    private static List<FunctionSpec> defaultFunctions() {
        return List.of(
                new FunctionSpec("notify", "dev.ben.sender.notify.NotifyHandler", "functions/ben-sender", 1024,
                        Duration.ofSeconds(60),
                        // No batching window: a paid order is POSTed as soon as the stream has it (latency over
                        // batch size; notify already parallelises within a batch).
                        List.of(new StreamTrigger(ORDERS_TABLE, 100, Duration.ZERO, "TRIM_HORIZON", true, 10,
                                Duration.ofDays(1), true,
                                List.of("{\"eventName\":[\"INSERT\",\"MODIFY\"]}"), NOTIFY_FAILURES_QUEUE, 1)),
                        List.of(ORDERS_TABLE, ENDPOINTS_TABLE, DELIVERIES_TABLE, ATTEMPTS_TABLE),
                        List.of(RETRY_QUEUE, RETRY_DLQ))
                        // the source table: its stream only (the trigger); attempt rows are only ever written here
                        .withAccess(ORDERS_TABLE, Access.TRIGGER_ONLY)
                        .withAccess(ATTEMPTS_TABLE, Access.WRITE),
                new FunctionSpec("retry", "dev.ben.sender.retry.RetryHandler", "functions/ben-sender", 1024,
                        RETRY_FUNCTION_TIMEOUT,
                        List.of(new QueueTrigger(RETRY_QUEUE, 10, Duration.ZERO, true, 10)),
                        List.of(ENDPOINTS_TABLE, DELIVERIES_TABLE, ATTEMPTS_TABLE),
                        List.of(RETRY_QUEUE, RETRY_DLQ))
                        // it reschedules received messages (ChangeMessageVisibility), never sends to its own queue
                        .withAccess(RETRY_QUEUE, Access.TRIGGER_ONLY)
                        .withAccess(ATTEMPTS_TABLE, Access.WRITE),
                new FunctionSpec("sweeper", "dev.ben.sender.sweeper.SweeperHandler", "functions/ben-sender", 512,
                        Duration.ofSeconds(60),
                        List.of(new ScheduleTrigger("ben-sweeper", "rate(5 minutes)")),
                        List.of(DELIVERIES_TABLE),
                        List.of(RETRY_QUEUE)),
                new FunctionSpec("status-api", "dev.ben.sender.status.StatusApiHandler", "functions/ben-sender", 512,
                        Duration.ofSeconds(10),
                        List.of(new HttpTrigger(SENDER_API, "GET", "/orders/{orderId}", HttpAuth.IAM),
                                new HttpTrigger(SENDER_API, "GET", "/deliveries/{deliveryId}", HttpAuth.IAM)),
                        List.of(ORDERS_TABLE, DELIVERIES_TABLE, ATTEMPTS_TABLE),
                        List.of())
                        .withAccess(ORDERS_TABLE, Access.READ)
                        .withAccess(DELIVERIES_TABLE, Access.READ)
                        .withAccess(ATTEMPTS_TABLE, Access.READ),
                new FunctionSpec("receiver", "dev.ben.receiver.webhook.ReceiverHandler", "functions/ben-receiver", 512,
                        Duration.ofSeconds(10),
                        List.of(new HttpTrigger(RECEIVER_API, "POST", "/webhooks/orders", HttpAuth.NONE)),
                        List.of(RECEIVER_ORDERS_TABLE, RECEIVER_IDEMPOTENCY_TABLE),
                        List.of()),
                new FunctionSpec("reconcile", "dev.ben.receiver.reconcile.ReconcileHandler", "functions/ben-receiver",
                        512, Duration.ofSeconds(120),
                        List.of(new ScheduleTrigger("ben-reconcile", "rate(15 minutes)")),
                        List.of(RECEIVER_ORDERS_TABLE, RECEIVER_IDEMPOTENCY_TABLE),
                        List.of()));
    }
}

package dev.ben.local.runtime.testing;

import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.Trigger;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.KeyAttribute;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.Source;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** Small settings for runtime tests: one orders table with a stream, test queues, one test function. */
public final class TestSettings {
    public static final String ORDERS = "orders";
    public static final String FAILURES = "failures";
    public static final String WORK = "work";

    private TestSettings() {
    }

    /** A fresh name prefix, so each test gets its own tables and queues on the shared stack. */
    public static String prefix() {
        return "rt" + UUID.randomUUID().toString().substring(0, 8) + "-";
    }

    /** Ben for a one-source declaration like the orders demo's (table "orders", key orderId). */
    public static BenSettings ordersStack() {
        return BenSettings.of(new Declaration(List.of(Source.of(ORDERS, ORDERS, KeyAttribute.string("orderId"),
                Rule.of("order.paid", Rule.attributes("orderId", "status"))))));
    }

    /** The receiver side's HTTP API in {@link #ordersStackWithReceiver()}. */
    public static final String RECEIVER_API = "receiver-api";

    /**
     * {@link #ordersStack()} plus a receiver side deployed beside it, as the orders example does: a public webhook
     * route and a reconcile schedule, with a table of their own.
     */
    public static BenSettings ordersStackWithReceiver() {
        TableSpec copies = new TableSpec("receiver-orders", "BEN_RECEIVER_ORDERS_TABLE", "orderId", "", "", "",
                List.of(), List.of());
        return ordersStack().plus(List.of(copies), List.of(), List.of(
                new FunctionSpec("receiver", "dev.ben.examples.orders.webhook.ReceiverHandler",
                        "examples/orders/receiver", 512, Duration.ofSeconds(10),
                        List.of(new Trigger.HttpTrigger(RECEIVER_API, "POST", "/webhooks/orders", Trigger.HttpAuth.NONE)),
                        List.of("receiver-orders"), List.of()),
                new FunctionSpec("reconcile", "dev.ben.reconcile.ReconcileHandler",
                        "examples/orders/receiver", 512, Duration.ofSeconds(120),
                        List.of(new Trigger.ScheduleTrigger("ben-reconcile", "rate(15 minutes)")),
                        List.of("receiver-orders"), List.of())));
    }

    public static TableSpec orders() {
        return new TableSpec(ORDERS, "BEN_ORDERS_TABLE", "orderId", "", "NEW_AND_OLD_IMAGES", "", List.of(), List.of());
    }

    public static QueueSpec failures() {
        return new QueueSpec(FAILURES, "TEST_FAILURES_QUEUE_URL", Duration.ofSeconds(30), Duration.ofDays(1), "", 0);
    }

    public static QueueSpec work(Duration visibility) {
        return new QueueSpec(WORK, "TEST_WORK_QUEUE_URL", visibility, Duration.ofDays(1), "", 0);
    }

    public static Trigger.StreamTrigger stream(int batchSize, boolean bisect, int retries, Duration maxAge,
                                               List<String> filters) {
        return new Trigger.StreamTrigger(ORDERS, batchSize, Duration.ofMillis(500), "TRIM_HORIZON", bisect, retries, maxAge,
                true, filters, FAILURES, 1);
    }

    public static BenSettings streamFunction(Trigger.StreamTrigger trigger) {
        return new BenSettings(List.of(orders()), List.of(failures()), List.of(
                new FunctionSpec("stream-test", RecordingStreamHandler.class.getName(), "local/runtime", 256,
                        Duration.ofSeconds(10), List.of(trigger), List.of(ORDERS), List.of(FAILURES))));
    }

    public static BenSettings queueFunction(Trigger.QueueTrigger trigger, Duration visibility) {
        return new BenSettings(List.of(), List.of(work(visibility)), List.of(
                new FunctionSpec("queue-test", RecordingQueueHandler.class.getName(), "local/runtime", 256,
                        Duration.ofSeconds(10), List.of(trigger), List.of(), List.of(WORK))));
    }
}

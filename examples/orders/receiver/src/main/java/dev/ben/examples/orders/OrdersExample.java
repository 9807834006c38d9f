package dev.ben.examples.orders;

import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.TableSpec.IndexSpec;
import dev.ben.settings.Trigger.HttpAuth;
import dev.ben.settings.Trigger.HttpTrigger;
import dev.ben.settings.Trigger.ScheduleTrigger;
import dev.ben.settings.declaration.Declaration;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The orders example as settings: Ben on the example's declaration ({@code examples/orders/ben.json}: table
 * {@code orders}, rule {@code order.paid}) plus system B's side deployed beside it — B's tables and two functions of
 * this module (the webhook receiver behind {@value #RECEIVER_API}, scheduled reconcile). Built from Ben's public API
 * only ({@link BenSettings#of}, {@link BenSettings#plus}); the CDK app, the SAM drift test and the local demo read it.
 */
public final class OrdersExample {

    /** Classpath resource of the example's declaration (packed from {@code examples/orders/ben.json}). */
    public static final String DECLARATION_RESOURCE = "/dev/ben/examples/orders/ben.json";
    /** The declaration's source: system A's orders table. */
    public static final String SOURCE = "orders";
    /** The event type of the declaration's rule. */
    public static final String ORDER_PAID = "order.paid";

    /** B's copy of the orders (partition key {@code orderId}, GSI {@code byStatus}). */
    public static final String RECEIVER_ORDERS_TABLE = "receiver-orders";
    /** The receiver kit's idempotency records (and reconcile's cursor). */
    public static final String RECEIVER_IDEMPOTENCY_TABLE = "receiver-idempotency";
    /** B's public HTTP API (the webhook verifies signatures itself). */
    public static final String RECEIVER_API = "receiver-api";
    /** The webhook's route on {@link #RECEIVER_API}. */
    public static final String WEBHOOK_ROUTE = "/webhooks/orders";
    /** Function logical names. */
    public static final String RECEIVER_FUNCTION = "receiver";
    public static final String RECONCILE_FUNCTION = "reconcile";
    /** The idempotency scope of B's order.paid handler: the webhook and reconcile share it. */
    public static final String SCOPE = "orders";
    /** The Maven module whose shaded jar runs both functions. */
    public static final String MODULE = "examples/orders/receiver";

    private OrdersExample() {
    }

    /** The example's declaration. */
    public static Declaration declaration() {
        try (InputStream in = OrdersExample.class.getResourceAsStream(DECLARATION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + DECLARATION_RESOURCE + " on the classpath (this module packs"
                        + " examples/orders/ben.json)");
            }
            return Declaration.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DECLARATION_RESOURCE, e);
        }
    }

    /** The whole example: Ben on the declaration plus B's tables and functions. */
    public static BenSettings settings() {
        return BenSettings.of(declaration()).plus(receiverTables(), List.of(), receiverFunctions());
    }

    /** B's tables. */
    public static List<TableSpec> receiverTables() {
        return List.of(
                new TableSpec(RECEIVER_ORDERS_TABLE, "BEN_RECEIVER_ORDERS_TABLE", "orderId", "", "", "",
                        List.of(new IndexSpec("byStatus", "status", "updatedAt")), List.of()),
                new TableSpec(RECEIVER_IDEMPOTENCY_TABLE, "BEN_RECEIVER_IDEMPOTENCY_TABLE", "id", "", "", "expiresAt",
                        List.of(), List.of()));
    }

    /** B's functions: the webhook receiver and scheduled reconcile. */
    public static List<FunctionSpec> receiverFunctions() {
        return List.of(
                new FunctionSpec(RECEIVER_FUNCTION, "dev.ben.examples.orders.webhook.ReceiverHandler", MODULE, 512,
                        Duration.ofSeconds(10),
                        List.of(new HttpTrigger(RECEIVER_API, "POST", WEBHOOK_ROUTE, HttpAuth.NONE)),
                        List.of(RECEIVER_ORDERS_TABLE, RECEIVER_IDEMPOTENCY_TABLE),
                        List.of()),
                new FunctionSpec(RECONCILE_FUNCTION, "dev.ben.reconcile.ReconcileHandler", MODULE,
                        512, Duration.ofSeconds(120),
                        List.of(new ScheduleTrigger("ben-reconcile", "rate(15 minutes)")),
                        List.of(RECEIVER_ORDERS_TABLE, RECEIVER_IDEMPOTENCY_TABLE),
                        List.of()));
    }

    /**
     * The reconcile function's own settings for the library's generic handler: the target class and the cursor's
     * table (the idempotency table), given the physical table names.
     */
    public static Map<String, String> reconcileEnvironment(Map<String, String> tableNames) {
        return Map.of("BEN_RECONCILE_TARGET", "dev.ben.examples.orders.reconcile.OrdersReconcileTarget",
                "BEN_RECONCILE_CURSOR_TABLE", tableNames.getOrDefault(RECEIVER_IDEMPOTENCY_TABLE,
                        RECEIVER_IDEMPOTENCY_TABLE));
    }

    /** The physical name of one of B's tables: its environment variable, else the logical name (locally). */
    public static String tableName(Map<String, String> env, String logicalName) {
        String envVar = receiverTables().stream().filter(t -> t.logicalName().equals(logicalName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table " + logicalName + " in the example"))
                .envVar();
        String value = env.get(envVar);
        return value == null || value.isBlank() ? logicalName : value;
    }
}

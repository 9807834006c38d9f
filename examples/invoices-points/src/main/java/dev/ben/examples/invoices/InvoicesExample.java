package dev.ben.examples.invoices;

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
 * The invoices example: A's {@code invoices} table emits {@code invoice.paid}; B (a loyalty service) credits the
 * customer's points once per paid invoice. B is built only from the receiver kit and the reconcile library; its
 * reconcile function is the library's generic {@code dev.ben.reconcile.ReconcileHandler} pointed at
 * {@link PointsReconcileTarget}.
 */
public final class InvoicesExample {

    public static final String DECLARATION_RESOURCE = "/dev/ben/examples/invoices/ben.json";
    public static final String SOURCE_TABLE = "invoices";
    public static final String INVOICE_PAID = "invoice.paid";
    /** B's invoices awaiting payment (pk invoiceId, GSI byStatus on status + invoiceId). */
    public static final String AWAITING_TABLE = "points-invoices";
    /** B's customers' point balances (pk customerId). */
    public static final String BALANCES_TABLE = "points-balances";
    /** B's idempotency records and reconcile cursor (pk id, TTL expiresAt). */
    public static final String IDEMPOTENCY_TABLE = "points-idempotency";
    public static final String RECEIVER_API = "points-api";
    public static final String WEBHOOK_ROUTE = "/webhooks/invoices";
    public static final String RECEIVER_FUNCTION = "points-receiver";
    public static final String RECONCILE_FUNCTION = "points-reconcile";
    public static final String RECONCILE_SCHEDULE = "points-reconcile";
    /** The idempotency scope of B's handler: the webhook and reconcile share it. */
    public static final String SCOPE = "points";
    public static final String MODULE = "examples/invoices-points";

    private InvoicesExample() {
    }

    public static Declaration declaration() {
        try (InputStream in = InvoicesExample.class.getResourceAsStream(DECLARATION_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("no " + DECLARATION_RESOURCE + " on the classpath");
            }
            return Declaration.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DECLARATION_RESOURCE, e);
        }
    }

    /** The declaration's JSON text (the sender's {@code BEN_DECLARATION}). */
    public static String declarationJson() {
        try (InputStream in = InvoicesExample.class.getResourceAsStream(DECLARATION_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DECLARATION_RESOURCE, e);
        }
    }

    /** Ben on the declaration plus B's tables and functions. */
    public static BenSettings settings() {
        return BenSettings.of(declaration()).plus(receiverTables(), List.of(), receiverFunctions());
    }

    public static List<TableSpec> receiverTables() {
        return List.of(
                new TableSpec(AWAITING_TABLE, "BEN_POINTS_INVOICES_TABLE", "invoiceId", "", "", "",
                        List.of(new IndexSpec("byStatus", "status", "invoiceId")), List.of()),
                new TableSpec(BALANCES_TABLE, "BEN_POINTS_BALANCES_TABLE", "customerId", "", "", "", List.of(),
                        List.of()),
                new TableSpec(IDEMPOTENCY_TABLE, "BEN_POINTS_IDEMPOTENCY_TABLE", "id", "", "", "expiresAt",
                        List.of(), List.of()));
    }

    public static List<FunctionSpec> receiverFunctions() {
        List<String> tables = List.of(AWAITING_TABLE, BALANCES_TABLE, IDEMPOTENCY_TABLE);
        return List.of(
                new FunctionSpec(RECEIVER_FUNCTION, PointsReceiverHandler.class.getName(), MODULE, 512,
                        Duration.ofSeconds(10),
                        List.of(new HttpTrigger(RECEIVER_API, "POST", WEBHOOK_ROUTE, HttpAuth.NONE)), tables,
                        List.of()),
                new FunctionSpec(RECONCILE_FUNCTION, "dev.ben.reconcile.ReconcileHandler", MODULE, 512,
                        Duration.ofSeconds(120),
                        List.of(new ScheduleTrigger(RECONCILE_SCHEDULE, "rate(15 minutes)")), tables, List.of()));
    }

    /** The reconcile function's own settings: the target class and the cursor's table. */
    public static Map<String, String> reconcileEnvironment(Map<String, String> tableNames) {
        return Map.of("BEN_RECONCILE_TARGET", PointsReconcileTarget.class.getName(),
                "BEN_RECONCILE_CURSOR_TABLE", tableNames.getOrDefault(IDEMPOTENCY_TABLE, IDEMPOTENCY_TABLE));
    }

    /** The physical name of one of B's tables: its environment variable, else the logical name. */
    public static String tableName(Map<String, String> env, String logicalName) {
        String envVar = receiverTables().stream().filter(t -> t.logicalName().equals(logicalName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table " + logicalName + " in the example"))
                .envVar();
        String value = env.get(envVar);
        return value == null || value.isBlank() ? logicalName : value;
    }
}

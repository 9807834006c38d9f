package dev.ben.examples.orders.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.examples.orders.internal.AwsClients;
import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.reconcile.internal.DynamoDbScanCursor;
import dev.ben.examples.orders.reconcile.internal.HttpStatusApi;
import dev.ben.examples.orders.reconcile.internal.RequestAuthorizer;
import dev.ben.examples.orders.reconcile.internal.SigV4RequestSigner;
import dev.ben.examples.orders.store.internal.DynamoDbOrderStore;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.settings.EnvVars;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Scheduled reconciliation (EventBridge): B's orders still PENDING past a threshold are checked against A's
 * status API and fixed through the receiver kit's idempotent path. Returns the run's summary; emits EMF metrics
 * {@code checked}, {@code fixed}, {@code stillPending}, {@code errors}.
 *
 * <p>Environment: {@code BEN_STATUS_API_URL}; {@code BEN_STATUS_API_TOKEN} when the status API is token-protected
 * (the local stack) — without it, requests are SigV4-signed (service {@code execute-api}, region {@code AWS_REGION},
 * the function's role credentials) for the IAM-authorized route in AWS; the receiver tables' env vars,
 * optional {@code BEN_RECONCILE_PENDING_AFTER} (ISO-8601 duration, default PT15M) and
 * {@code BEN_RECONCILE_MAX_PER_RUN} (default 500).
 */
public class ReconcileHandler implements RequestHandler<ScheduledEvent, Map<String, Object>>, Resource {

    public static final String PENDING_AFTER = "BEN_RECONCILE_PENDING_AFTER";
    public static final String MAX_PER_RUN = "BEN_RECONCILE_MAX_PER_RUN";

    private final Reconciler reconciler;
    private final JsonLines log;
    private final Runnable priming;

    public ReconcileHandler() {
        this(System.getenv());
    }

    public ReconcileHandler(Map<String, String> env) {
        this(env, AwsClients.dynamoDb(env, "reconcile"), JsonLines.stdout("reconcile"));
        Core.getGlobalContext().register(this);
    }

    private ReconcileHandler(Map<String, String> env, DynamoDbClient dynamoDb, JsonLines log) {
        this(wire(env, dynamoDb, log), log, () -> new DynamoDbOrderStore(dynamoDb,
                table(env, OrdersExample.RECEIVER_ORDERS_TABLE), Clock.systemUTC()).find("ben-priming-probe"));
    }

    ReconcileHandler(Reconciler reconciler, JsonLines log, Runnable priming) {
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.log = Objects.requireNonNull(log, "log");
        this.priming = Objects.requireNonNull(priming, "priming");
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        ReconcileSummary summary = reconciler.run();
        log.metrics(Map.of("checked", summary.checked(), "fixed", summary.fixed(),
                "stillPending", summary.stillPending(), "errors", summary.errors()));
        Map<String, Object> fields = new LinkedHashMap<>(summary.asMap());
        if (context != null) {
            fields.put("requestId", context.getAwsRequestId());
        }
        log.log(summary.errors() > 0 ? "WARN" : "INFO", "reconcile run", fields);
        return summary.asMap();
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        priming.run();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // clients reconnect lazily
    }

    private static Reconciler wire(Map<String, String> env, DynamoDbClient dynamoDb, JsonLines log) {
        String url = require(env, EnvVars.STATUS_API_URL, "base URL of system A's status API");
        RequestAuthorizer authorizer = authorizer(env);
        Reconciler.Settings defaults = Reconciler.Settings.DEFAULTS;
        Duration pendingAfter;
        int maxPerRun;
        try {
            pendingAfter = env.containsKey(PENDING_AFTER) ? Duration.parse(env.get(PENDING_AFTER).strip())
                    : defaults.pendingAfter();
        } catch (RuntimeException e) {
            throw new IllegalStateException(PENDING_AFTER + " must be an ISO-8601 duration such as PT15M, was '"
                    + env.get(PENDING_AFTER) + "'", e);
        }
        try {
            maxPerRun = env.containsKey(MAX_PER_RUN) ? Integer.parseInt(env.get(MAX_PER_RUN).strip())
                    : defaults.maxPerRun();
        } catch (NumberFormatException e) {
            throw new IllegalStateException(MAX_PER_RUN + " must be a positive integer, was '"
                    + env.get(MAX_PER_RUN) + "'", e);
        }
        String idempotencyTable = table(env, OrdersExample.RECEIVER_IDEMPOTENCY_TABLE);
        IdempotentExecutor executor = IdempotentExecutor.builder().dynamoDb(dynamoDb, idempotencyTable).build();
        return new Reconciler(
                new DynamoDbOrderStore(dynamoDb, table(env, OrdersExample.RECEIVER_ORDERS_TABLE), Clock.systemUTC()),
                HttpStatusApi.create(URI.create(url), authorizer), executor,
                new DynamoDbScanCursor(dynamoDb, idempotencyTable),
                new Reconciler.Settings(pendingAfter, maxPerRun, defaults.pageSize()), Clock.systemUTC(), log);
    }

    /** Bearer token when {@code BEN_STATUS_API_TOKEN} is set (local stack), otherwise SigV4 (IAM auth in AWS). */
    static RequestAuthorizer authorizer(Map<String, String> env) {
        String token = env.get(EnvVars.STATUS_API_TOKEN);
        if (token != null && !token.isBlank()) {
            return RequestAuthorizer.bearer(token);
        }
        String region = require(env, "AWS_REGION",
                "region for SigV4-signing status API requests (or set " + EnvVars.STATUS_API_TOKEN + ")");
        return new SigV4RequestSigner(AwsClients.credentials(env), region.strip(), Clock.systemUTC());
    }

    private static String require(Map<String, String> env, String name, String what) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: " + what);
        }
        return value;
    }

    private static String table(Map<String, String> env, String logicalName) {
        return OrdersExample.tableName(env, logicalName);
    }
}

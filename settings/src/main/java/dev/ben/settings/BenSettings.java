package dev.ben.settings;

import dev.ben.settings.TableSpec.IndexSpec;
import dev.ben.settings.TableSpec.Projection;
import dev.ben.settings.Trigger.HttpAuth;
import dev.ben.settings.Trigger.HttpTrigger;
import dev.ben.settings.Trigger.QueueTrigger;
import dev.ben.settings.Trigger.ScheduleTrigger;
import dev.ben.settings.Trigger.StreamTrigger;
import dev.ben.settings.declaration.ChangeKind;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.KeyAttribute;
import dev.ben.settings.declaration.KeyType;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The whole stack, declared once. The CDK app, the SAM drift test and the local runtime read this;
 * nothing else may repeat these values.
 *
 * <p>{@link #of(Declaration)} is the stack for a user's declaration: Ben's own tables, queues and functions, plus
 * one table spec per declared source (named by the source's name; Ben only reads its stream) and one stream trigger
 * of notify per source. {@link #own()} is Ben's own part alone (for code that only needs the names of Ben's tables
 * and queues). A part deployed beside Ben in the same stack (a receiver, say) adds its own tables, queues and
 * functions with {@link #plus}: the CDK construct, the SAM drift test and the local runtime then treat them alike.
 *
 * <pre>{@code
 * BenSettings settings = BenSettings.of(Declaration.read(Path.of("ben.json")))
 *         .plus(List.of(myReceiverTable), List.of(), List.of(myReceiverFunction));
 * }</pre>
 *
 * @param sources logical names of the tables in {@code tables} that are the user's sources (not Ben's own)
 */
public record BenSettings(List<TableSpec> tables, List<QueueSpec> queues, List<FunctionSpec> functions,
                          List<String> sources) {

    // Logical names: physical names locally, construct ids in CDK.
    public static final String ENDPOINTS_TABLE = "ben-endpoints";
    public static final String DELIVERIES_TABLE = "ben-deliveries";
    public static final String ATTEMPTS_TABLE = "ben-attempts";
    /** Tenants: allowed hosts and signing secrets of per-record URL deliveries (partition key tenantId). */
    public static final String TENANTS_TABLE = "ben-tenants";
    /** One small item per event (type, entity, tenant, version/sequence, its endpoints), for the status API. */
    public static final String EVENTS_TABLE = "ben-events";
    /** The management API's idempotency keys (partition key idempotencyKey, TTL expiresAt). */
    public static final String IDEMPOTENCY_TABLE = "ben-idempotency";

    public static final String RETRY_QUEUE = "ben-retry";
    public static final String RETRY_DLQ = "ben-retry-dlq";
    public static final String NOTIFY_FAILURES_QUEUE = "ben-notify-failures";

    public static final String SENDER_API = "sender-api";
    /** Tenants, endpoints, deliveries, replay and recovery over HTTP (docs/api/openapi.yaml). */
    public static final String MANAGEMENT_API = "management-api";
    /**
     * Where {@code ./ben-local} writes the management API's URL and bearer token for tools on the same machine,
     * relative to the user's home directory: JSON {@code {"url": "...", "token": "..."}}, readable by the user only,
     * removed when it stops.
     */
    public static final String LOCAL_MANAGEMENT_API_FILE = ".ben/local-api.json";
    /** The management API's catch-all route (the most specific route wins, so only unknown requests take it). */
    public static final String MANAGEMENT_FALLBACK_ROUTE = "/v1/{proxy+}";
    /** The management API's function. */
    public static final String MANAGEMENT_FUNCTION = "management-api";

    /** Retry function timeout; the retry queue's visibility timeout is 6 × this, as AWS advises. */
    public static final Duration RETRY_FUNCTION_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How often the sweeper runs: a closed circuit's parked backlog starts draining, and a due probe is carried to
     * the receiver, within this long. The sweeper sizes each run's release by it.
     */
    public static final Duration SWEEPER_INTERVAL = Duration.ofMinutes(1);

    public BenSettings {
        tables = List.copyOf(tables);
        queues = List.copyOf(queues);
        functions = List.copyOf(functions);
        sources = List.copyOf(sources);
    }

    /** Settings without source tables. */
    public BenSettings(List<TableSpec> tables, List<QueueSpec> queues, List<FunctionSpec> functions) {
        this(tables, queues, functions, List.of());
    }

    /** The stack for this declaration (validated when it was built). */
    public static BenSettings of(Declaration declaration) {
        List<TableSpec> tables = new ArrayList<>();
        List<Trigger> streams = new ArrayList<>();
        List<String> sourceNames = new ArrayList<>();
        for (Source source : declaration.sources()) {
            if (OWN_TABLE_NAMES.contains(source.name())) {
                throw new IllegalArgumentException("source name '" + source.name() + "' is the name of one of Ben's"
                        + " own tables " + OWN_TABLE_NAMES + ": rename the source in the declaration");
            }
            tables.add(sourceTable(source));
            streams.add(notifyStream(source));
            sourceNames.add(source.name());
        }
        tables.addAll(benTables());
        return new BenSettings(tables, defaultQueues(), defaultFunctions(sourceNames, streams), sourceNames);
    }

    /** Ben's own tables, queues and functions, without any source (notify has no stream trigger). */
    public static BenSettings own() {
        return new BenSettings(benTables(), defaultQueues(), defaultFunctions(List.of(), List.of()));
    }

    /**
     * These settings plus another part's own tables, queues and functions, deployed and run with Ben's (e.g. a
     * receiver and its tables in the same stack). The sources stay those of the declaration.
     *
     * @throws IllegalArgumentException when a logical name is already taken, or a new function names a table or
     *                                  queue (directly or in a trigger) that the result does not have
     */
    public BenSettings plus(List<TableSpec> moreTables, List<QueueSpec> moreQueues, List<FunctionSpec> moreFunctions) {
        List<TableSpec> allTables = new ArrayList<>(tables);
        allTables.addAll(moreTables);
        List<QueueSpec> allQueues = new ArrayList<>(queues);
        allQueues.addAll(moreQueues);
        List<FunctionSpec> allFunctions = new ArrayList<>(functions);
        allFunctions.addAll(moreFunctions);
        unique("table", allTables.stream().map(TableSpec::logicalName).toList());
        unique("queue", allQueues.stream().map(QueueSpec::logicalName).toList());
        unique("function", allFunctions.stream().map(FunctionSpec::logicalName).toList());
        Set<String> tableNames = allTables.stream().map(TableSpec::logicalName).collect(Collectors.toSet());
        Set<String> queueNames = allQueues.stream().map(QueueSpec::logicalName).collect(Collectors.toSet());
        for (FunctionSpec f : moreFunctions) {
            List<String> usedTables = new ArrayList<>(f.tables());
            List<String> usedQueues = new ArrayList<>(f.queues());
            for (Trigger t : f.triggers()) {
                switch (t) {
                    case StreamTrigger s -> {
                        usedTables.add(s.table());
                        s.onFailureDestination().ifPresent(usedQueues::add);
                    }
                    case QueueTrigger q -> usedQueues.add(q.queue());
                    case ScheduleTrigger s -> { }
                    case HttpTrigger h -> { }
                }
            }
            usedTables.stream().filter(n -> !tableNames.contains(n)).findFirst().ifPresent(n -> {
                throw new IllegalArgumentException("function " + f.logicalName() + " uses table '" + n
                        + "', which these settings do not have: add its TableSpec to plus(...)");
            });
            usedQueues.stream().filter(n -> !queueNames.contains(n)).findFirst().ifPresent(n -> {
                throw new IllegalArgumentException("function " + f.logicalName() + " uses queue '" + n
                        + "', which these settings do not have: add its QueueSpec to plus(...)");
            });
        }
        return new BenSettings(allTables, allQueues, allFunctions, sources);
    }

    private static void unique(String kind, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("two " + kind + "s are named '" + name + "': give the added "
                        + kind + " another logical name");
            }
        }
    }

    /** The user's source tables (Ben reads their streams; it must not create them on the user's account). */
    public List<TableSpec> sourceTables() {
        return tables.stream().filter(t -> sources.contains(t.logicalName())).toList();
    }

    /** The tables Ben owns and creates. */
    public List<TableSpec> ownTables() {
        return tables.stream().filter(t -> !sources.contains(t.logicalName())).toList();
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

    private static final Set<String> OWN_TABLE_NAMES = benTables().stream().map(TableSpec::logicalName)
            .collect(Collectors.toUnmodifiableSet());

    private static TableSpec sourceTable(Source source) {
        List<String> numbers = new ArrayList<>();
        List<KeyAttribute> keys = new ArrayList<>(List.of(source.partitionKey()));
        source.sortKeyAttribute().ifPresent(keys::add);
        keys.stream().filter(k -> k.type() == KeyType.N).forEach(k -> numbers.add(k.name()));
        return new TableSpec(source.name(), source.tableEnvVar(), source.partitionKey().name(),
                source.sortKeyAttribute().map(KeyAttribute::name).orElse(""), source.streamViewType().name(), "",
                List.of(), numbers);
    }

    /** Notify's trigger on a source: only the record kinds some rule listens to pass the filter. */
    private static StreamTrigger notifyStream(Source source) {
        Set<ChangeKind> kinds = EnumSet.noneOf(ChangeKind.class);
        source.rules().stream().map(Rule::on).forEach(kinds::addAll);
        String filter = "{\"eventName\":[" + kinds.stream().map(k -> "\"" + k.name() + "\"")
                .collect(Collectors.joining(",")) + "]}";
        // No batching window: a change is POSTed as soon as the stream has it (latency over batch size; notify
        // already parallelises within a batch).
        return new StreamTrigger(source.name(), 100, Duration.ZERO, "TRIM_HORIZON", true, 10, Duration.ofDays(1), true,
                List.of(filter), NOTIFY_FAILURES_QUEUE, source.parallelization());
    }

    private static List<TableSpec> benTables() {
        return List.of(
                new TableSpec(ENDPOINTS_TABLE, "BEN_ENDPOINTS_TABLE", "endpointId", "", "", "",
                        List.of(), List.of()),
                new TableSpec(DELIVERIES_TABLE, "BEN_DELIVERIES_TABLE", "deliveryId", "", "", "expiresAt",
                        // Keys only: a delivery's state changes never write its byEntity/byEndpoint entries, and no
                        // payload is copied. byDue is sparse (live deliveries only) and its key is the status plus
                        // one of 16 shards, so no index partition takes every live delivery.
                        List.of(new IndexSpec("byDue", "dueShard", "nextAttemptAt", Projection.KEYS_ONLY),
                                new IndexSpec("byEntity", "entityId", "createdAt", Projection.KEYS_ONLY),
                                new IndexSpec("byEndpoint", "endpointId", "createdAt", Projection.KEYS_ONLY)),
                        List.of()),
                new TableSpec(ATTEMPTS_TABLE, "BEN_ATTEMPTS_TABLE", "deliveryId", "attemptNumber", "", "expiresAt",
                        List.of(), List.of("attemptNumber")),
                new TableSpec(TENANTS_TABLE, "BEN_TENANTS_TABLE", "tenantId", "", "", "", List.of(), List.of()),
                new TableSpec(EVENTS_TABLE, "BEN_EVENTS_TABLE", "eventId", "", "", "expiresAt", List.of(), List.of()),
                new TableSpec(IDEMPOTENCY_TABLE, "BEN_IDEMPOTENCY_TABLE", "idempotencyKey", "", "", "expiresAt",
                        List.of(), List.of()));
    }

    /**
     * Notify reads a source table only through its stream (the trigger); it writes attempt rows and event items
     * without reading them back, and reads tenants.
     */
    private static Map<String, Access> notifyAccess(List<String> sources) {
        Map<String, Access> access = new LinkedHashMap<>();
        sources.forEach(source -> access.put(source, Access.TRIGGER_ONLY));
        access.put(ATTEMPTS_TABLE, Access.WRITE);
        access.put(EVENTS_TABLE, Access.WRITE);
        access.put(TENANTS_TABLE, Access.READ);
        return access;
    }

    private static List<QueueSpec> defaultQueues() {
        return List.of(
                // Backoff is a chain of delayed messages (≤ 900 s a hop), so waits hold no in-flight message; the
                // redrive only catches messages whose processing keeps throwing, Ben itself decides exhaustion.
                new QueueSpec(RETRY_QUEUE, "BEN_RETRY_QUEUE_URL", RETRY_FUNCTION_TIMEOUT.multipliedBy(6),
                        Duration.ofDays(4), RETRY_DLQ, 25),
                new QueueSpec(RETRY_DLQ, "BEN_RETRY_DLQ_URL", Duration.ofSeconds(30), Duration.ofDays(14), "", 0),
                new QueueSpec(NOTIFY_FAILURES_QUEUE, "BEN_NOTIFY_FAILURES_QUEUE_URL", Duration.ofSeconds(30),
                        Duration.ofDays(14), "", 0));
    }

    private static List<FunctionSpec> defaultFunctions(List<String> sources, List<Trigger> streams) {
        List<String> notifyTables = new ArrayList<>(sources);
        notifyTables.addAll(List.of(ENDPOINTS_TABLE, DELIVERIES_TABLE, ATTEMPTS_TABLE, TENANTS_TABLE, EVENTS_TABLE));
        return List.of(
                new FunctionSpec("notify", "dev.ben.sender.notify.NotifyHandler", "functions/ben-sender", 1024,
                        Duration.ofSeconds(60), streams, notifyTables, List.of(RETRY_QUEUE, RETRY_DLQ),
                        notifyAccess(sources)),
                new FunctionSpec("retry", "dev.ben.sender.retry.RetryHandler", "functions/ben-sender", 1024,
                        RETRY_FUNCTION_TIMEOUT,
                        List.of(new QueueTrigger(RETRY_QUEUE, 10, Duration.ZERO, true, 10)),
                        List.of(ENDPOINTS_TABLE, DELIVERIES_TABLE, ATTEMPTS_TABLE, TENANTS_TABLE),
                        List.of(RETRY_QUEUE, RETRY_DLQ))
                        // it consumes its queue through the trigger and sends each wait's next hop (a delayed message)
                        .withAccess(ATTEMPTS_TABLE, Access.WRITE)
                        .withAccess(TENANTS_TABLE, Access.READ),
                new FunctionSpec("sweeper", "dev.ben.sender.sweeper.SweeperHandler", "functions/ben-sender", 512,
                        Duration.ofSeconds(60),
                        List.of(new ScheduleTrigger("ben-sweeper", rate(SWEEPER_INTERVAL))),
                        List.of(DELIVERIES_TABLE, ENDPOINTS_TABLE),
                        List.of(RETRY_QUEUE))
                        // it lists the endpoints to find the circuits whose parked deliveries are due for release
                        .withAccess(ENDPOINTS_TABLE, Access.READ),
                new FunctionSpec("status-api", "dev.ben.sender.status.StatusApiHandler", "functions/ben-sender", 512,
                        Duration.ofSeconds(10),
                        // Ben's own tables only: the status API never reads a source table.
                        List.of(new HttpTrigger(SENDER_API, "GET", "/entities/{entityId}/events", HttpAuth.IAM),
                                new HttpTrigger(SENDER_API, "GET", "/events/{eventId}", HttpAuth.IAM),
                                new HttpTrigger(SENDER_API, "GET", "/deliveries/{deliveryId}", HttpAuth.IAM)),
                        List.of(DELIVERIES_TABLE, ATTEMPTS_TABLE, EVENTS_TABLE),
                        List.of())
                        .withAccess(DELIVERIES_TABLE, Access.READ)
                        .withAccess(ATTEMPTS_TABLE, Access.READ)
                        .withAccess(EVENTS_TABLE, Access.READ),
                managementFunction());
    }

    /** An EventBridge rate expression for a whole number of minutes ({@code rate(1 minute)}, {@code rate(5 minutes)}). */
    static String rate(Duration every) {
        long minutes = every.toMinutes();
        if (minutes < 1 || !every.equals(Duration.ofMinutes(minutes))) {
            throw new IllegalArgumentException("a schedule rate must be whole minutes, got " + every);
        }
        return "rate(" + minutes + (minutes == 1 ? " minute)" : " minutes)");
    }

    /**
     * The management API: one route per operation (so an IAM policy can allow single operations, and tenant-scoped
     * ones per tenant by the path); it reads attempts, consumes the dead-letter queue only to inspect and redrive it,
     * and sends replays to the retry queue.
     */
    private static FunctionSpec managementFunction() {
        return new FunctionSpec(MANAGEMENT_FUNCTION, "dev.ben.admin.ManagementApiHandler", "functions/ben-admin", 1024,
                Duration.ofSeconds(30), managementRoutes(),
                List.of(ENDPOINTS_TABLE, DELIVERIES_TABLE, ATTEMPTS_TABLE, TENANTS_TABLE, IDEMPOTENCY_TABLE),
                List.of(RETRY_QUEUE, RETRY_DLQ))
                .withAccess(ATTEMPTS_TABLE, Access.READ)
                .withAccess(RETRY_DLQ, Access.CONSUME);
    }

    private static List<Trigger> managementRoutes() {
        String tenant = "/v1/tenants/{tenantId}";
        String endpoint = tenant + "/endpoints/{endpointId}";
        String delivery = tenant + "/deliveries/{deliveryId}";
        List<String> routes = List.of(
                "POST /v1/tenants", "GET /v1/tenants", "GET " + tenant, "PATCH " + tenant,
                "POST " + tenant + "/secret/rotate", "POST " + tenant + "/secret/retire",
                "POST " + tenant + "/endpoints", "GET " + tenant + "/endpoints",
                "GET " + endpoint, "PATCH " + endpoint, "DELETE " + endpoint,
                "POST " + endpoint + "/disable", "POST " + endpoint + "/enable",
                "POST " + endpoint + "/secret/rotate", "POST " + endpoint + "/secret/retire",
                "POST " + endpoint + "/test", "POST " + endpoint + "/recover",
                "GET " + tenant + "/deliveries", "GET " + delivery, "POST " + delivery + "/replay",
                "GET " + tenant + "/stats", "GET /v1/stats", "GET /v1/dlq", "POST /v1/dlq/redrive",
                // anything else under /v1 reaches the function too, so unknown paths and methods get the API's own
                // 404/405 error shape instead of API Gateway's {"message":"Not Found"}
                "ANY " + MANAGEMENT_FALLBACK_ROUTE);
        return routes.stream().map(r -> r.split(" ", 2))
                .<Trigger>map(r -> new HttpTrigger(MANAGEMENT_API, r[0], r[1], HttpAuth.IAM)).toList();
    }
}

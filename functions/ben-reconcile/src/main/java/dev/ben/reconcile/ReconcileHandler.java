package dev.ben.reconcile;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.ben.core.observability.JsonLog;
import dev.ben.core.observability.MetricsLine;
import dev.ben.settings.EnvVars;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The generic reconcile function (EventBridge schedule), configured by environment:
 *
 * <table>
 * <caption>Environment</caption>
 * <tr><td>{@code BEN_RECONCILE_TARGET}</td><td>the receiver's {@link ReconcileTarget} class; without it, the one
 *     {@code ReconcileTarget} service provider on the classpath</td></tr>
 * <tr><td>{@code BEN_STATUS_API_URL}</td><td>required: base URL of A's status API</td></tr>
 * <tr><td>{@code BEN_STATUS_API_TOKEN}</td><td>bearer token (local stack); without it requests are SigV4-signed
 *     (service {@code execute-api}, region {@code AWS_REGION}, the function's role)</td></tr>
 * <tr><td>{@code BEN_RECONCILE_CURSOR_TABLE}</td><td>table (pk {@code id}) of the cursor item, usually the
 *     idempotency table; without it, {@link ReconcileTarget#cursor()}</td></tr>
 * <tr><td>{@code BEN_RECONCILE_PAGE_SIZE}, {@code BEN_RECONCILE_PARALLELISM}</td><td>50, 8</td></tr>
 * <tr><td>{@code BEN_RECONCILE_HORIZON}</td><td>ISO-8601, {@code P7D}: older pending records are reported</td></tr>
 * <tr><td>{@code BEN_RECONCILE_RESERVE}</td><td>ISO-8601, {@code PT10S}: time kept back at the end</td></tr>
 * <tr><td>{@code BEN_RECONCILE_BUDGET}</td><td>ISO-8601, {@code PT1M}: the run's time when there is no Lambda
 *     context (the local runtime); in Lambda, the invocation's remaining time</td></tr>
 * <tr><td>{@code BEN_STATUS_API_TIMEOUT}</td><td>ISO-8601, {@code PT5S} per request</td></tr>
 * </table>
 *
 * <p>Returns and logs the {@link ReconcileSummary}; emits one EMF line (namespace {@code Ben}, dimensions
 * {@code service=reconcile}, {@code scope=<executor scope>}; metrics {@code checked}, {@code applied},
 * {@code replayed}, {@code errors}, {@code pastHorizon}) — the receiver constructs alarm on {@code pastHorizon}.
 */
public class ReconcileHandler implements RequestHandler<ScheduledEvent, Map<String, Object>>, Resource {

    public static final String TARGET = "BEN_RECONCILE_TARGET";
    public static final String CURSOR_TABLE = "BEN_RECONCILE_CURSOR_TABLE";
    public static final String PAGE_SIZE = "BEN_RECONCILE_PAGE_SIZE";
    public static final String PARALLELISM = "BEN_RECONCILE_PARALLELISM";
    public static final String HORIZON = "BEN_RECONCILE_HORIZON";
    public static final String RESERVE = "BEN_RECONCILE_RESERVE";
    public static final String BUDGET = "BEN_RECONCILE_BUDGET";
    public static final String STATUS_API_TIMEOUT = "BEN_STATUS_API_TIMEOUT";
    /** Metric dimensions and the name the horizon alarm watches. */
    public static final String SERVICE = "reconcile";
    public static final String PAST_HORIZON_METRIC = "pastHorizon";

    private final Reconciler reconciler;
    private final String scope;
    private final Duration budget;
    private final Clock clock;
    private final JsonLog log;
    private final Consumer<String> out;

    public ReconcileHandler() {
        this(System.getenv());
    }

    public ReconcileHandler(Map<String, String> env) {
        this(env, ReceiverClients.dynamoDb(env, SERVICE), target(env));
        Core.getGlobalContext().register(this);
    }

    private ReconcileHandler(Map<String, String> env, DynamoDbClient dynamoDb, ReconcileTarget target) {
        this(wire(env, dynamoDb, target), target.executor().scope(), duration(env, BUDGET, Duration.ofMinutes(1)),
                Clock.systemUTC(), System.out::println);
    }

    ReconcileHandler(Reconciler reconciler, String scope, Duration budget, Clock clock, Consumer<String> out) {
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.out = Objects.requireNonNull(out, "out");
        this.log = new JsonLog(SERVICE, clock, out);
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        Instant end = clock.instant().plus(budget);
        ReconcileSummary summary = reconciler.run(context != null
                ? () -> Duration.ofMillis(context.getRemainingTimeInMillis())
                : () -> Duration.between(clock.instant(), end));
        out.accept(MetricsLine.ben().dimension("service", SERVICE).dimension("scope", scope)
                .count("checked", summary.checked()).count("applied", summary.applied())
                .count("replayed", summary.replayed()).count("errors", summary.errors())
                .count(PAST_HORIZON_METRIC, summary.pastHorizon()).toJson(clock.instant()));
        Map<String, Object> fields = new LinkedHashMap<>(summary.asMap());
        fields.put("scope", scope);
        if (context != null) {
            fields.put("requestId", context.getAwsRequestId());
        }
        if (summary.errors() > 0 || summary.pastHorizon() > 0) {
            log.warn("reconcile run", fields);
        } else {
            log.info("reconcile run", fields);
        }
        return summary.asMap();
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        // the clients connect lazily; nothing worth priming without calling A
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // clients reconnect lazily
    }

    private static Reconciler wire(Map<String, String> env, DynamoDbClient dynamoDb, ReconcileTarget target) {
        URI url = URI.create(require(env, EnvVars.STATUS_API_URL, "base URL of system A's status API"));
        String table = env.get(CURSOR_TABLE);
        CursorStore cursor = table != null && !table.isBlank()
                ? CursorStore.dynamoDb(dynamoDb, table.strip(), target.executor().scope())
                : target.cursor().orElseThrow(() -> new IllegalStateException(CURSOR_TABLE + " is not set and "
                        + target.getClass().getName() + " has no cursor(): name the table of the reconcile cursor"
                        + " (the idempotency table)"));
        Reconciler.Settings defaults = Reconciler.Settings.DEFAULTS;
        Reconciler.Settings settings = new Reconciler.Settings(
                integer(env, PAGE_SIZE, defaults.pageSize()), integer(env, PARALLELISM, defaults.parallelism()),
                duration(env, HORIZON, defaults.horizon()), duration(env, RESERVE, defaults.reserve()),
                defaults.maxUnreachableInARow());
        StatusApi api = HttpStatusApi.create(url, authorizer(env), duration(env, STATUS_API_TIMEOUT,
                Duration.ofSeconds(5)));
        return new Reconciler(target.pendingSource(), api, target.executor(), target.handler(),
                cursor, settings, Clock.systemUTC(),
                JsonLog.to(System.out, SERVICE, Clock.systemUTC()));
    }

    /** Bearer token when {@code BEN_STATUS_API_TOKEN} is set (local stack), otherwise SigV4 (IAM auth in AWS). */
    public static RequestAuthorizer authorizer(Map<String, String> env) {
        String token = env.get(EnvVars.STATUS_API_TOKEN);
        if (token != null && !token.isBlank()) {
            return RequestAuthorizer.bearer(token);
        }
        String region = require(env, "AWS_REGION",
                "region for SigV4-signing status API requests (or set " + EnvVars.STATUS_API_TOKEN + ")");
        return new SigV4RequestSigner(ReceiverClients.credentials(env), region.strip(), Clock.systemUTC());
    }

    static ReconcileTarget target(Map<String, String> env) {
        String configured = env.get(TARGET);
        if (configured == null || configured.isBlank()) {
            List<ServiceLoader.Provider<ReconcileTarget>> providers = ServiceLoader.load(ReconcileTarget.class)
                    .stream().toList();
            if (providers.size() != 1) {
                throw new IllegalStateException(TARGET + " is not set and the classpath has " + providers.size()
                        + " ReconcileTarget service providers: name the receiver's ReconcileTarget class");
            }
            // the provider's class, built like a named one: with this function's environment when it takes one
            return instantiate(providers.getFirst().type(), env);
        }
        String name = configured.strip();
        try {
            Class<?> type = Class.forName(name);
            if (!ReconcileTarget.class.isAssignableFrom(type)) {
                throw new IllegalStateException(TARGET + "=" + name + " does not implement "
                        + ReconcileTarget.class.getName());
            }
            return instantiate(type, env);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(TARGET + "=" + name + ": no such class on the classpath", e);
        }
    }

    private static ReconcileTarget instantiate(Class<?> type, Map<String, String> env) {
        String name = type.getName();
        try {
            try {
                return (ReconcileTarget) type.getConstructor(Map.class).newInstance(env);
            } catch (NoSuchMethodException noEnvConstructor) {
                return (ReconcileTarget) type.getConstructor().newInstance();
            }
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException(name + " needs a public (Map<String,String> env) or no-arg constructor", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(name + " failed to start: " + e.getCause(), e.getCause());
        }
    }

    private static String require(Map<String, String> env, String name, String what) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: " + what);
        }
        return value;
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " must be a positive integer, was '" + value + "'", e);
        }
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Duration.parse(value.strip());
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " must be an ISO-8601 duration such as PT10S or P7D, was '"
                    + value + "'", e);
        }
    }
}

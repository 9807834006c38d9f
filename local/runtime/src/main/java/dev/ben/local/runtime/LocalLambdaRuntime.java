package dev.ben.local.runtime;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.ben.local.runtime.internal.EventSource;
import dev.ben.local.runtime.internal.FunctionEnvironment;
import dev.ben.local.runtime.internal.FunctionIdentity;
import dev.ben.local.runtime.internal.HandlerFactory;
import dev.ben.local.runtime.internal.HandlerPool;
import dev.ben.local.runtime.internal.HttpApiServer;
import dev.ben.local.runtime.internal.HttpRoute;
import dev.ben.local.runtime.internal.LambdaFunction;
import dev.ben.local.runtime.internal.QueueEventSourceMapping;
import dev.ben.local.runtime.internal.RuntimeLog;
import dev.ben.local.runtime.internal.ScaledClock;
import dev.ben.local.runtime.internal.ScheduleExpression;
import dev.ben.local.runtime.internal.Scheduler;
import dev.ben.local.runtime.internal.StreamEventSourceMapping;
import dev.ben.local.runtime.internal.StreamFailureDestination;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.Trigger;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Deploys the functions of a {@link BenSettings} onto an {@link AwsTarget} (the local stack) and runs them the
 * way Lambda would: DynamoDB stream and SQS event source mappings, EventBridge schedules, and one HTTP API
 * (payload format 2.0) per api name, each invoking the real {@link RequestHandler} with real
 * aws-lambda-java-events objects and a {@code Context}.
 *
 * <h2>How handlers are created</h2>
 * A handler given with {@link Builder#handler(String, RequestHandler)} is used as is (shared by concurrent
 * invocations). Otherwise the runtime loads {@link FunctionSpec#handler()} by class name and constructs it with
 * its public {@code (Map<String,String> env)} constructor when it has one, else its public no-arg constructor
 * (which only sees the process environment). A class that is not on the classpath is skipped with a log line
 * (see {@link #skippedFunctions()}). Like Lambda execution environments, one instance never serves two
 * invocations at once: concurrent invocations create more instances.
 *
 * <h2>The function environment</h2>
 * Each function gets: the target's base environment; its declared tables' physical names under
 * {@code TableSpec.envVar()} and its declared queues' URLs under {@code QueueSpec.envVar()};
 * {@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} ({@code local}),
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL_DYNAMODB_STREAMS}, {@code AWS_ENDPOINT_URL_SQS};
 * {@code AWS_LAMBDA_FUNCTION_NAME}, {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}, …; {@code BEN_STATUS_API_URL}
 * (the local sender-api) and {@code BEN_API_URL_<API_NAME>} for every local HTTP API; then what the builder
 * adds with {@link Builder#environment(String, String)} and {@link Builder#environment(String, Map)}.
 *
 * <h2>Time</h2>
 * Schedules, record ages and event timestamps use the runtime clock: the system clock by default, or an
 * injected one ({@link Builder#clock(Clock)}), optionally compressed ({@link Builder#timeScale(double)}).
 * Overrides are explicit: {@link Builder#schedule(String, Duration)} replaces one rule's expression by a fixed
 * period. Function timeouts are enforced in real time.
 */
public final class LocalLambdaRuntime implements AutoCloseable {
    private final Map<String, LambdaFunction> functions;
    private final Map<String, String> skipped;
    private final Map<String, HttpApiServer> apis;
    private final Map<String, StreamEventSourceMapping> streamMappings;
    private final Map<String, QueueEventSourceMapping> queueMappings;
    private final Scheduler scheduler;
    private final List<EventSource> started;
    private final List<ExecutorService> executors;
    private final RuntimeLog log;
    private final Clock clock;
    private volatile boolean closed;

    private LocalLambdaRuntime(Map<String, LambdaFunction> functions, Map<String, String> skipped,
                               Map<String, HttpApiServer> apis, Map<String, StreamEventSourceMapping> streamMappings,
                               Map<String, QueueEventSourceMapping> queueMappings, Scheduler scheduler,
                               List<EventSource> started, List<ExecutorService> executors, RuntimeLog log, Clock clock) {
        this.functions = functions;
        this.skipped = skipped;
        this.apis = apis;
        this.streamMappings = streamMappings;
        this.queueMappings = queueMappings;
        this.scheduler = scheduler;
        this.started = started;
        this.executors = executors;
        this.log = log;
        this.clock = clock;
    }

    public static Builder builder(BenSettings settings, AwsTarget target) {
        return new Builder(settings, target);
    }

    /** Logical names of the deployed functions. */
    public Set<String> deployedFunctions() {
        return Collections.unmodifiableSet(functions.keySet());
    }

    /** Functions not deployed → why (e.g. handler class not on the classpath). */
    public Map<String, String> skippedFunctions() {
        return Collections.unmodifiableMap(skipped);
    }

    /** Base URL of the local HTTP API with this name (e.g. {@code http://127.0.0.1:43210}). */
    public URI httpEndpoint(String apiName) {
        HttpApiServer server = apis.get(apiName);
        if (server == null) {
            throw new NoSuchElementException("no HTTP API named " + apiName + " is running; running: " + apis.keySet());
        }
        return server.baseUri();
    }

    /** Api name → base URL of every running HTTP API. */
    public Map<String, URI> httpEndpoints() {
        Map<String, URI> result = new LinkedHashMap<>();
        apis.forEach((name, server) -> result.put(name, server.baseUri()));
        return result;
    }

    /** Route keys of an HTTP API ({@code GET /events/{eventId}} …), including routes of skipped functions (503). */
    public List<String> httpRoutes(String apiName) {
        httpEndpoint(apiName);
        return apis.get(apiName).routes().stream().map(HttpRoute::routeKey).toList();
    }

    /** Route key → function name of an HTTP API; routes of skipped functions are left out. */
    public Map<String, String> httpRouteTargets(String apiName) {
        httpEndpoint(apiName);
        Map<String, String> targets = new LinkedHashMap<>();
        apis.get(apiName).routes().stream().filter(r -> r.function() != null)
                .forEach(r -> targets.put(r.routeKey(), r.function().name()));
        return targets;
    }

    /** The environment the function's handler was constructed with. */
    public Map<String, String> environment(String functionName) {
        return function(functionName).environment();
    }

    /** Invokes a function synchronously with an event, as {@code aws lambda invoke} would. */
    public InvocationResult invoke(String functionName, Object event) {
        return function(functionName).invoke(event);
    }

    /** Fires a schedule rule now and waits for the invocation to finish. */
    public InvocationResult fireSchedule(String ruleName) {
        try {
            return scheduler.fire(ruleName).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while firing " + ruleName, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("firing " + ruleName + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** When a schedule rule fires next, by the runtime clock. */
    public java.time.Instant nextFireTime(String ruleName) {
        return scheduler.nextFireTime(ruleName);
    }

    /** The runtime clock (possibly compressed or injected). */
    public Clock clock() {
        return clock;
    }

    /** Shard id → last checkpointed sequence number of a function's stream event source mapping. */
    public Map<String, String> streamCheckpoints(String functionName) {
        StreamEventSourceMapping mapping = streamMappings.get(functionName);
        if (mapping == null) {
            throw new NoSuchElementException("function " + functionName + " has no stream event source mapping");
        }
        return mapping.checkpoints();
    }

    /** Messages the SQS event source mapping of a function deleted after processing. */
    public long queueMessagesDeleted(String functionName) {
        QueueEventSourceMapping mapping = queueMappings.get(functionName);
        if (mapping == null) {
            throw new NoSuchElementException("function " + functionName + " has no queue event source mapping");
        }
        return mapping.deletedCount();
    }

    private LambdaFunction function(String name) {
        LambdaFunction function = functions.get(name);
        if (function == null) {
            throw new NoSuchElementException("function " + name + " is not deployed"
                    + (skipped.containsKey(name) ? " (" + skipped.get(name) + ")" : "") + "; deployed: " + functions.keySet());
        }
        return function;
    }

    /** Stops every event source and HTTP API, then the function threads; waits for them. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<EventSource> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        for (EventSource source : reversed) {
            try {
                source.close();
            } catch (RuntimeException e) {
                log.error("runtime", null, "stopping " + source + " failed", e);
            }
        }
        executors.forEach(ExecutorService::shutdownNow);
        for (ExecutorService executor : executors) {
            try {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                    log.warn("runtime", "function threads did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.info("runtime", "stopped");
    }

    /** Configures and starts a runtime. Every override is explicit; nothing repeats a value of the settings. */
    public static final class Builder {
        private final BenSettings settings;
        private final AwsTarget target;
        private final Map<String, RequestHandler<?, ?>> instances = new LinkedHashMap<>();
        private final Map<String, String> sharedEnvironment = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> functionEnvironment = new LinkedHashMap<>();
        private final Map<String, Duration> scheduleOverrides = new LinkedHashMap<>();
        private Set<String> only;
        private Clock clock = Clock.systemUTC();
        private double timeScale = 1.0;
        private Duration streamRetryDelay = Duration.ofMillis(500);
        private PrintStream output = System.out;

        private Builder(BenSettings settings, AwsTarget target) {
            this.settings = settings;
            this.target = target;
        }

        /** Use this handler instance for the function instead of constructing its class. */
        public Builder handler(String functionName, RequestHandler<?, ?> handler) {
            settings.function(functionName);
            instances.put(functionName, handler);
            return this;
        }

        /** Deploy only these functions (default: all of the settings). */
        public Builder only(String... functionNames) {
            for (String name : functionNames) {
                settings.function(name);
            }
            only = new LinkedHashSet<>(List.of(functionNames));
            return this;
        }

        /** An environment variable for every function (e.g. {@code BEN_STATUS_API_TOKEN}). */
        public Builder environment(String name, String value) {
            sharedEnvironment.put(name, value);
            return this;
        }

        /** Environment variables for one function, applied last. */
        public Builder environment(String functionName, Map<String, String> variables) {
            settings.function(functionName);
            functionEnvironment.computeIfAbsent(functionName, k -> new LinkedHashMap<>()).putAll(variables);
            return this;
        }

        /** The runtime clock (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Time compression: the runtime clock runs {@code factor} times faster than the base clock. */
        public Builder timeScale(double factor) {
            this.timeScale = factor;
            return this;
        }

        /** Replaces a schedule rule's expression by a fixed period (e.g. 200 ms in a test). */
        public Builder schedule(String ruleName, Duration period) {
            this.scheduleOverrides.put(ruleName, period);
            return this;
        }

        /** Pause between retries of a failed stream batch (default 500 ms). */
        public Builder streamRetryDelay(Duration delay) {
            this.streamRetryDelay = delay;
            return this;
        }

        /** Where function logs and runtime log lines go (default {@code System.out}). */
        public Builder output(PrintStream output) {
            this.output = output;
            return this;
        }

        public LocalLambdaRuntime start() {
            return new Starter(this).start();
        }
    }

    private static final class Starter {
        private final Builder b;
        private final RuntimeLog log;
        private final Clock clock;
        private final Map<String, LambdaFunction> functions = new LinkedHashMap<>();
        private final Map<String, String> skipped = new LinkedHashMap<>();
        private final Map<String, HttpApiServer> apis = new LinkedHashMap<>();
        private final Map<String, StreamEventSourceMapping> streamMappings = new LinkedHashMap<>();
        private final Map<String, QueueEventSourceMapping> queueMappings = new LinkedHashMap<>();
        private final List<EventSource> started = new ArrayList<>();
        private final List<ExecutorService> executors = new ArrayList<>();

        Starter(Builder builder) {
            this.b = builder;
            this.log = new RuntimeLog(builder.output);
            this.clock = builder.timeScale == 1.0 ? builder.clock : new ScaledClock(builder.clock, builder.timeScale);
        }

        LocalLambdaRuntime start() {
            List<FunctionSpec> specs = b.settings.functions().stream()
                    .filter(f -> b.only == null || b.only.contains(f.logicalName())).toList();
            Set<String> ruleNames = new LinkedHashSet<>();
            specs.forEach(f -> f.triggers().forEach(t -> {
                if (t instanceof Trigger.ScheduleTrigger s) {
                    ruleNames.add(s.ruleName());
                }
            }));
            for (String rule : b.scheduleOverrides.keySet()) {
                if (!ruleNames.contains(rule)) {
                    throw new IllegalArgumentException("schedule override for unknown rule " + rule + "; rules: " + ruleNames);
                }
            }
            Scheduler scheduler = null;
            try {
                // Bind the HTTP APIs first so every function can be told their URLs.
                specs.forEach(f -> f.triggers().forEach(t -> {
                    if (t instanceof Trigger.HttpTrigger h && !apis.containsKey(h.api())) {
                        apis.put(h.api(), new HttpApiServer(h.api(), clock, log));
                    }
                }));
                Map<String, String> shared = new LinkedHashMap<>();
                apis.forEach((name, server) -> shared.put("BEN_API_URL_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"),
                        server.baseUri().toString()));
                if (apis.containsKey(BenSettings.SENDER_API)) {
                    shared.put(EnvVars.STATUS_API_URL, apis.get(BenSettings.SENDER_API).baseUri().toString());
                }
                shared.putAll(b.sharedEnvironment);
                for (FunctionSpec spec : specs) {
                    deploy(spec, shared);
                }
                Map<String, List<HttpRoute>> routes = new LinkedHashMap<>();
                List<Scheduler.Rule> rules = new ArrayList<>();
                for (FunctionSpec spec : specs) {
                    LambdaFunction function = functions.get(spec.logicalName());
                    if (function == null) {
                        // Keep the API's routes visible: a request gets 503 naming why the function is missing.
                        spec.triggers().stream().filter(t -> t instanceof Trigger.HttpTrigger).map(t -> (Trigger.HttpTrigger) t)
                                .forEach(h -> routes.computeIfAbsent(h.api(), k -> new ArrayList<>()).add(new HttpRoute(
                                        h.method(), h.path(), h.auth(), null, "function " + spec.logicalName()
                                        + " is not deployed locally: " + skipped.get(spec.logicalName()))));
                        continue;
                    }
                    for (Trigger trigger : spec.triggers()) {
                        switch (trigger) {
                            case Trigger.StreamTrigger s -> streamMappings.put(spec.logicalName(), new StreamEventSourceMapping(
                                    b.target.tableName(s.table()), s, function, b.target.dynamoDb(), b.target.dynamoDbStreams(),
                                    s.onFailureDestination().map(q -> new StreamFailureDestination(b.target.sqs(),
                                            b.target.queueUrl(q), function.identity(), clock)).orElse(null),
                                    clock, b.streamRetryDelay, log));
                            case Trigger.QueueTrigger q -> queueMappings.put(spec.logicalName(), new QueueEventSourceMapping(
                                    q, b.target.queueUrl(q.queue()), function, b.target.sqs(), b.target.region(), log));
                            case Trigger.ScheduleTrigger s -> rules.add(new Scheduler.Rule(s.ruleName(),
                                    b.scheduleOverrides.containsKey(s.ruleName())
                                            ? new ScheduleExpression.Rate(b.scheduleOverrides.get(s.ruleName()))
                                            : ScheduleExpression.parse(s.expression()),
                                    function));
                            case Trigger.HttpTrigger h -> routes.computeIfAbsent(h.api(), k -> new ArrayList<>())
                                    .add(new HttpRoute(h.method(), h.path(), h.auth(), function));
                        }
                    }
                }
                for (var api : apis.entrySet()) {
                    api.getValue().routes(routes.getOrDefault(api.getKey(), List.of()));
                    start(api.getValue());
                }
                scheduler = new Scheduler(rules, clock, b.target.region(), log);
                start(scheduler);
                streamMappings.values().forEach(this::start);
                queueMappings.values().forEach(this::start);
            } catch (RuntimeException e) {
                LocalLambdaRuntime partial = new LocalLambdaRuntime(functions, skipped, apis, streamMappings,
                        queueMappings, scheduler, started, executors, log, clock);
                apis.values().stream().filter(a -> !started.contains(a)).forEach(HttpApiServer::close);
                partial.close();
                throw e;
            }
            log.info("runtime", "started: functions " + functions.keySet() + (skipped.isEmpty() ? "" : ", skipped " + skipped.keySet()));
            return new LocalLambdaRuntime(functions, skipped, apis, streamMappings, queueMappings, scheduler, started,
                    executors, log, clock);
        }

        private void start(EventSource source) {
            source.start();
            started.add(source);
        }

        @SuppressWarnings("unchecked")
        private void deploy(FunctionSpec spec, Map<String, String> shared) {
            Map<String, String> env = FunctionEnvironment.of(spec, b.settings, b.target, shared,
                    b.functionEnvironment.getOrDefault(spec.logicalName(), Map.of()));
            HandlerPool pool;
            RequestHandler<?, ?> instance = b.instances.get(spec.logicalName());
            if (instance != null) {
                pool = HandlerPool.sharing((RequestHandler<Object, Object>) instance);
            } else {
                Optional<Supplier<RequestHandler<Object, Object>>> factory = HandlerFactory.forClassName(spec.handler(), env);
                if (factory.isEmpty()) {
                    String reason = "handler class " + spec.handler() + " is not on the classpath";
                    skipped.put(spec.logicalName(), reason);
                    log.warn(spec.logicalName(), "function skipped: " + reason);
                    return;
                }
                pool = HandlerPool.creating(factory.get());
                // Construct one instance now, so a broken constructor fails the start with its own message.
                pool.release(pool.acquire());
            }
            ExecutorService executor = Executors.newThreadPerTaskExecutor(
                    Thread.ofPlatform().daemon().name("ben-fn-" + spec.logicalName() + "-", 0).factory());
            executors.add(executor);
            functions.put(spec.logicalName(), new LambdaFunction(
                    new FunctionIdentity(spec.logicalName(), b.target.region(), spec.memoryMb()), spec.timeout(), env,
                    pool, executor, b.output, log));
        }
    }
}

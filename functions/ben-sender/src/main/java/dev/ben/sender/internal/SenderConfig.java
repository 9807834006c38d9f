package dev.ben.sender.internal;

import dev.ben.core.delivery.CircuitPolicy;
import dev.ben.core.delivery.DeliveryPolicy;
import dev.ben.core.egress.AddressPolicy;
import dev.ben.core.egress.Cidr;
import dev.ben.core.retry.Jitter;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The sender functions' configuration, read from an environment map (the Lambda environment, or a map given by the
 * local runtime / tests). Table names come through {@code TableSpec.envVar()}, queue URLs through
 * {@code QueueSpec.envVar()}; the rest has defaults.
 */
public record SenderConfig(Map<String, String> env) {

    /** {@code SAFE} (default) or {@code FAST}: see {@link NotifyMode}. */
    public static final String NOTIFY_MODE = "BEN_NOTIFY_MODE";
    public static final String NOTIFY_CONCURRENCY = "BEN_NOTIFY_CONCURRENCY";
    public static final String RETRY_MAX_AGE = "BEN_RETRY_MAX_AGE";
    public static final String RETRY_JITTER = "BEN_RETRY_JITTER";
    public static final String RETRY_AFTER_CAP = "BEN_RETRY_AFTER_CAP";
    public static final String AUTO_DISABLE_AFTER = "BEN_AUTO_DISABLE_AFTER";
    public static final String HTTP_CONNECT_TIMEOUT = "BEN_HTTP_CONNECT_TIMEOUT";
    public static final String HTTP_TIMEOUT = "BEN_HTTP_TIMEOUT";
    public static final String SWEEPER_GRACE = "BEN_SWEEPER_GRACE";
    public static final String SWEEPER_MAX_PER_RUN = "BEN_SWEEPER_MAX_PER_RUN";
    /** The sweeper's schedule as deployed (it sizes each run's release of parked deliveries by it). */
    public static final String SWEEPER_INTERVAL = "BEN_SWEEPER_INTERVAL";
    public static final String HISTORY_RETENTION = "BEN_HISTORY_RETENTION";
    public static final String ENDPOINT_CACHE = "BEN_ENDPOINT_CACHE";
    public static final String MAX_PAYLOAD_BYTES = "BEN_MAX_PAYLOAD_BYTES";
    public static final String NOTIFY_BUDGET = "BEN_NOTIFY_BUDGET";
    public static final String RETRY_BUDGET = "BEN_RETRY_BUDGET";
    public static final String BUDGET_MARGIN = "BEN_BUDGET_MARGIN";
    public static final String ENDPOINT_CONCURRENCY = "BEN_ENDPOINT_CONCURRENCY";
    public static final String STRAGGLER_GRACE = "BEN_STRAGGLER_GRACE";
    public static final String CIRCUIT_FAILURES = "BEN_CIRCUIT_FAILURES";
    public static final String CIRCUIT_FAILURE_RATE = "BEN_CIRCUIT_FAILURE_RATE";
    public static final String CIRCUIT_TIMEOUTS = "BEN_CIRCUIT_TIMEOUTS";
    public static final String CIRCUIT_OPEN_FOR = "BEN_CIRCUIT_OPEN_FOR";
    public static final String CIRCUIT_MAX_OPEN = "BEN_CIRCUIT_MAX_OPEN";
    public static final String CIRCUIT_DRAIN_RATE = "BEN_CIRCUIT_DRAIN_RATE";
    public static final String CIRCUIT_DRAIN_FOR = "BEN_CIRCUIT_DRAIN_FOR";

    /** notify waits at most this long for receivers per invocation. */
    public static final Duration DEFAULT_NOTIFY_BUDGET = Duration.ofSeconds(3);
    /** Kept free at the end of an invocation's remaining time to write outcomes and enqueue retries. */
    public static final Duration DEFAULT_BUDGET_MARGIN = Duration.ofSeconds(2);
    /** A notify batch otherwise done waits this long for its stragglers before they go to the retry queue. */
    public static final Duration DEFAULT_STRAGGLER_GRACE = Duration.ofSeconds(1);
    /** Attempts in flight to one endpoint per invocation. */
    public static final int DEFAULT_ENDPOINT_CONCURRENCY = 16;

    /** The pipe-separated rules string of earlier versions; refused with a pointer to the migration note. */
    static final String LEGACY_EVENT_RULES = "BEN_EVENT_RULES";

    /** Room left for the other attributes of a delivery item under DynamoDB's 400 KB item limit. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 350_000;

    public SenderConfig {
        env = Map.copyOf(env);
    }

    public static SenderConfig fromSystem() {
        return new SenderConfig(System.getenv());
    }

    private static final BenSettings SETTINGS = BenSettings.own();

    /** Physical table name for a logical one (its env var, else the logical name as the local stack uses). */
    public String table(String logicalName) {
        return get(SETTINGS.table(logicalName).envVar()).orElse(logicalName);
    }

    /** Queue URL for a logical queue name. */
    public String queueUrl(String logicalName) {
        String var = SETTINGS.queue(logicalName).envVar();
        return get(var).orElseThrow(() -> new IllegalStateException("environment variable " + var
                + " (URL of queue " + logicalName + ") is not set"));
    }

    public Optional<String> optionalQueueUrl(String logicalName) {
        return get(SETTINGS.queue(logicalName).envVar());
    }

    /**
     * The declaration in {@value EnvVars#DECLARATION}, validated.
     *
     * @throws dev.ben.settings.declaration.DeclarationException when missing or invalid, naming each problem's path
     *                                                         and fix
     */
    public Declaration declaration() {
        if (get(LEGACY_EVENT_RULES).isPresent()) {
            throw new IllegalStateException(LEGACY_EVENT_RULES + " is no longer read: declare the sources and rules as"
                    + " JSON in " + EnvVars.DECLARATION + " instead (docs/declaration.md, \"Migration from"
                    + " BEN_EVENT_RULES\", shows the equivalent JSON) and remove " + LEGACY_EVENT_RULES);
        }
        return Declaration.fromEnvironment(env);
    }

    /**
     * Source name → physical table name: the source's {@code BEN_SOURCE_TABLE_<NAME>} variable when set (the local
     * stack's prefixed names, the CDK app's generated names), else the table the declaration names.
     */
    public Map<String, String> sourceTables(Declaration declaration) {
        Map<String, String> names = new LinkedHashMap<>();
        for (Source s : declaration.sources()) {
            names.put(s.name(), get(s.tableEnvVar()).orElse(s.table()));
        }
        return names;
    }

    public NotifyMode notifyMode() {
        return get(NOTIFY_MODE).map(v -> NotifyMode.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT)))
                .orElse(NotifyMode.SAFE);
    }

    public int notifyConcurrency() {
        return get(NOTIFY_CONCURRENCY).map(Integer::parseInt).orElse(64);
    }

    public RetrySchedule schedule() {
        RetrySchedule s = get(EnvVars.RETRY_SCHEDULE).map(RetrySchedule::parse).orElse(RetrySchedule.defaults());
        return get(RETRY_MAX_AGE).map(v -> s.withMaxAge(RetrySchedule.parseDuration(v))).orElse(s);
    }

    public double jitter() {
        return get(RETRY_JITTER).map(Double::parseDouble).orElse(0.1);
    }

    public DeliveryPolicy policy() {
        double jitter = jitter();
        return new DeliveryPolicy(schedule(), duration(RETRY_AFTER_CAP, DeliveryPolicy.DEFAULT_RETRY_AFTER_CAP),
                duration(AUTO_DISABLE_AFTER, DeliveryPolicy.DEFAULT_AUTO_DISABLE_AFTER),
                jitter == 0 ? Jitter.none() : new Jitter(jitter, Jitter.defaults().random()));
    }

    public Duration connectTimeout() {
        return duration(HTTP_CONNECT_TIMEOUT, Duration.ofSeconds(3));
    }

    public Duration requestTimeout() {
        return duration(HTTP_TIMEOUT, Duration.ofSeconds(10));
    }

    public boolean allowPrivateAddresses() {
        return get(EnvVars.ALLOW_PRIVATE_ADDRESSES).map(Boolean::parseBoolean).orElse(false);
    }

    public boolean httpsOnly() {
        return get(EnvVars.HTTPS_ONLY).map(Boolean::parseBoolean).orElse(false);
    }

    /** The {@code BEN_ALLOWED_HOSTS} entries (comma separated, trimmed, empty ones dropped). */
    public List<String> allowedHostEntries() {
        return get(EnvVars.ALLOWED_HOSTS).map(v -> Arrays.stream(v.split(",")).map(String::trim)
                .filter(h -> !h.isEmpty()).toList()).orElse(List.of());
    }

    /**
     * Where deliveries may go: ben-core's strict default (public addresses only) opened by
     * {@code BEN_ALLOW_PRIVATE_ADDRESSES}, and by {@code BEN_ALLOWED_HOSTS} entries — IP addresses and CIDR blocks
     * (as the CDK construct and SAM template document them: {@code 10.0.0.5,192.168.1.0/24}) become address
     * allow-list blocks, anything else an exact host name exception; {@code BEN_HTTPS_ONLY} refuses http URLs.
     * Metadata and other never-allowed ranges stay refused whatever the entries.
     *
     * @throws IllegalArgumentException for a malformed IP/CIDR entry, naming the variable
     */
    public AddressPolicy addressPolicy() {
        List<Cidr> blocks = new ArrayList<>();
        Set<String> hosts = new LinkedHashSet<>();
        for (String entry : allowedHostEntries()) {
            if (IP_LITERAL.matcher(entry).matches()) {
                try {
                    blocks.add(Cidr.parse(entry));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            EnvVars.ALLOWED_HOSTS + " entry '" + entry + "': " + e.getMessage(), e);
                }
            } else {
                hosts.add(entry);
            }
        }
        return new AddressPolicy(allowPrivateAddresses(), blocks, hosts, httpsOnly(),
                AddressPolicy.DEFAULT_MAX_URL_LENGTH);
    }

    /** An IPv4 literal, anything with ':' (IPv6), or anything with a '/' prefix length: parsed without DNS. */
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}(/.*)?|.*[:/].*");

    public Duration notifyBudget() {
        return duration(NOTIFY_BUDGET, DEFAULT_NOTIFY_BUDGET);
    }

    /** Retries wait for their receiver up to the HTTP timeout unless told otherwise. */
    public Duration retryBudget() {
        return duration(RETRY_BUDGET, requestTimeout());
    }

    public Duration budgetMargin() {
        return duration(BUDGET_MARGIN, DEFAULT_BUDGET_MARGIN);
    }

    public Duration stragglerGrace() {
        return duration(STRAGGLER_GRACE, DEFAULT_STRAGGLER_GRACE);
    }

    /** notify's budget, margin, per-endpoint slots and straggler grace. */
    public NotifyLimits notifyLimits() {
        return new NotifyLimits(notifyBudget(), budgetMargin(), new EndpointSlots(endpointConcurrency()),
                stragglerGrace());
    }

    public int endpointConcurrency() {
        return get(ENDPOINT_CONCURRENCY).map(Integer::parseInt).orElse(DEFAULT_ENDPOINT_CONCURRENCY);
    }

    /**
     * The circuit breaker; {@code BEN_CIRCUIT_FAILURES=0}, {@code BEN_CIRCUIT_FAILURE_RATE=0} and
     * {@code BEN_CIRCUIT_TIMEOUTS=0} switch it off.
     */
    public CircuitPolicy circuitPolicy() {
        CircuitPolicy d = CircuitPolicy.defaults();
        return new CircuitPolicy(get(CIRCUIT_FAILURES).map(Integer::parseInt).orElse(d.consecutiveFailures()),
                get(CIRCUIT_FAILURE_RATE).map(Double::parseDouble).orElse(d.failureRate()), d.window(),
                d.minimumCalls(), duration(CIRCUIT_OPEN_FOR, d.openFor()), duration(CIRCUIT_MAX_OPEN, d.maxOpen()),
                d.probeLease(), get(CIRCUIT_DRAIN_RATE).map(Integer::parseInt).orElse(d.drainRatePerSecond()),
                duration(CIRCUIT_DRAIN_FOR, d.drainFor()),
                get(CIRCUIT_TIMEOUTS).map(Integer::parseInt).orElse(d.consecutiveTimeouts()));
    }

    public Duration sweeperGrace() {
        return duration(SWEEPER_GRACE, Duration.ofMinutes(3));
    }

    public int sweeperMaxPerRun() {
        return get(SWEEPER_MAX_PER_RUN).map(Integer::parseInt).orElse(1000);
    }

    public Duration sweeperInterval() {
        return duration(SWEEPER_INTERVAL, BenSettings.SWEEPER_INTERVAL);
    }

    public Duration historyRetention() {
        return duration(HISTORY_RETENTION, Duration.ofDays(30));
    }

    public Duration endpointCache() {
        return duration(ENDPOINT_CACHE, Duration.ofSeconds(10));
    }

    public int maxPayloadBytes() {
        return get(MAX_PAYLOAD_BYTES).map(Integer::parseInt).orElse(DEFAULT_MAX_PAYLOAD_BYTES);
    }

    public Optional<String> statusApiToken() {
        return get(EnvVars.STATUS_API_TOKEN);
    }

    public Optional<String> get(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private Duration duration(String name, Duration fallback) {
        return get(name).map(RetrySchedule::parseDuration).orElse(fallback);
    }
}

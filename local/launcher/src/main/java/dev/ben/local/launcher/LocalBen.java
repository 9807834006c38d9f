package dev.ben.local.launcher;

import dev.ben.local.runtime.AwsTarget;
import dev.ben.local.runtime.LocalLambdaRuntime;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.Trigger.HttpAuth;
import dev.ben.settings.Trigger.HttpTrigger;
import dev.ben.settings.declaration.Condition;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.KeyAttribute;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.Source;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ben on one machine for a declaration: the local stack (dynalite + Streams layer, ElasticMQ), every table and queue
 * of the settings — the declared source tables created from their key schema under their names, Ben's own tables
 * and queues, and whatever a part added with {@link BenSettings#plus} — and the local Lambda runtime with the
 * handler classes on the classpath, the declaration in {@value EnvVars#DECLARATION}. Secrets are generated for this
 * run only.
 *
 * <pre>{@code
 * Declaration declaration = Declaration.read(Path.of("ben.json"));
 * try (LocalBen ben = LocalBen.start(BenSettings.of(declaration), declaration, 1.0, System.out, Map.of())) {
 *     System.out.print(ben.describe());
 * }
 * }</pre>
 */
public final class LocalBen implements AutoCloseable {

    private final LocalAws aws;
    private final BenSettings settings;
    private final Declaration declaration;
    private final ProvisionedResources resources;
    private final LocalLambdaRuntime runtime;
    private final String receiverSecret;
    private final String statusApiToken;
    private final String managementApiToken;

    private LocalBen(LocalAws aws, BenSettings settings, Declaration declaration, ProvisionedResources resources,
                     LocalLambdaRuntime runtime, String receiverSecret, String statusApiToken,
                     String managementApiToken) {
        this.aws = aws;
        this.settings = settings;
        this.declaration = declaration;
        this.resources = resources;
        this.runtime = runtime;
        this.receiverSecret = receiverSecret;
        this.statusApiToken = statusApiToken;
        this.managementApiToken = managementApiToken;
    }

    /** Ben alone for a user's declaration ({@link BenSettings#of}), real time. */
    public static LocalBen start(Declaration declaration, PrintStream output) {
        return start(BenSettings.of(declaration), declaration, 1.0, output, Map.of());
    }

    /**
     * Starts everything.
     *
     * @param settings    the stack: {@code BenSettings.of(declaration)}, possibly {@link BenSettings#plus} a part
     * @param declaration the declaration the settings were made from (validated; notify gets it)
     * @param timeScale   &gt; 1 compresses time for schedules (1 = real time)
     * @param output      where function and runtime logs go
     * @param environment extra environment variables for every function
     */
    public static LocalBen start(BenSettings settings, Declaration declaration, double timeScale, PrintStream output,
                                 Map<String, String> environment) {
        LocalAws aws = LocalAws.start();
        try {
            ProvisionedResources resources = aws.provision(settings);
            SecureRandom random = new SecureRandom();
            byte[] key = new byte[24];
            random.nextBytes(key);
            String receiverSecret = "whsec_" + Base64.getEncoder().encodeToString(key);
            String statusApiToken = token(random);
            String managementApiToken = token(random);
            LocalLambdaRuntime.Builder builder = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources));
            builder.environment(EnvVars.DECLARATION, declaration.toJson());
            environment.forEach(builder::environment);
            LocalLambdaRuntime runtime = builder
                    .environment(EnvVars.RECEIVER_SECRETS, receiverSecret)
                    .environment(EnvVars.STATUS_API_TOKEN, statusApiToken)
                    .environment(EnvVars.MANAGEMENT_API_TOKEN, managementApiToken)
                    // Locally receivers listen on loopback, which deliveries refuse by default.
                    .environment(EnvVars.ALLOW_PRIVATE_ADDRESSES, "true")
                    .environment(EnvVars.HTTPS_ONLY, "false")
                    .timeScale(timeScale)
                    .output(output)
                    .start();
            return new LocalBen(aws, settings, declaration, resources, runtime, receiverSecret, statusApiToken,
                    managementApiToken);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    private static String token(SecureRandom random) {
        byte[] token = new byte[16];
        random.nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    public Declaration declaration() {
        return declaration;
    }

    public BenSettings settings() {
        return settings;
    }

    public LocalAws aws() {
        return aws;
    }

    public ProvisionedResources resources() {
        return resources;
    }

    public LocalLambdaRuntime runtime() {
        return runtime;
    }

    /** The signing secret of this run for receivers deployed beside Ben (local only, generated at start). */
    public String receiverSecret() {
        return receiverSecret;
    }

    /** The status API bearer token of this run (local only, generated at start). */
    public String statusApiToken() {
        return statusApiToken;
    }

    /** The management API bearer token of this run (local only, generated at start). */
    public String managementApiToken() {
        return managementApiToken;
    }

    /** The base URL of the management API ({@value BenSettings#MANAGEMENT_API}), when its function is deployed. */
    public Optional<URI> managementApi() {
        return runtime.httpEndpoints().containsKey(BenSettings.MANAGEMENT_API)
                && runtime.deployedFunctions().contains(BenSettings.MANAGEMENT_FUNCTION)
                ? Optional.of(runtime.httpEndpoint(BenSettings.MANAGEMENT_API)) : Optional.empty();
    }

    /** The base URL of Ben's status API ({@value BenSettings#SENDER_API}). */
    public URI statusApi() {
        return runtime.httpEndpoint(BenSettings.SENDER_API);
    }

    /**
     * The {@code ./ben} command that registers an endpoint at {@code url} for every event type of the declaration,
     * through this run's management API ({@code --allow-private}: local receivers listen on loopback).
     */
    public String addEndpointCommand(String url) {
        String types = declaration.sources().stream().flatMap(s -> s.rules().stream()).map(Rule::eventType)
                .collect(Collectors.joining(","));
        return cliCommand() + " endpoints add " + url + " --event-type " + types + " --allow-private";
    }

    /** {@code ./ben} with this run's management API and token (the CLI also finds them in the local API file). */
    public String cliCommand() {
        return managementApi().map(uri -> "./ben --api-url " + uri + " --api-token " + managementApiToken)
                .orElse("./ben");
    }

    /** What a user needs to talk to the running system. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append("Ben is running locally (no Docker, no AWS account).\n\n");
        text.append("  DynamoDB (+ Streams)  ").append(aws.dynamoDbEndpoint()).append('\n');
        text.append("  SQS                   ").append(aws.sqsEndpoint()).append('\n');
        text.append("  region / credentials  ").append(aws.region()).append(" / local:local\n\n");
        Map<String, URI> apis = runtime.httpEndpoints();
        apis.forEach((name, uri) -> {
            text.append("  HTTP API ").append(name).append("  ").append(uri)
                    .append(name.equals(BenSettings.SENDER_API) ? "  (status API; Authorization: Bearer <token>)"
                            : name.equals(BenSettings.MANAGEMENT_API)
                            ? "  (management API, docs/api/openapi.yaml; Authorization: Bearer <token>)" : "")
                    .append('\n');
            Map<String, String> targets = runtime.httpRouteTargets(name);
            runtime.httpRoutes(name).forEach(route -> text.append("      ").append(route).append("  -> ")
                    .append(targets.getOrDefault(route, "(not deployed: 503)")).append('\n'));
        });
        text.append('\n');
        for (Source source : declaration.sources()) {
            text.append("  source table  ").append(resources.tableName(source.name())).append("  key ")
                    .append(key(source)).append("  events ")
                    .append(source.rules().stream().map(Rule::eventType).collect(Collectors.joining(", ")))
                    .append('\n');
        }
        Set<String> sources = new LinkedHashSet<>(settings.sources());
        settings.tables().stream().map(TableSpec::logicalName).filter(t -> !sources.contains(t))
                .forEach(t -> text.append("  table  ").append(resources.tableName(t)).append('\n'));
        resources.queueUrls().forEach((logical, url) -> text.append("  queue  ").append(url).append('\n'));
        text.append('\n');
        runtime.deployedFunctions().forEach(f -> text.append("  function ").append(f).append("  deployed\n"));
        runtime.skippedFunctions().forEach((f, why) -> text.append("  function ").append(f).append("  SKIPPED: ")
                .append(why).append('\n'));
        text.append('\n');
        text.append("  status API token (this run only)   ").append(statusApiToken).append('\n');
        managementApi().ifPresent(uri -> text.append("  management API ").append(uri)
                .append("  token (this run only) ").append(managementApiToken).append('\n'));
        if (hasPublicWebhook()) {
            text.append("  receiver secret (this run only)    ").append(receiverSecret).append('\n');
        }
        Source first = declaration.sources().getFirst();
        text.append("\nAdd an endpoint (prints its signing secret; add --tenant ID for a tenant's events):\n  ")
                .append(addEndpointCommand("http://127.0.0.1:9000/webhook")).append('\n');
        text.append("Write an item that a rule turns into an event:\n  aws --endpoint-url ")
                .append(aws.dynamoDbEndpoint()).append(" dynamodb put-item --table-name ")
                .append(resources.tableName(first.name())).append(" --item '").append(exampleItem(first))
                .append("'\n");
        text.append("Follow it: ").append(cliCommand()).append(" deliveries list, or the status page.\n");
        text.append("Press Ctrl-C to stop.\n");
        return text.toString();
    }

    private boolean hasPublicWebhook() {
        return settings.functions().stream().map(FunctionSpec::logicalName)
                .filter(runtime.deployedFunctions()::contains)
                .map(settings::function)
                .anyMatch(f -> f.triggers().stream()
                        .anyMatch(t -> t instanceof HttpTrigger h && h.auth() == HttpAuth.NONE));
    }

    private static String key(Source source) {
        String key = keyText(source.partitionKey());
        return source.sortKeyAttribute().map(s -> key + " + " + keyText(s)).orElse(key);
    }

    private static String keyText(KeyAttribute key) {
        return key.name() + " (" + key.type() + ")";
    }

    /** An item of the source that its first rule turns into an event (keys, the awaited value, a version). */
    static String exampleItem(Source source) {
        StringBuilder item = new StringBuilder("{");
        item.append(attribute(source.partitionKey().name(), source.partitionKey().type().name(), "id-1"));
        source.sortKeyAttribute().ifPresent(k -> item.append(',').append(attribute(k.name(), k.type().name(), "1")));
        Rule rule = source.rules().getFirst();
        if (rule.when() instanceof Condition.Becomes b) {
            Object v = b.value().json();
            String type = v instanceof String ? "S" : v instanceof Boolean ? "BOOL" : "N";
            item.append(',').append(type.equals("BOOL") ? "\"" + b.attribute() + "\":{\"BOOL\":" + v + "}"
                    : attribute(b.attribute(), type, v.toString()));
        }
        rule.tenantAttribute().filter(t -> !isKey(source, t))
                .ifPresent(t -> item.append(',').append(attribute(t, "S", "tenant-1")));
        rule.versionAttribute().ifPresent(v -> item.append(',').append(attribute(v, "N", "1")));
        return item.append('}').toString();
    }

    private static boolean isKey(Source source, String attribute) {
        return source.partitionKey().name().equals(attribute)
                || source.sortKeyAttribute().map(k -> k.name().equals(attribute)).orElse(false);
    }

    private static String attribute(String name, String type, String value) {
        return "\"" + name + "\":{\"" + type + "\":\"" + value + "\"}";
    }

    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            aws.close();
        }
    }
}

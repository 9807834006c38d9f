package dev.ben.local.demo;

import dev.ben.local.runtime.AwsTarget;
import dev.ben.local.runtime.LocalLambdaRuntime;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.declaration.Condition;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Ben on one machine: the local stack (dynalite + Streams layer, ElasticMQ), every table and queue of
 * {@link BenSettings#of} a declaration (by default the orders demo's, {@value #DEMO_DECLARATION}; its source tables
 * are created locally under their names), and the local Lambda runtime with whatever handler classes are on the
 * classpath, the declaration in {@value EnvVars#DECLARATION}. Secrets are generated for this run only.
 */
public final class LocalDemo implements AutoCloseable {

    /** Classpath resource of the orders demo's declaration ({@code examples/orders/ben.json}). */
    public static final String DEMO_DECLARATION = "/examples/orders/ben.json";

    private final LocalAws aws;
    private final Declaration declaration;
    private final ProvisionedResources resources;
    private final LocalLambdaRuntime runtime;
    private final String receiverSecret;
    private final String statusApiToken;

    private LocalDemo(LocalAws aws, Declaration declaration, ProvisionedResources resources, LocalLambdaRuntime runtime,
                      String receiverSecret, String statusApiToken) {
        this.aws = aws;
        this.declaration = declaration;
        this.resources = resources;
        this.runtime = runtime;
        this.receiverSecret = receiverSecret;
        this.statusApiToken = statusApiToken;
    }

    /** Starts everything; {@code timeScale} > 1 compresses time for schedules (1 = real time). */
    public static LocalDemo start(double timeScale, PrintStream output) {
        return start(timeScale, output, Map.of());
    }

    /** As {@link #start(double, PrintStream)}, with extra environment variables for every function. */
    public static LocalDemo start(double timeScale, PrintStream output, Map<String, String> environment) {
        return start(timeScale, output, environment, demoDeclaration());
    }

    /** As above, for another declaration (validated; a bad one fails here, before anything starts). */
    public static LocalDemo start(double timeScale, PrintStream output, Map<String, String> environment,
                                  Declaration declaration) {
        BenSettings settings = BenSettings.of(declaration);
        LocalAws aws = LocalAws.start();
        try {
            ProvisionedResources resources = aws.provision(settings);
            SecureRandom random = new SecureRandom();
            byte[] key = new byte[24];
            random.nextBytes(key);
            String receiverSecret = "whsec_" + Base64.getEncoder().encodeToString(key);
            byte[] token = new byte[16];
            random.nextBytes(token);
            String statusApiToken = HexFormat.of().formatHex(token);
            LocalLambdaRuntime.Builder builder = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources));
            builder.environment(EnvVars.DECLARATION, declaration.toJson());
            environment.forEach(builder::environment);
            LocalLambdaRuntime runtime = builder
                    .environment(EnvVars.RECEIVER_SECRETS, receiverSecret)
                    .environment(EnvVars.STATUS_API_TOKEN, statusApiToken)
                    // Locally the receiver listens on loopback, which deliveries refuse by default.
                    .environment(EnvVars.ALLOW_PRIVATE_ADDRESSES, "true")
                    .environment(EnvVars.HTTPS_ONLY, "false")
                    .timeScale(timeScale)
                    .output(output)
                    .start();
            return new LocalDemo(aws, declaration, resources, runtime, receiverSecret, statusApiToken);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    /** The orders demo's declaration (packed from {@code examples/orders/ben.json}). */
    public static Declaration demoDeclaration() {
        try (InputStream in = LocalDemo.class.getResourceAsStream(DEMO_DECLARATION)) {
            if (in == null) {
                throw new IllegalStateException("no " + DEMO_DECLARATION + " on the classpath (local/demo packs it)");
            }
            return Declaration.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DEMO_DECLARATION, e);
        }
    }

    public Declaration declaration() {
        return declaration;
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

    /** The receiver's signing secret of this run (local only, generated at start). */
    public String receiverSecret() {
        return receiverSecret;
    }

    /** The status API bearer token of this run (local only, generated at start). */
    public String statusApiToken() {
        return statusApiToken;
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
            text.append("  HTTP API ").append(name).append("  ").append(uri).append('\n');
            Map<String, String> targets = runtime.httpRouteTargets(name);
            runtime.httpRoutes(name).forEach(route -> text.append("      ").append(route).append("  -> ")
                    .append(targets.getOrDefault(route, "(not deployed: 503)")).append('\n'));
        });
        text.append('\n');
        resources.tableNames().forEach((logical, physical) -> text.append("  table  ").append(physical).append('\n'));
        resources.queueUrls().forEach((logical, url) -> text.append("  queue  ").append(url).append('\n'));
        text.append('\n');
        runtime.deployedFunctions().forEach(f -> text.append("  function ").append(f).append("  deployed\n"));
        runtime.skippedFunctions().forEach((f, why) -> text.append("  function ").append(f).append("  SKIPPED: ")
                .append(why).append('\n'));
        text.append('\n');
        text.append("  status API token (this run only)   ").append(statusApiToken).append('\n');
        text.append("  receiver secret (this run only)    ").append(receiverSecret).append('\n');
        Source first = declaration.sources().getFirst();
        text.append("\nExample: aws --endpoint-url ").append(aws.dynamoDbEndpoint())
                .append(" dynamodb put-item --table-name ").append(resources.tableName(first.name()))
                .append(" --item '").append(exampleItem(first)).append("'\n");
        text.append("Press Ctrl-C to stop.\n");
        return text.toString();
    }

    /** An item of the source that its first rule turns into an event (keys, the awaited value, a version). */
    static String exampleItem(Source source) {
        StringBuilder item = new StringBuilder("{");
        item.append(attribute(source.partitionKey().name(), source.partitionKey().type().name(), "o-1"));
        source.sortKeyAttribute().ifPresent(k -> item.append(',').append(attribute(k.name(), k.type().name(), "1")));
        Rule rule = source.rules().getFirst();
        if (rule.when() instanceof Condition.Becomes b) {
            Object v = b.value().json();
            String type = v instanceof String ? "S" : v instanceof Boolean ? "BOOL" : "N";
            item.append(',').append(type.equals("BOOL") ? "\"" + b.attribute() + "\":{\"BOOL\":" + v + "}"
                    : attribute(b.attribute(), type, v.toString()));
        }
        rule.versionAttribute().ifPresent(v -> item.append(',').append(attribute(v, "N", "1")));
        return item.append('}').toString();
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

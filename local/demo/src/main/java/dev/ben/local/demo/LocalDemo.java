package dev.ben.local.demo;

import dev.ben.local.runtime.AwsTarget;
import dev.ben.local.runtime.LocalLambdaRuntime;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import java.io.PrintStream;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Ben on one machine: the local stack (dynalite + Streams layer, ElasticMQ), every table and queue of
 * {@link BenSettings#defaults()}, and the local Lambda runtime with whatever handler classes are on the
 * classpath. Secrets are generated for this run only.
 */
public final class LocalDemo implements AutoCloseable {
    private final LocalAws aws;
    private final ProvisionedResources resources;
    private final LocalLambdaRuntime runtime;
    private final String receiverSecret;
    private final String statusApiToken;

    private LocalDemo(LocalAws aws, ProvisionedResources resources, LocalLambdaRuntime runtime, String receiverSecret,
                      String statusApiToken) {
        this.aws = aws;
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
        BenSettings settings = BenSettings.defaults();
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
            return new LocalDemo(aws, resources, runtime, receiverSecret, statusApiToken);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
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
        text.append("\nExample: aws --endpoint-url ").append(aws.dynamoDbEndpoint())
                .append(" dynamodb put-item --table-name ").append(resources.tableName(BenSettings.ORDERS_TABLE))
                .append(" --item '{\"orderId\":{\"S\":\"o-1\"},\"status\":{\"S\":\"PAID\"},\"version\":{\"N\":\"1\"}}'\n");
        text.append("Press Ctrl-C to stop.\n");
        return text.toString();
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

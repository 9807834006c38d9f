package dev.ben.admin.it;

import dev.ben.local.runtime.AwsTarget;
import dev.ben.local.runtime.LocalLambdaRuntime;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ben's own tables and queues under a fresh name prefix on the shared local stack, with the real management API and
 * retry functions on the local runtime: the API is served over real HTTP by the runtime's HTTP API, and what it
 * enqueues (test events, replays) is delivered by the real retry function.
 */
final class ApiStack implements AutoCloseable {

    static final String TOKEN = "api-test-token";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    final LocalAws aws;
    final ProvisionedResources resources;
    final LocalLambdaRuntime runtime;

    private ApiStack(LocalAws aws, ProvisionedResources resources, LocalLambdaRuntime runtime) {
        this.aws = aws;
        this.resources = resources;
        this.runtime = runtime;
    }

    static ApiStack start(LocalAws aws) {
        BenSettings settings = BenSettings.own();
        String prefix = "a" + COUNTER.incrementAndGet() + UUID.randomUUID().toString().substring(0, 6) + "-";
        ProvisionedResources resources = aws.provision(settings, prefix);
        LocalLambdaRuntime runtime = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .only(BenSettings.MANAGEMENT_FUNCTION, "retry")
                .environment(EnvVars.MANAGEMENT_API_TOKEN, TOKEN)
                .environment(EnvVars.ALLOW_PRIVATE_ADDRESSES, "true")
                .environment(EnvVars.RETRY_SCHEDULE, "1s,1s")
                .environment("BEN_RETRY_JITTER", "0")
                .environment("BEN_ENDPOINT_CACHE", "0s")
                .environment("BEN_HTTP_TIMEOUT", "2s")
                .environment("BEN_LOG_LEVEL", "WARN")
                .environment("BEN_CIRCUIT_FAILURES", "0")
                .environment("BEN_CIRCUIT_FAILURE_RATE", "0")
                .environment("BEN_CIRCUIT_TIMEOUTS", "0")
                .output(output())
                .start();
        return new ApiStack(aws, resources, runtime);
    }

    URI baseUri() {
        return runtime.httpEndpoint(BenSettings.MANAGEMENT_API);
    }

    String table(String logicalName) {
        return resources.tableName(logicalName);
    }

    private static PrintStream output() {
        return Boolean.getBoolean("ben.verbose") ? System.out : new PrintStream(OutputStream.nullOutputStream());
    }

    @Override
    public void close() {
        runtime.close();
    }
}

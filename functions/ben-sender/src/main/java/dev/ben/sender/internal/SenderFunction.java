package dev.ben.sender.internal;

import dev.ben.sender.internal.aws.AwsClients;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * What every sender handler builds once per container from its environment: configuration, SDK clients,
 * telemetry and the components. Also primes the clients before a SnapStart (CRaC) checkpoint.
 */
public record SenderFunction(SenderConfig config, AwsClients clients, JsonTelemetry telemetry,
                             SenderComponents components) {

    public static SenderFunction fromEnv(Map<String, String> env, String functionName) {
        return fromEnv(env, functionName, List.of());
    }

    /** @param interceptors added to the SDK clients (API call counting in benchmarks, fault injection in tests) */
    public static SenderFunction fromEnv(Map<String, String> env, String functionName,
                                         List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> interceptors) {
        SenderConfig config = new SenderConfig(env);
        Clock clock = Clock.systemUTC();
        JsonTelemetry telemetry = new JsonTelemetry(System.out, clock, functionName, env.get("BEN_LOG_LEVEL"))
                .metrics(!"false".equalsIgnoreCase(env.getOrDefault("BEN_METRICS", "true")));
        AwsClients clients = AwsClients.fromEnv(env, functionName, interceptors);
        return new SenderFunction(config, clients, telemetry, new SenderComponents(config, clients, clock, telemetry));
    }

    /**
     * Warms the SDK clients (class loading, marshallers, connection setup) with harmless reads, for a
     * {@code beforeCheckpoint} hook. Errors are ignored: priming is an optimisation.
     */
    public void prime() {
        try {
            components.deliveries().find("dlv_priming-does-not-exist");
        } catch (RuntimeException ignored) {
            // not reachable at checkpoint time (e.g. no network): fine
        }
        try {
            clients.sqs().getQueueAttributes(b -> b.queueUrl(config.queueUrl(dev.ben.settings.BenSettings.RETRY_QUEUE))
                    .attributeNamesWithStrings("ApproximateNumberOfMessages"));
        } catch (RuntimeException ignored) {
            // as above
        }
    }
}

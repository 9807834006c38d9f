package dev.ben.local.runtime.internal;

import dev.ben.local.runtime.AwsTarget;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.TableSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment of one local function, built the way the CDK app builds it for AWS: each declared table's
 * physical name under {@link TableSpec#envVar()}, each declared queue's URL under {@link QueueSpec#envVar()},
 * plus what a Lambda execution environment provides ({@code AWS_REGION}, {@code AWS_LAMBDA_FUNCTION_NAME}, …)
 * and the local endpoints under the SDK v2 names {@code AWS_ENDPOINT_URL_DYNAMODB} and
 * {@code AWS_ENDPOINT_URL_SQS} (and {@code AWS_ENDPOINT_URL} when both services share one endpoint).
 * Env vars of tables and queues the function does not declare are left out, so a missing declaration fails
 * locally as it would in AWS.
 */
public final class FunctionEnvironment {
    private FunctionEnvironment() {
    }

    public static Map<String, String> of(FunctionSpec function, BenSettings settings, AwsTarget target,
                                         Map<String, String> shared, Map<String, String> perFunction) {
        Map<String, String> env = new TreeMap<>(target.environment());
        settings.tables().stream().filter(t -> !function.tables().contains(t.logicalName()))
                .forEach(t -> env.remove(t.envVar()));
        settings.queues().stream().filter(q -> !function.queues().contains(q.logicalName()))
                .forEach(q -> env.remove(q.envVar()));
        for (String table : function.tables()) {
            env.put(settings.table(table).envVar(), target.tableName(table));
        }
        for (String queue : function.queues()) {
            env.put(settings.queue(queue).envVar(), target.queueUrl(queue));
        }
        env.put("AWS_REGION", target.region());
        env.put("AWS_DEFAULT_REGION", target.region());
        env.putIfAbsent("AWS_ACCESS_KEY_ID", "local");
        env.putIfAbsent("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", target.dynamoDbEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", target.dynamoDbEndpoint().toString());
        env.put("AWS_ENDPOINT_URL_SQS", target.sqsEndpoint().toString());
        if (target.dynamoDbEndpoint().equals(target.sqsEndpoint())) {
            env.put("AWS_ENDPOINT_URL", target.dynamoDbEndpoint().toString());
        }
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalName());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", FunctionIdentity.VERSION);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.logicalName());
        env.put("_HANDLER", function.handler());
        env.putAll(shared);
        env.putAll(perFunction);
        return Map.copyOf(env);
    }
}

package dev.ben.infra.iam;

import dev.ben.settings.UserAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Records every AWS SDK call a Ben function makes, with the resource it touched. Registered for every SDK client
 * on the test classpath as a global interceptor ({@code software/amazon/awssdk/global/handlers/execution.interceptors}),
 * so the real handlers need no test hook.
 *
 * <p>A call is attributed to a function by its {@code User-Agent} suffix {@code ben/<function>} (see
 * {@link UserAgent}), which every function's clients carry. Clients without it — the local runtime's stream and
 * queue pollers (in AWS those are the Lambda service's calls), test set-up and assertions — are not recorded.
 * The header is read just before transmission, when the SDK has built it; one SDK call with retries is one entry.
 */
public final class CallRecorder implements ExecutionInterceptor {

    private static final Set<AwsCall> CALLS = ConcurrentHashMap.newKeySet();
    private static final Set<String> UNATTRIBUTED = ConcurrentHashMap.newKeySet();

    /** Every call recorded so far, sorted. */
    public static Set<AwsCall> calls() {
        return new TreeSet<>(CALLS);
    }

    /** Operations seen without a {@code ben/} User-Agent suffix ({@code Service.Operation}): not function calls. */
    public static Set<String> unattributed() {
        return new TreeSet<>(UNATTRIBUTED);
    }

    /** Records a call made outside the SDK (e.g. a SigV4-signed HTTP request to an API: {@code execute-api:Invoke}). */
    public static void record(AwsCall call) {
        CALLS.add(call);
    }

    public static void clear() {
        CALLS.clear();
        UNATTRIBUTED.clear();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Optional<String> function = context.httpRequest().firstMatchingHeader("User-Agent")
                .flatMap(UserAgent::function);
        if (function.isEmpty()) {
            UNATTRIBUTED.add(service + "." + operation);
            return;
        }
        String action = iamAction(iamPrefix(service), operation);
        for (CallResource resource : resources(context.request())) {
            CALLS.add(new AwsCall(function.get(), action, resource));
        }
    }

    /**
     * The IAM action that authorizes an operation: its own name, except SQS's batch operations, which AWS authorizes
     * by the single operation's action ({@code SendMessageBatch} by {@code sqs:SendMessage}, and so on; there is no
     * separate IAM action for them).
     */
    static String iamAction(String prefix, String operation) {
        boolean sqsBatch = prefix.equals("sqs") && operation.endsWith("Batch")
                && Set.of("SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch").contains(operation);
        return prefix + ":" + (sqsBatch ? operation.substring(0, operation.length() - "Batch".length()) : operation);
    }

    /** IAM service prefix of an SDK service name (DynamoDB Streams actions are {@code dynamodb:*} in IAM). */
    static String iamPrefix(String sdkServiceName) {
        return switch (sdkServiceName) {
            case "DynamoDb", "DynamoDB", "DynamoDbStreams", "DynamoDBStreams" -> "dynamodb";
            case "Sqs", "SQS" -> "sqs";
            default -> sdkServiceName.toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** The resources one request names: one table for most DynamoDB calls, several for batch calls. */
    static List<CallResource> resources(SdkRequest request) {
        List<CallResource> found = new ArrayList<>();
        switch (request) {
            case BatchGetItemRequest batch -> batch.requestItems().keySet()
                    .forEach(t -> found.add(new CallResource.Table(t, "")));
            case BatchWriteItemRequest batch -> batch.requestItems().keySet()
                    .forEach(t -> found.add(new CallResource.Table(t, "")));
            case TransactGetItemsRequest t -> throw new IllegalStateException(
                    "TransactGetItems is not modelled by the IAM-from-calls test (IAM checks each contained GetItem)");
            case TransactWriteItemsRequest t -> throw new IllegalStateException(
                    "TransactWriteItems is not modelled by the IAM-from-calls test (IAM checks each contained write)");
            default -> {
                Optional<String> table = request.getValueForField("TableName", String.class);
                Optional<String> streamArn = request.getValueForField("StreamArn", String.class);
                Optional<String> queueUrl = request.getValueForField("QueueUrl", String.class);
                Optional<String> queueName = request.getValueForField("QueueName", String.class);
                if (table.isPresent()) {
                    found.add(new CallResource.Table(table.get(),
                            request.getValueForField("IndexName", String.class).orElse("")));
                } else if (streamArn.isPresent()) {
                    found.add(new CallResource.Stream(tableOfStream(streamArn.get())));
                } else if (queueUrl.isPresent()) {
                    String url = queueUrl.get();
                    found.add(new CallResource.Queue(url.substring(url.lastIndexOf('/') + 1)));
                } else if (queueName.isPresent()) {
                    found.add(new CallResource.Queue(queueName.get()));
                } else {
                    found.add(new CallResource.Account());
                }
            }
        }
        return found;
    }

    /** {@code arn:aws:dynamodb:r:a:table/T/stream/label} → {@code T}. */
    static String tableOfStream(String streamArn) {
        int table = streamArn.indexOf(":table/");
        int stream = streamArn.indexOf("/stream/");
        if (table < 0 || stream < table) {
            throw new IllegalArgumentException("not a DynamoDB stream ARN: " + streamArn);
        }
        return streamArn.substring(table + ":table/".length(), stream);
    }
}

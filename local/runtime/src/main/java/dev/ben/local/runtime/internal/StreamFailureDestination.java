package dev.ben.local.runtime.internal;

import dev.ben.local.runtime.InvocationResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ben.local.runtime.internal.StreamBatchProcessor.FailureCondition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * On-failure destination of a stream event source mapping: one SQS message per discarded batch, in the shape
 * of Lambda's invocation record for DynamoDB streams (metadata only, no records):
 * {@code requestContext, responseContext, version, timestamp, DDBStreamBatchInfo}.
 */
public final class StreamFailureDestination {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SqsClient sqs;
    private final String queueUrl;
    private final FunctionIdentity function;
    private final Clock clock;

    public StreamFailureDestination(SqsClient sqs, String queueUrl, FunctionIdentity function, Clock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.function = function;
        this.clock = clock;
    }

    public String queueUrl() {
        return queueUrl;
    }

    /** Sends the invocation record; the SQS error propagates so the caller can retry (nothing is lost). */
    public void send(String streamArn, String shardId, List<Record> records, FailureCondition condition,
                     InvocationResult lastResult, int invokeCount) {
        String body = invocationRecord(streamArn, shardId, records, condition, lastResult, invokeCount).toString();
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    }

    ObjectNode invocationRecord(String streamArn, String shardId, List<Record> records, FailureCondition condition,
                                InvocationResult lastResult, int invokeCount) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode request = root.putObject("requestContext");
        request.put("requestId", lastResult != null ? lastResult.requestId() : UUID.randomUUID().toString());
        request.put("functionArn", function.arn());
        request.put("condition", condition.name());
        request.put("approximateInvokeCount", invokeCount);
        ObjectNode response = root.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", FunctionIdentity.VERSION);
        if (lastResult instanceof InvocationResult.Failure) {
            response.put("functionError", "Unhandled");
        }
        root.put("version", "1.0");
        root.put("timestamp", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        ObjectNode info = root.putObject("DDBStreamBatchInfo");
        info.put("shardId", shardId);
        info.put("startSequenceNumber", records.getFirst().dynamodb().sequenceNumber());
        info.put("endSequenceNumber", records.getLast().dynamodb().sequenceNumber());
        info.put("approximateArrivalOfFirstRecord", arrival(records.getFirst()));
        info.put("approximateArrivalOfLastRecord", arrival(records.getLast()));
        info.put("batchSize", records.size());
        info.put("streamArn", streamArn);
        return root;
    }

    private static String arrival(Record record) {
        Instant created = record.dynamodb().approximateCreationDateTime();
        return created == null ? null : created.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}

package dev.ben.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ben.local.runtime.testing.Await;
import dev.ben.local.runtime.testing.RecordingStreamHandler;
import dev.ben.local.runtime.testing.TestSettings;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.sqs.model.Message;

@ExtendWith(LocalAwsExtension.class)
class StreamEventSourceMappingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FUNCTION = "stream-test";

    private final LocalAws aws;
    private final List<LocalLambdaRuntime> runtimes = new ArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    StreamEventSourceMappingIT(LocalAws aws) {
        this.aws = aws;
    }

    @AfterEach
    void stop() {
        runtimes.forEach(LocalLambdaRuntime::close);
    }

    private LocalLambdaRuntime start(BenSettings settings, ProvisionedResources resources, RecordingStreamHandler handler,
                                     UnaryOperator<LocalLambdaRuntime.Builder> more) {
        LocalLambdaRuntime runtime = more.apply(LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .handler(FUNCTION, handler).streamRetryDelay(Duration.ofMillis(50))
                .output(new PrintStream(output, true))).start();
        runtimes.add(runtime);
        return runtime;
    }

    private void putOrder(ProvisionedResources resources, String orderId, String status) {
        aws.dynamoDb().putItem(b -> b.tableName(resources.tableName(TestSettings.ORDERS)).item(Map.of(
                "orderId", AttributeValue.fromS(orderId), "status", AttributeValue.fromS(status),
                "version", AttributeValue.fromN("1"))));
    }

    /** Every record of the table's stream, read with the unmodified SDK client. */
    private List<Record> streamRecords(ProvisionedResources resources) {
        String streamArn = resources.streamArn(TestSettings.ORDERS);
        List<Record> records = new ArrayList<>();
        aws.dynamoDbStreams().describeStream(b -> b.streamArn(streamArn)).streamDescription().shards().forEach(shard -> {
            String iterator = aws.dynamoDbStreams().getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String current = iterator;
                var response = aws.dynamoDbStreams().getRecords(b -> b.shardIterator(current));
                records.addAll(response.records());
                if (response.records().isEmpty()) {
                    break;
                }
                iterator = response.nextShardIterator();
            }
        });
        return records;
    }

    private String sequenceOf(ProvisionedResources resources, String orderId) {
        return streamRecords(resources).stream().filter(r -> r.dynamodb().keys().get("orderId").s().equals(orderId))
                .reduce((a, b) -> b).orElseThrow().dynamodb().sequenceNumber();
    }

    private List<JsonNode> failureRecords(ProvisionedResources resources, int expected) {
        List<JsonNode> received = new ArrayList<>();
        Await.until(expected + " on-failure record(s)", WAIT, () -> {
            for (Message m : aws.sqs().receiveMessage(b -> b.queueUrl(resources.queueUrl(TestSettings.FAILURES))
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages()) {
                try {
                    received.add(JSON.readTree(m.body()));
                } catch (Exception e) {
                    throw new AssertionError("on-failure record is not JSON: " + m.body(), e);
                }
            }
            return received.size() >= expected;
        });
        return received;
    }

    @Test
    void partialBatchFailure_checkpointsBeforeTheLowestFailedRecord_andRetriesFromIt() {
        BenSettings settings = TestSettings.streamFunction(TestSettings.stream(100, false, 3, Duration.ofSeconds(-1), List.of()));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        for (int i = 1; i <= 5; i++) {
            putOrder(resources, "o-" + i, "PENDING");
        }
        String failedSequence = sequenceOf(resources, "o-3");
        RecordingStreamHandler handler = new RecordingStreamHandler(batch ->
                batch.orderIds().getFirst().equals("o-1") ? RecordingStreamHandler.failing(failedSequence)
                        : RecordingStreamHandler.failing());

        LocalLambdaRuntime runtime = start(settings, resources, handler, b -> b);
        Await.until("the retried batch", WAIT, () -> handler.batches().size() >= 2);
        Await.pause(Duration.ofMillis(700));

        assertThat(handler.batches()).extracting(RecordingStreamHandler.Batch::orderIds).containsExactly(
                List.of("o-1", "o-2", "o-3", "o-4", "o-5"),
                List.of("o-3", "o-4", "o-5"));
        assertThat(handler.batches().get(1).sequenceNumbers().getFirst()).isEqualTo(failedSequence);
        assertThat(runtime.streamCheckpoints(FUNCTION)).containsValue(sequenceOf(resources, "o-5"));
    }

    @Test
    void streamRecords_reachTheHandlerAsDynamodbEventRecords_withContext() {
        BenSettings settings = TestSettings.streamFunction(TestSettings.stream(100, false, 0, Duration.ofSeconds(-1), List.of()));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        putOrder(resources, "o-1", "PENDING");
        putOrder(resources, "o-1", "PAID");
        RecordingStreamHandler handler = RecordingStreamHandler.succeeding();

        start(settings, resources, handler, b -> b);
        Await.until("both records", WAIT, () -> handler.deliveredOrderIds().size() >= 2);

        RecordingStreamHandler.Batch batch = handler.batches().getFirst();
        DynamodbEvent.DynamodbStreamRecord modify = handler.batches().stream().flatMap(b -> b.records().stream())
                .filter(r -> r.getEventName().equals("MODIFY")).findFirst().orElseThrow();
        assertThat(modify.getEventSourceARN()).isEqualTo(resources.streamArn(TestSettings.ORDERS));
        assertThat(modify.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(modify.getAwsRegion()).isEqualTo(aws.region());
        assertThat(modify.getDynamodb().getOldImage().get("status").getS()).isEqualTo("PENDING");
        assertThat(modify.getDynamodb().getNewImage().get("status").getS()).isEqualTo("PAID");
        assertThat(modify.getDynamodb().getNewImage().get("version").getN()).isEqualTo("1");
        assertThat(modify.getDynamodb().getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(modify.getDynamodb().getApproximateCreationDateTime()).isNotNull();
        assertThat(batch.functionName()).isEqualTo(FUNCTION);
        assertThat(batch.memoryMb()).isEqualTo(256);
        assertThat(batch.remainingMillis()).isBetween(1, 10_000);
        assertThat(batch.requestId()).isNotBlank();
        assertThat(output.toString()).contains("received [o-1");
    }

    @Test
    void parallelizationFactor_aSlowBatchHoldsOnlyItsLane_andEachKeyStaysInOrder() {
        var trigger = TestSettings.stream(1, false, 0, Duration.ofSeconds(-1), List.of());
        BenSettings settings = TestSettings.streamFunction(new Trigger.StreamTrigger(trigger.table(), 1,
                Duration.ZERO, trigger.startingPosition(), false, 0, trigger.maximumRecordAge(), true, List.of(),
                trigger.onFailureQueue(), 4));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        List<String> others = idsOutsideTheLaneOf("slow", 4, 5);
        putOrder(resources, "slow", "PENDING");
        others.forEach(id -> putOrder(resources, id, "PAID"));
        putOrder(resources, "slow", "PAID");
        List<String> finished = new CopyOnWriteArrayList<>();
        RecordingStreamHandler handler = new RecordingStreamHandler(batch -> {
            String id = batch.orderIds().getFirst();
            if (id.equals("slow") && finished.stream().noneMatch("slow"::equals)) {
                Await.pause(Duration.ofSeconds(3));
            }
            finished.add(id);
            return RecordingStreamHandler.failing();
        });

        LocalLambdaRuntime runtime = start(settings, resources, handler, b -> b);
        Await.until("every record", WAIT, () -> finished.size() >= others.size() + 2);

        // the five other keys were done while the first "slow" batch slept; "slow"'s second record came after it
        assertThat(finished.subList(0, others.size())).containsExactlyInAnyOrderElementsOf(others);
        assertThat(finished.subList(others.size(), finished.size())).containsExactly("slow", "slow");
        Await.until("the shard's checkpoint at its last record", WAIT, () -> runtime.streamCheckpoints(FUNCTION)
                .containsValue(sequenceOf(resources, "slow")));
    }

    /** Order ids whose records go to another of {@code lanes} lanes than {@code id}'s (keys hashed as the lanes do). */
    private static List<String> idsOutsideTheLaneOf(String id, int lanes, int count) {
        int lane = laneOf(id, lanes);
        List<String> ids = new ArrayList<>();
        for (int i = 1; ids.size() < count; i++) {
            if (laneOf("o-" + i, lanes) != lane) {
                ids.add("o-" + i);
            }
        }
        return ids;
    }

    private static int laneOf(String orderId, int lanes) {
        return Math.floorMod(Map.of("orderId", AttributeValue.fromS(orderId)).hashCode(), lanes);
    }

    @Test
    void bisect_isolatesThePoisonRecord_whichGoesToTheOnFailureDestination_afterItsRetries() {
        BenSettings settings = TestSettings.streamFunction(TestSettings.stream(100, true, 2, Duration.ofSeconds(-1), List.of()));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        for (int i = 1; i <= 5; i++) {
            putOrder(resources, "o-" + i, "PENDING");
        }
        RecordingStreamHandler handler = new RecordingStreamHandler(batch -> {
            if (batch.orderIds().contains("o-3")) {
                throw new IllegalStateException("poison o-3");
            }
            return RecordingStreamHandler.failing();
        });

        LocalLambdaRuntime runtime = start(settings, resources, handler, b -> b);
        JsonNode failure = failureRecords(resources, 1).getFirst();
        String lastSequence = sequenceOf(resources, "o-5");
        Await.until("checkpoint past o-5", WAIT, () -> runtime.streamCheckpoints(FUNCTION).containsValue(lastSequence));

        assertThat(handler.batches()).extracting(RecordingStreamHandler.Batch::orderIds).containsExactly(
                List.of("o-1", "o-2", "o-3", "o-4", "o-5"),
                List.of("o-1", "o-2"),
                List.of("o-3", "o-4", "o-5"),
                List.of("o-3"), List.of("o-3"), List.of("o-3"),
                List.of("o-4", "o-5"));
        assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failure.at("/requestContext/functionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:" + FUNCTION);
        assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(5);
        assertThat(failure.at("/requestContext/requestId").asText()).isEqualTo(handler.batches().get(5).requestId());
        assertThat(failure.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(failure.at("/responseContext/executedVersion").asText()).isEqualTo("$LATEST");
        assertThat(failure.at("/version").asText()).isEqualTo("1.0");
        assertThat(failure.at("/timestamp").asText()).isNotBlank();
        JsonNode info = failure.get("DDBStreamBatchInfo");
        String poison = sequenceOf(resources, "o-3");
        assertThat(info.get("startSequenceNumber").asText()).isEqualTo(poison);
        assertThat(info.get("endSequenceNumber").asText()).isEqualTo(poison);
        assertThat(info.get("batchSize").asInt()).isEqualTo(1);
        assertThat(info.get("streamArn").asText()).isEqualTo(resources.streamArn(TestSettings.ORDERS));
        assertThat(runtime.streamCheckpoints(FUNCTION)).containsKey(info.get("shardId").asText());
        assertThat(info.get("approximateArrivalOfFirstRecord").asText()).endsWith("Z");
        assertThat(info.get("approximateArrivalOfLastRecord").asText()).endsWith("Z");
        assertThat(failure.has("records") || failure.has("Records")).isFalse();
    }

    @Test
    void retryExhaustion_sendsTheWholeBatchToTheDestination_andTheShardMovesOn() {
        BenSettings settings = TestSettings.streamFunction(TestSettings.stream(100, false, 1, Duration.ofSeconds(-1), List.of()));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        for (int i = 1; i <= 3; i++) {
            putOrder(resources, "o-" + i, "PENDING");
        }
        RecordingStreamHandler handler = new RecordingStreamHandler(batch -> {
            if (batch.orderIds().contains("o-1")) {
                throw new IllegalStateException("down");
            }
            return null; // a null response is complete success
        });

        LocalLambdaRuntime runtime = start(settings, resources, handler, b -> b);
        JsonNode failure = failureRecords(resources, 1).getFirst();
        putOrder(resources, "o-4", "PENDING");
        Await.until("o-4 processed after the discarded batch", WAIT, () -> handler.deliveredOrderIds().contains("o-4"));

        assertThat(handler.batches()).extracting(RecordingStreamHandler.Batch::orderIds)
                .startsWith(List.of("o-1", "o-2", "o-3"), List.of("o-1", "o-2", "o-3"))
                .endsWith(List.of("o-4"))
                .hasSize(3);
        assertThat(failure.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(3);
        assertThat(failure.at("/DDBStreamBatchInfo/startSequenceNumber").asText()).isEqualTo(sequenceOf(resources, "o-1"));
        assertThat(failure.at("/DDBStreamBatchInfo/endSequenceNumber").asText()).isEqualTo(sequenceOf(resources, "o-3"));
        assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(2);
        String last = sequenceOf(resources, "o-4");
        Await.until("checkpoint at o-4", WAIT, () -> runtime.streamCheckpoints(FUNCTION).containsValue(last));
        assertThat(output.toString()).contains("\"level\":\"ERROR\"").contains("down");
    }

    @Test
    void recordsOlderThanMaximumRecordAge_goToTheDestination_withoutInvokingTheFunction() {
        BenSettings settings = TestSettings.streamFunction(TestSettings.stream(100, false, -1, Duration.ofSeconds(60), List.of()));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        putOrder(resources, "o-1", "PENDING");
        putOrder(resources, "o-2", "PENDING");
        RecordingStreamHandler handler = RecordingStreamHandler.succeeding();

        // The runtime clock is five minutes ahead: the records are five minutes old when the mapping reads them.
        start(settings, resources, handler, b -> b.clock(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5))));
        JsonNode failure = failureRecords(resources, 1).getFirst();

        assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RecordAgeExceeded");
        assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isZero();
        assertThat(failure.at("/DDBStreamBatchInfo/batchSize").asInt()).isEqualTo(2);
        assertThat(handler.batches()).isEmpty();
    }

    @Test
    void filterCriteria_dropNonMatchingRecords_andCheckpointPastThem() {
        BenSettings settings = TestSettings.streamFunction(TestSettings.stream(100, false, 0, Duration.ofSeconds(-1),
                List.of("{\"dynamodb\":{\"NewImage\":{\"status\":{\"S\":[\"PAID\"]}}}}")));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        putOrder(resources, "o-1", "PENDING");
        putOrder(resources, "o-2", "PAID");
        putOrder(resources, "o-3", "SHIPPED");
        putOrder(resources, "o-1", "PAID");
        putOrder(resources, "o-4", "CANCELLED");
        String last = streamRecords(resources).getLast().dynamodb().sequenceNumber();
        RecordingStreamHandler handler = RecordingStreamHandler.succeeding();

        LocalLambdaRuntime runtime = start(settings, resources, handler, b -> b);
        Await.until("checkpoint past the last (filtered) record", WAIT,
                () -> runtime.streamCheckpoints(FUNCTION).containsValue(last));

        assertThat(handler.deliveredOrderIds()).containsExactly("o-2", "o-1");
        assertThat(handler.batches()).flatExtracting(RecordingStreamHandler.Batch::records)
                .extracting(DynamodbEvent.DynamodbStreamRecord::getEventName).containsExactly("INSERT", "MODIFY");
    }

    @Test
    void defaultSettings_deployNotifyOnTheOrdersStream_withItsFilter() {
        BenSettings settings = TestSettings.ordersStack();
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        RecordingStreamHandler handler = RecordingStreamHandler.succeeding();
        aws.dynamoDb().putItem(b -> b.tableName(resources.tableName(TestSettings.ORDERS)).item(Map.of(
                "orderId", AttributeValue.fromS("o-9"), "status", AttributeValue.fromS("PAID"))));
        aws.dynamoDb().deleteItem(b -> b.tableName(resources.tableName(TestSettings.ORDERS)).key(Map.of(
                "orderId", AttributeValue.fromS("o-9"))));

        LocalLambdaRuntime runtime = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .only("notify").handler("notify", handler).output(new PrintStream(output, true)).start();
        runtimes.add(runtime);
        String last = streamRecords(resources).getLast().dynamodb().sequenceNumber();
        Await.until("checkpoint past the REMOVE record", WAIT, () -> runtime.streamCheckpoints("notify").containsValue(last));

        // The default filter passes INSERT and MODIFY only.
        assertThat(handler.batches()).flatExtracting(RecordingStreamHandler.Batch::records)
                .extracting(DynamodbEvent.DynamodbStreamRecord::getEventName).containsExactly("INSERT");
        assertThat(runtime.environment("notify")).containsEntry("BEN_SOURCE_TABLE_ORDERS", resources.tableName(TestSettings.ORDERS))
                .containsEntry("BEN_RETRY_QUEUE_URL", resources.queueUrl(BenSettings.RETRY_QUEUE))
                .doesNotContainKey("BEN_RECEIVER_ORDERS_TABLE");
    }

}

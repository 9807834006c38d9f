package dev.ben.local.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Test handler for stream event sources: records every batch, answers with a scripted behaviour. */
public final class RecordingStreamHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    /** One received batch: the records and the Context facts the test checks. */
    public record Batch(List<DynamodbEvent.DynamodbStreamRecord> records, String requestId, String functionName,
                        int remainingMillis, int memoryMb) {
        public List<String> orderIds() {
            return records.stream().map(r -> r.getDynamodb().getKeys().get("orderId").getS()).toList();
        }

        public List<String> sequenceNumbers() {
            return records.stream().map(r -> r.getDynamodb().getSequenceNumber()).toList();
        }
    }

    private final Function<Batch, StreamsEventResponse> behaviour;
    private final List<Batch> batches = new CopyOnWriteArrayList<>();

    public RecordingStreamHandler(Function<Batch, StreamsEventResponse> behaviour) {
        this.behaviour = behaviour;
    }

    public static RecordingStreamHandler succeeding() {
        return new RecordingStreamHandler(batch -> StreamsEventResponse.builder().withBatchItemFailures(List.of()).build());
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        Batch batch = new Batch(List.copyOf(event.getRecords()), context.getAwsRequestId(), context.getFunctionName(),
                context.getRemainingTimeInMillis(), context.getMemoryLimitInMB());
        batches.add(batch);
        context.getLogger().log("received " + batch.orderIds());
        return behaviour.apply(batch);
    }

    public List<Batch> batches() {
        return List.copyOf(batches);
    }

    public List<String> deliveredOrderIds() {
        return batches.stream().flatMap(b -> b.orderIds().stream()).toList();
    }

    public static StreamsEventResponse failing(String... sequenceNumbers) {
        return StreamsEventResponse.builder().withBatchItemFailures(java.util.Arrays.stream(sequenceNumbers)
                .map(s -> StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(s).build()).toList()).build();
    }
}

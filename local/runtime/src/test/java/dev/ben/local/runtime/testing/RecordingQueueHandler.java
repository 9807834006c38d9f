package dev.ben.local.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Test handler for SQS event sources: records every message, answers with a scripted behaviour. */
public final class RecordingQueueHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Function<List<SQSEvent.SQSMessage>, SQSBatchResponse> behaviour;
    private final List<SQSEvent.SQSMessage> messages = new CopyOnWriteArrayList<>();
    private final List<List<SQSEvent.SQSMessage>> batches = new CopyOnWriteArrayList<>();

    public RecordingQueueHandler(Function<List<SQSEvent.SQSMessage>, SQSBatchResponse> behaviour) {
        this.behaviour = behaviour;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        messages.addAll(event.getRecords());
        batches.add(List.copyOf(event.getRecords()));
        return behaviour.apply(event.getRecords());
    }

    public List<SQSEvent.SQSMessage> messages() {
        return List.copyOf(messages);
    }

    public List<List<SQSEvent.SQSMessage>> batches() {
        return List.copyOf(batches);
    }

    public long deliveriesOf(String body) {
        return messages.stream().filter(m -> m.getBody().equals(body)).count();
    }

    public static SQSBatchResponse failing(List<String> messageIds) {
        return SQSBatchResponse.builder().withBatchItemFailures(messageIds.stream()
                .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build()).toList()).build();
    }
}

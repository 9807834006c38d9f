package dev.ben.sender.retry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ben.sender.internal.JsonTelemetry;
import dev.ben.sender.internal.RetryService;
import dev.ben.sender.internal.SenderFunction;
import dev.ben.sender.internal.aws.SqsRetryQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;

/**
 * Retry queue → one more attempt per message. Messages to keep (failed again: visibility already set to the next
 * step of the schedule, or an error) are reported in {@code batchItemFailures}; the rest are deleted by Lambda.
 */
public final class RetryHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {

    private final RetryService service;
    private final JsonTelemetry telemetry;
    private final Runnable prime;

    public RetryHandler() {
        this(System.getenv());
    }

    /** Reads its configuration from {@code env} (the local runtime passes a per-function environment). */
    public RetryHandler(Map<String, String> env) {
        this(SenderFunction.fromEnv(env, "retry"));
    }

    private RetryHandler(SenderFunction f) {
        this(f.components().retryService(), f.telemetry(), f::prime);
        Core.getGlobalContext().register(this);
    }

    RetryHandler(RetryService service, JsonTelemetry telemetry, Runnable prime) {
        this.service = service;
        this.telemetry = telemetry;
        this.prime = prime;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        telemetry.requestId(context == null ? "" : context.getAwsRequestId());
        List<SQSBatchResponse.BatchItemFailure> keep = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event == null || event.getRecords() == null ? List.<SQSEvent.SQSMessage>of()
                : event.getRecords()) {
            var token = m.getMessageAttributes() == null ? null : m.getMessageAttributes().get(SqsRetryQueue.TOKEN);
            try {
                if (service.process(m.getBody(), token == null || token.getStringValue() == null ? ""
                        : token.getStringValue(), m.getReceiptHandle()) == RetryService.Ack.KEEP) {
                    keep.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                }
            } catch (RuntimeException e) { // store/queue unavailable: the message comes back after its visibility
                telemetry.error("retry message failed", Map.of("messageId", m.getMessageId(), "error", e.toString()));
                keep.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
            }
        }
        telemetry.flush();
        return new SQSBatchResponse(keep);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime.run();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh
    }
}

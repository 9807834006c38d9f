package dev.ben.sender.retry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ben.sender.internal.JsonTelemetry;
import dev.ben.sender.internal.RetryService;
import dev.ben.sender.internal.SenderFunction;
import dev.ben.sender.internal.aws.SqsRetryQueue;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
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
        this(env, List.of());
    }

    /** As {@link #RetryHandler(Map)}, with SDK interceptors (API call counting, fault injection in tests). */
    public RetryHandler(Map<String, String> env, List<ExecutionInterceptor> interceptors) {
        this(SenderFunction.fromEnv(env, "retry", interceptors));
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
        List<RetryService.Message> messages = event == null || event.getRecords() == null ? List.of()
                : event.getRecords().stream().map(RetryHandler::message).toList();
        List<String> keep = service.processBatch(messages, context == null ? -1 : context.getRemainingTimeInMillis());
        telemetry.flush();
        return new SQSBatchResponse(keep.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
    }

    private static RetryService.Message message(SQSEvent.SQSMessage m) {
        var token = m.getMessageAttributes() == null ? null : m.getMessageAttributes().get(SqsRetryQueue.TOKEN);
        return new RetryService.Message(m.getMessageId(), m.getBody(),
                token == null || token.getStringValue() == null ? "" : token.getStringValue());
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

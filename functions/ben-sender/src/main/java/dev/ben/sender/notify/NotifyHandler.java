package dev.ben.sender.notify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ben.sender.internal.JsonTelemetry;
import dev.ben.sender.internal.NotifyService;
import dev.ben.sender.internal.SenderFunction;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import org.crac.Resource;

/**
 * DynamoDB stream → signed webhooks. Records whose store or queue writes failed are returned in
 * {@code batchItemFailures} so the stream redelivers them (ReportBatchItemFailures).
 */
public final class NotifyHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse>, Resource {

    private final NotifyService service;
    private final JsonTelemetry telemetry;
    private final Runnable prime;

    public NotifyHandler() {
        this(System.getenv());
    }

    /** Reads its configuration from {@code env} (the local runtime passes a per-function environment). */
    public NotifyHandler(Map<String, String> env) {
        this(env, List.of());
    }

    /** As {@link #NotifyHandler(Map)}, with SDK interceptors (API call counting, fault injection in tests). */
    public NotifyHandler(Map<String, String> env, List<ExecutionInterceptor> interceptors) {
        this(SenderFunction.fromEnv(env, "notify", interceptors));
    }

    private NotifyHandler(SenderFunction f) {
        this(f.components().notifyService(), f.telemetry(), f::prime);
        Core.getGlobalContext().register(this);
    }

    NotifyHandler(NotifyService service, JsonTelemetry telemetry, Runnable prime) {
        this.service = service;
        this.telemetry = telemetry;
        this.prime = prime;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        telemetry.requestId(context == null ? "" : context.getAwsRequestId());
        List<String> failed = service.process(event == null ? List.of() : event.getRecords(),
                context == null ? -1 : context.getRemainingTimeInMillis());
        telemetry.flush();
        return StreamsEventResponse.builder().withBatchItemFailures(
                failed.stream().map(seq -> new StreamsEventResponse.BatchItemFailure(seq)).toList()).build();
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime.run();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to refresh: clients reconnect lazily
    }
}

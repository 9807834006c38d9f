package dev.ben.sender.sweeper;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.ben.sender.internal.JsonTelemetry;
import dev.ben.sender.internal.SenderFunction;
import dev.ben.sender.internal.SweeperService;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import org.crac.Resource;

/**
 * Scheduled: re-enqueues deliveries whose retry message was lost, and releases parked ones whose endpoint can take
 * them again. Returns the run's summary.
 */
public final class SweeperHandler implements RequestHandler<ScheduledEvent, Map<String, Object>>, Resource {

    private final SweeperService service;
    private final JsonTelemetry telemetry;
    private final Runnable prime;

    public SweeperHandler() {
        this(System.getenv());
    }

    /** Reads its configuration from {@code env} (the local runtime passes a per-function environment). */
    public SweeperHandler(Map<String, String> env) {
        this(env, List.of());
    }

    /** As {@link #SweeperHandler(Map)}, with SDK interceptors (API call counting, fault injection in tests). */
    public SweeperHandler(Map<String, String> env, List<ExecutionInterceptor> interceptors) {
        this(SenderFunction.fromEnv(env, "sweeper", interceptors));
    }

    private SweeperHandler(SenderFunction f) {
        this(f.components().sweeperService(), f.telemetry(), f::prime);
        Core.getGlobalContext().register(this);
    }

    SweeperHandler(SweeperService service, JsonTelemetry telemetry, Runnable prime) {
        this.service = service;
        this.telemetry = telemetry;
        this.prime = prime;
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        telemetry.requestId(context == null ? "" : context.getAwsRequestId());
        Map<String, Object> summary = service.sweep();
        telemetry.info("sweep finished", summary);
        telemetry.flush();
        return summary;
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

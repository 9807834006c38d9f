package dev.ben.sender.status;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ben.core.observability.Json;
import dev.ben.sender.internal.JsonTelemetry;
import dev.ben.sender.internal.SenderFunction;
import dev.ben.sender.internal.StatusService;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import org.crac.Resource;

/**
 * HTTP API (payload 2.0): {@code GET /entities/{entityId}/events}, {@code GET /events/{eventId}},
 * {@code GET /deliveries/{deliveryId}}, each with an optional {@code ?tenant=} scope (see {@link StatusService}). In
 * AWS the routes use IAM auth (the request context carries {@code authorizer.iam}); locally a bearer token is
 * required.
 */
public final class StatusApiHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    private final StatusService service;
    private final JsonTelemetry telemetry;
    private final Runnable prime;

    public StatusApiHandler() {
        this(System.getenv());
    }

    /** Reads its configuration from {@code env} (the local runtime passes a per-function environment). */
    public StatusApiHandler(Map<String, String> env) {
        this(env, List.of());
    }

    /** As {@link #StatusApiHandler(Map)}, with SDK interceptors (API call counting, fault injection in tests). */
    public StatusApiHandler(Map<String, String> env, List<ExecutionInterceptor> interceptors) {
        this(SenderFunction.fromEnv(env, "status-api", interceptors));
    }

    private StatusApiHandler(SenderFunction f) {
        this(f.components().statusService(), f.telemetry(), f::prime);
        Core.getGlobalContext().register(this);
    }

    StatusApiHandler(StatusService service, JsonTelemetry telemetry, Runnable prime) {
        this.service = service;
        this.telemetry = telemetry;
        this.prime = prime;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        var request = HttpRequestView.of(event);
        StatusService.Response response = service.handle(request.method(), request.rawPath(), request.query(),
                request.iamCaller(), request.header("authorization"));
        if (response.status() >= 500 || response.status() == 401) {
            telemetry.warn("status API request refused", Map.of("status", response.status(), "path", request.rawPath()));
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(response.status())
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody(Json.write(response.body())).build();
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

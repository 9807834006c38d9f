package dev.ben.admin;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ben.admin.internal.AdminComponents;
import dev.ben.admin.internal.ApiException;
import dev.ben.admin.internal.ApiRequest;
import dev.ben.admin.internal.ApiRequests;
import dev.ben.admin.internal.ApiResponse;
import dev.ben.admin.internal.ManagementApi;
import dev.ben.sender.internal.SenderFunction;
import dev.ben.settings.BenSettings;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The management API (docs/api/openapi.yaml) behind an HTTP API, payload 2.0: tenants, endpoints, deliveries, replay
 * and recovery, the dead-letter queue, stats. In AWS every route has IAM auth; locally a bearer token
 * ({@code BEN_MANAGEMENT_API_TOKEN}) is required.
 */
public final class ManagementApiHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    private final ManagementApi api;
    private final Runnable prime;

    public ManagementApiHandler() {
        this(System.getenv());
    }

    /** Reads its configuration from {@code env} (the local runtime passes a per-function environment). */
    public ManagementApiHandler(Map<String, String> env) {
        this(env, List.of());
    }

    /** As {@link #ManagementApiHandler(Map)}, with SDK interceptors (API call recording in tests). */
    public ManagementApiHandler(Map<String, String> env, List<ExecutionInterceptor> interceptors) {
        this(SenderFunction.fromEnv(env, BenSettings.MANAGEMENT_FUNCTION, interceptors), env);
    }

    private ManagementApiHandler(SenderFunction f, Map<String, String> env) {
        this(AdminComponents.api(f, env, Clock.systemUTC()), f::prime);
        Core.getGlobalContext().register(this);
    }

    ManagementApiHandler(ManagementApi api, Runnable prime) {
        this.api = api;
        this.prime = prime;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiResponse response;
        try {
            ApiRequest request = ApiRequests.of(event);
            response = api.handle(request);
        } catch (ApiException unreadable) {
            response = unreadable.response();
        }
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        if (!response.body().isEmpty()) {
            headers.put("content-type", "application/json");
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(response.status()).withHeaders(headers)
                .withBody(response.body()).withIsBase64Encoded(false).build();
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

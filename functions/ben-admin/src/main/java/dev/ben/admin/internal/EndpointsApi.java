package dev.ben.admin.internal;

import dev.ben.admin.EndpointAdmin;
import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.RetrySchedule;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /v1/tenants/{tenantId}/endpoints}: register, list, read, change, delete, disable, enable and rotate the
 * secret of a tenant's endpoints. Every operation on one endpoint first reads it and answers 404 unless it belongs
 * to the path's tenant, so nothing of another tenant is changed or confirmed.
 */
public final class EndpointsApi {

    private static final Set<String> CREATE_FIELDS = Set.of("endpointId", "url", "eventTypes", "secret",
            "rateLimitPerSecond", "retrySchedule", "headers");
    private static final Set<String> PATCH_FIELDS = Set.of("url", "eventTypes", "rateLimitPerSecond",
            "retrySchedule", "headers");

    private final EndpointAdmin endpoints;
    private final OwnedEndpoints owned;
    private final EndpointRules rules;
    private final SecretRotation rotation;
    private final Clock clock;

    public EndpointsApi(EndpointAdmin endpoints, EndpointRules rules, Clock clock) {
        this.endpoints = endpoints;
        this.owned = new OwnedEndpoints(endpoints);
        this.rules = rules;
        this.rotation = new SecretRotation(rules);
        this.clock = clock;
    }

    public ApiResponse create(ApiRequest request) {
        TenantScope scope = TenantScope.of(request);
        Body body = Body.of(request, false, CREATE_FIELDS);
        String id = rules.id(body.string("endpointId").orElse(null));
        String url = rules.url(body.requiredString("url"));
        Set<String> types = rules.eventTypes(body.strings("eventTypes").orElseThrow(() ->
                ApiException.invalid("eventTypes", "'eventTypes' is required (e.g. [\"invoice.settled\"] or [\"*\"])")));
        String secret = rules.secret(body.string("secret").orElse(null));
        int rate = rules.rateLimit(body.integer("rateLimitPerSecond").orElse(0));
        RetrySchedule schedule = body.string("retrySchedule").map(rules::schedule).orElse(null);
        Map<String, String> headers = rules.headers(body.stringMap("headers").orElse(Map.of()));
        Endpoint endpoint = new Endpoint(id, url, types, List.of(secret), true, "", rate, schedule, null,
                scope.tenantId()).withHeaders(headers);
        endpoints.create(endpoint);
        return ApiResponse.json(201, ApiViews.endpointWithSecret(endpoint, secret));
    }

    public ApiResponse list(ApiRequest request) {
        TenantScope scope = TenantScope.of(request);
        Paging paging = Paging.of(request, "endpointId");
        EndpointAdmin.Page page = endpoints.page(scope.tenantId(), paging.limit(), paging.cursor());
        return ApiResponse.json(200, Paging.page(page.items().stream().map(ApiViews::endpoint).toList(),
                page.next(), page.malformed()));
    }

    public ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, ApiViews.endpoint(owned(request)));
    }

    public ApiResponse update(ApiRequest request) {
        Body body = Body.of(request, false, PATCH_FIELDS);
        Endpoint before = owned(request);
        String url = body.string("url").map(rules::url).orElse(null);
        Set<String> types = body.strings("eventTypes").map(rules::eventTypes).orElse(null);
        Integer rate = body.integer("rateLimitPerSecond").map(rules::rateLimit).orElse(null);
        String schedule = body.isNull("retrySchedule") ? ""
                : body.string("retrySchedule").map(s -> rules.schedule(s).spec()).orElse(null);
        Map<String, String> headers = body.stringMap("headers").map(rules::headers).orElse(null);
        endpoints.update(before.id(), url, types, rate, schedule, headers);
        return ApiResponse.json(200, ApiViews.endpoint(endpoints.get(before.id())));
    }

    public ApiResponse delete(ApiRequest request) {
        endpoints.delete(owned(request).id());
        return ApiResponse.noContent();
    }

    public ApiResponse disable(ApiRequest request) {
        Body body = Body.of(request, false, Set.of("reason"));
        String reason = body.requiredString("reason").strip();
        if (reason.isEmpty() || reason.length() > 500) {
            throw ApiException.invalid("reason", "give a reason of 1-500 characters (it is recorded)");
        }
        Endpoint endpoint = owned(request);
        endpoints.disable(endpoint.id(), "disabled by operator: " + reason, clock.instant());
        return ApiResponse.json(200, ApiViews.endpoint(endpoints.get(endpoint.id())));
    }

    public ApiResponse enable(ApiRequest request) {
        Endpoint endpoint = owned(request);
        endpoints.enable(endpoint.id());
        return ApiResponse.json(200, ApiViews.endpoint(endpoints.get(endpoint.id())));
    }

    /** Adds a second secret: both sign every request until {@link #retireSecret}. */
    public ApiResponse rotateSecret(ApiRequest request) {
        Body body = Body.of(request, true, Set.of("secret"));
        Endpoint endpoint = owned(request);
        SecretRotation.Rotated rotated = rotation.rotate("endpoint " + endpoint.id(), endpoint.secrets(),
                body.string("secret").orElse(null));
        endpoints.replaceSecrets(endpoint.id(), endpoint.secrets(), rotated.secrets());
        return ApiResponse.json(200, ApiViews.endpointWithSecret(endpoints.get(endpoint.id()), rotated.added()));
    }

    /** Keeps only the newest secret. */
    public ApiResponse retireSecret(ApiRequest request) {
        Endpoint endpoint = owned(request);
        endpoints.replaceSecrets(endpoint.id(), endpoint.secrets(),
                rotation.retire("endpoint " + endpoint.id(), endpoint.secrets()));
        return ApiResponse.json(200, ApiViews.endpoint(endpoints.get(endpoint.id())));
    }

    private Endpoint owned(ApiRequest request) {
        return owned.of(request);
    }
}

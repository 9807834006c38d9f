package dev.ben.admin.internal;

/**
 * The operations behind each route of docs/api/openapi.yaml (the same routes as the management function's
 * {@code HttpTrigger}s in {@code BenSettings}; a test holds the three together). Create calls go through
 * {@link Idempotency}.
 */
public final class ManagementRoutes {

    private ManagementRoutes() {
    }

    public static Router router(TenantsApi tenants, EndpointsApi endpoints, Idempotency idempotency) {
        String tenant = "/v1/tenants/{tenantId}";
        String endpoint = tenant + "/endpoints/{endpointId}";
        return new Router()
                .add("POST", "/v1/tenants", idempotency.wrap(tenants::create))
                .add("GET", "/v1/tenants", tenants::list)
                .add("GET", tenant, tenants::get)
                .add("PATCH", tenant, tenants::update)
                .add("POST", tenant + "/endpoints", idempotency.wrap(endpoints::create))
                .add("GET", tenant + "/endpoints", endpoints::list)
                .add("GET", endpoint, endpoints::get)
                .add("PATCH", endpoint, endpoints::update)
                .add("DELETE", endpoint, endpoints::delete)
                .add("POST", endpoint + "/disable", endpoints::disable)
                .add("POST", endpoint + "/enable", endpoints::enable)
                .add("POST", endpoint + "/secret/rotate", endpoints::rotateSecret)
                .add("POST", endpoint + "/secret/retire", endpoints::retireSecret);
    }
}

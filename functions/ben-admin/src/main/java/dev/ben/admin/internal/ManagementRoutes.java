package dev.ben.admin.internal;

/**
 * The operations behind each route of docs/api/openapi.yaml (the same routes as the management function's
 * {@code HttpTrigger}s in {@code BenSettings}; a test holds the three together). Create calls go through
 * {@link Idempotency}.
 */
public final class ManagementRoutes {

    private ManagementRoutes() {
    }

    /** The operations of each group of routes. */
    public record Operations(TenantsApi tenants, EndpointsApi endpoints, TestEvents tests, DeliveriesApi deliveries,
                             RecoveryApi recovery, OperatorApi operator) {
    }

    public static Router router(Operations o, Idempotency idempotency) {
        String tenant = "/v1/tenants/{tenantId}";
        String endpoint = tenant + "/endpoints/{endpointId}";
        String delivery = tenant + "/deliveries/{deliveryId}";
        TenantsApi tenants = o.tenants();
        EndpointsApi endpoints = o.endpoints();
        return new Router()
                .add("POST", "/v1/tenants", idempotency.wrap(tenants::create))
                .add("GET", "/v1/tenants", tenants::list)
                .add("GET", tenant, tenants::get)
                .add("PATCH", tenant, tenants::update)
                .add("POST", tenant + "/secret/rotate", tenants::rotateSecret)
                .add("POST", tenant + "/secret/retire", tenants::retireSecret)
                .add("POST", tenant + "/endpoints", idempotency.wrap(endpoints::create))
                .add("GET", tenant + "/endpoints", endpoints::list)
                .add("GET", endpoint, endpoints::get)
                .add("PATCH", endpoint, endpoints::update)
                .add("DELETE", endpoint, endpoints::delete)
                .add("POST", endpoint + "/disable", endpoints::disable)
                .add("POST", endpoint + "/enable", endpoints::enable)
                .add("POST", endpoint + "/secret/rotate", endpoints::rotateSecret)
                .add("POST", endpoint + "/secret/retire", endpoints::retireSecret)
                .add("POST", endpoint + "/test", idempotency.wrap(o.tests()::send))
                .add("POST", endpoint + "/recover", idempotency.wrap(o.recovery()::recover))
                .add("GET", tenant + "/deliveries", o.deliveries()::list)
                .add("GET", delivery, o.deliveries()::get)
                .add("POST", delivery + "/replay", idempotency.wrap(o.deliveries()::replay))
                .add("GET", tenant + "/stats", o.operator()::tenantStats)
                .add("GET", "/v1/stats", o.operator()::allStats)
                .add("GET", "/v1/dlq", o.operator()::inspectDeadLetters)
                .add("POST", "/v1/dlq/redrive", o.operator()::redriveDeadLetters);
    }
}

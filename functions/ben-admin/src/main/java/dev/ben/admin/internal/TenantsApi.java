package dev.ben.admin.internal;

import dev.ben.admin.TenantAdmin;
import dev.ben.core.model.Tenant;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/tenants}: create, list, get, change the allowed hosts, rotate the secret that signs the deliveries to
 * the tenant's per-record URLs (in the two steps of endpoints: {@link SecretRotation}).
 */
public final class TenantsApi {

    private final TenantAdmin tenants;
    private final EndpointRules rules;
    private final SecretRotation rotation;

    public TenantsApi(TenantAdmin tenants, EndpointRules rules) {
        this.tenants = tenants;
        this.rules = rules;
        this.rotation = new SecretRotation(rules);
    }

    public ApiResponse create(ApiRequest request) {
        Body body = Body.of(request, false, Set.of("tenantId", "allowedHosts", "secret"));
        String id = body.requiredString("tenantId");
        if (!Tenant.validId(id)) {
            throw ApiException.invalid("tenantId", "tenant id '" + id + "' is not valid: " + Tenant.ID_RULE);
        }
        String secret = rules.secret(body.string("secret").orElse(null));
        Tenant tenant = tenant(id, body.strings("allowedHosts").orElse(List.of()), List.of(secret));
        tenants.create(tenant);
        return ApiResponse.json(201, ApiViews.tenantWithSecret(tenant, secret));
    }

    public ApiResponse list(ApiRequest request) {
        Paging paging = Paging.of(request, "tenantId");
        TenantAdmin.Page page = tenants.page(paging.limit(), paging.cursor());
        return ApiResponse.json(200, Paging.page(page.items().stream().map(ApiViews::tenant).toList(), page.next(),
                page.malformed()));
    }

    public ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, ApiViews.tenant(existing(request)));
    }

    public ApiResponse update(ApiRequest request) {
        Body body = Body.of(request, false, Set.of("allowedHosts"));
        Tenant before = existing(request);
        List<String> hosts = body.strings("allowedHosts").orElseThrow(() -> ApiException.invalid("allowedHosts",
                "nothing to change: give allowedHosts"));
        Tenant after = tenant(before.id(), hosts, before.secrets());
        tenants.replaceHosts(after);
        return ApiResponse.json(200, ApiViews.tenant(tenants.get(after.id())));
    }

    /** Adds a second secret: per-record URL deliveries carry both signatures until {@link #retireSecret}. */
    public ApiResponse rotateSecret(ApiRequest request) {
        Body body = Body.of(request, true, Set.of("secret"));
        Tenant tenant = existing(request);
        SecretRotation.Rotated rotated = rotation.rotate("tenant " + tenant.id(), tenant.secrets(),
                body.string("secret").orElse(null));
        tenants.replaceSecrets(tenant.id(), tenant.secrets(), rotated.secrets());
        return ApiResponse.json(200, ApiViews.tenantWithSecret(tenants.get(tenant.id()), rotated.added()));
    }

    /** Keeps only the newest secret. */
    public ApiResponse retireSecret(ApiRequest request) {
        Tenant tenant = existing(request);
        tenants.replaceSecrets(tenant.id(), tenant.secrets(), rotation.retire("tenant " + tenant.id(),
                tenant.secrets()));
        return ApiResponse.json(200, ApiViews.tenant(tenants.get(tenant.id())));
    }

    private Tenant existing(ApiRequest request) {
        TenantScope scope = TenantScope.of(request);
        if (scope.tenantId().isEmpty()) {
            throw ApiException.notFound("'" + TenantScope.NONE + "' names no tenant: it is the path segment of "
                    + "endpoints without a tenant");
        }
        return tenants.get(scope.tenantId());
    }

    private static Tenant tenant(String id, List<String> hosts, List<String> secrets) {
        if (hosts.size() > 100) {
            throw ApiException.invalid("allowedHosts", "at most 100 allowed hosts");
        }
        try {
            return new Tenant(id, hosts, secrets);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("allowedHosts", e.getMessage());
        }
    }
}

package dev.ben.admin.internal;

import dev.ben.core.model.Tenant;

/**
 * The tenant a request is scoped to by its path: {@code /v1/tenants/{tenantId}/…}, where {@value #NONE} stands for
 * "no tenant" (endpoints that receive only the events of rules without a tenant attribute). A resource of another
 * tenant is answered exactly like an unknown one (404), so ids of other tenants are not even confirmed to exist.
 *
 * @param tenantId the tenant id, "" for {@value #NONE}
 */
public record TenantScope(String tenantId) {

    /** The path segment of "no tenant"; {@link Tenant#validId} refuses it. */
    public static final String NONE = "_";

    public static TenantScope of(ApiRequest request) {
        String segment = request.pathParameter("tenantId");
        if (NONE.equals(segment)) {
            return new TenantScope("");
        }
        if (!Tenant.validId(segment)) {
            throw ApiException.invalid("tenantId", "tenant id '" + segment + "' is not valid: " + Tenant.ID_RULE
                    + " (or " + NONE + " for no tenant)");
        }
        return new TenantScope(segment);
    }

    public boolean owns(String resourceTenantId) {
        return tenantId.equals(resourceTenantId == null ? "" : resourceTenantId);
    }

    /** " of tenant T" or " without a tenant", for messages. */
    public String describe() {
        return tenantId.isEmpty() ? " without a tenant" : " of tenant " + tenantId;
    }

    /** The tenant id as the API shows it: null for none. */
    public String shown() {
        return tenantId.isEmpty() ? null : tenantId;
    }
}

package dev.ben.admin.internal;

import dev.ben.admin.AdminException;
import dev.ben.admin.EndpointAdmin;
import dev.ben.core.model.Endpoint;

/**
 * The endpoint a path names ({@code …/tenants/{tenantId}/endpoints/{endpointId}/…}), if it belongs to the path's
 * tenant: unknown and foreign endpoints get the same 404 with the same message, so nothing tells them apart.
 */
public final class OwnedEndpoints {

    private final EndpointAdmin endpoints;

    public OwnedEndpoints(EndpointAdmin endpoints) {
        this.endpoints = endpoints;
    }

    public Endpoint of(ApiRequest request) {
        TenantScope scope = TenantScope.of(request);
        String id = request.pathParameter("endpointId");
        ApiException notFound = ApiException.notFound("no endpoint " + id + scope.describe());
        try {
            Endpoint endpoint = endpoints.get(id);
            if (!scope.owns(endpoint.tenantId())) {
                throw notFound;
            }
            return endpoint;
        } catch (AdminException e) {
            if (e.kind() == AdminException.Kind.NOT_FOUND) {
                throw notFound;
            }
            throw e;
        }
    }
}

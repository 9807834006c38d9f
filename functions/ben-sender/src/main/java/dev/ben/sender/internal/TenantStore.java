package dev.ben.sender.internal;

import dev.ben.core.model.Tenant;
import java.util.Optional;

/** Tenants table ({@code ben-tenants}). */
public interface TenantStore {

    /** The tenant; empty when unknown. Throws {@link IllegalArgumentException} when its row is malformed. */
    Optional<Tenant> find(String tenantId);
}

package dev.ben.sender.internal;

import dev.ben.core.model.Endpoint;
import dev.ben.core.model.EventIds;
import dev.ben.core.model.Tenant;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * Endpoints of per-record URLs (WeChat Pay / Alipay style: the record says where to be notified). Such an endpoint
 * is derived, never stored: id {@code ep_url_…} from tenant and URL ({@link EventIds#urlEndpointId}), the URL kept
 * on the delivery, the signing secrets the tenant's current ones. A URL is used only when the tenant is registered
 * and the URL's host is on the tenant's {@code allowedHosts}; the SSRF guard still checks its addresses at every
 * attempt. Notify, retry and replay all resolve through here, so a URL refused today is refused on every retry.
 */
public final class UrlEndpoints {

    private final TenantStore tenants;

    public UrlEndpoints(TenantStore tenants) {
        this.tenants = tenants;
    }

    /** The outcome of resolving a per-record URL. */
    public sealed interface Resolution {
        /** The derived endpoint's id (also when refused: the FAILED delivery is stored under it). */
        String endpointId();

        record Resolved(Endpoint endpoint) implements Resolution {
            @Override
            public String endpointId() {
                return endpoint.id();
            }
        }

        record Refused(String endpointId, String reason) implements Resolution {
        }
    }

    public Resolution resolve(String tenantId, String url, String eventType) {
        String endpointId = EventIds.urlEndpointId(tenantId, url);
        Optional<String> host = host(url);
        if (host.isEmpty()) {
            return new Resolution.Refused(endpointId, "per-record URL '" + url + "' is not an absolute http(s) URL"
                    + " with a host: fix the record's notify URL");
        }
        Optional<Tenant> tenant;
        try {
            tenant = tenants.find(tenantId);
        } catch (IllegalArgumentException malformed) {
            return new Resolution.Refused(endpointId, "tenant " + tenantId + " is misconfigured: "
                    + malformed.getMessage());
        }
        if (tenant.isEmpty()) {
            return new Resolution.Refused(endpointId, "tenant " + tenantId + " is not registered, so its per-record"
                    + " URLs are refused: add it (ben tenants add " + tenantId + " --allowed-host " + host.get()
                    + "), then replay this delivery");
        }
        if (!tenant.get().allowsHost(host.get())) {
            return new Resolution.Refused(endpointId, "host " + host.get() + " of the per-record URL is not on tenant "
                    + tenantId + "'s allowed hosts " + tenant.get().allowedHosts() + ": if it is the tenant's, add it"
                    + " (ben tenants update " + tenantId + " --add-allowed-host " + host.get() + "), then replay");
        }
        return new Resolution.Resolved(new Endpoint(endpointId, url, Set.of(eventType), tenant.get().secrets(), true,
                "", 0, null, null, tenantId));
    }

    private static Optional<String> host(String url) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || uri.getHost().isEmpty() || scheme == null
                    || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                return Optional.empty();
            }
            return Optional.of(uri.getHost());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

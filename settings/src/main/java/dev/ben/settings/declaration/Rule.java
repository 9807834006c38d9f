package dev.ben.settings.declaration;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which change of a source item becomes which event. Build with {@link #of(String, Payload)} and the
 * {@code with…} methods; validation happens when the {@link Declaration} is built.
 *
 * @param eventType event type, kept exactly as written (endpoint subscriptions match it exactly)
 * @param on        the stream record kinds considered (default INSERT and MODIFY)
 * @param when      the condition (default {@link Condition.AnyChange})
 * @param version   numeric attribute that grows with every change of the item, "" for none (receivers then order
 *                  by the payload's {@code sequence})
 * @param tenant    attribute holding the tenant id, "" for none: the event reaches only that tenant's endpoints
 * @param payload   what goes into the event's {@code data}
 * @param notifyUrl attribute holding the URL to POST to (WeChat Pay / Alipay style), "" for none; requires
 *                  {@code tenant} (the URL's host must be on the tenant's allow-list)
 */
public record Rule(String eventType, Set<ChangeKind> on, Condition when, String version, String tenant,
                   Payload payload, String notifyUrl) {

    /** {@code on} when the JSON omits it. */
    public static final Set<ChangeKind> DEFAULT_ON =
            Collections.unmodifiableSet(EnumSet.of(ChangeKind.INSERT, ChangeKind.MODIFY));

    public Rule {
        eventType = eventType == null ? "" : eventType;
        on = on == null ? DEFAULT_ON
                : on.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(on));
        when = when == null ? new Condition.AnyChange() : when;
        version = version == null ? "" : version;
        tenant = tenant == null ? "" : tenant;
        notifyUrl = notifyUrl == null ? "" : notifyUrl;
    }

    /** A rule for every INSERT and MODIFY, without version, tenant or per-record URL. */
    public static Rule of(String eventType, Payload payload) {
        return new Rule(eventType, DEFAULT_ON, new Condition.AnyChange(), "", "", payload, "");
    }

    /** A projection payload of these attributes. */
    public static Payload attributes(String... names) {
        return new Payload.Projection(List.of(names));
    }

    public Rule withOn(ChangeKind... kinds) {
        return new Rule(eventType, Set.of(kinds), when, version, tenant, payload, notifyUrl);
    }

    public Rule withWhen(Condition condition) {
        return new Rule(eventType, on, condition, version, tenant, payload, notifyUrl);
    }

    public Rule withVersion(String attribute) {
        return new Rule(eventType, on, when, attribute, tenant, payload, notifyUrl);
    }

    public Rule withTenant(String attribute) {
        return new Rule(eventType, on, when, version, attribute, payload, notifyUrl);
    }

    public Rule withNotifyUrl(String attribute) {
        return new Rule(eventType, on, when, version, tenant, payload, attribute);
    }

    public Optional<String> versionAttribute() {
        return version.isEmpty() ? Optional.empty() : Optional.of(version);
    }

    public Optional<String> tenantAttribute() {
        return tenant.isEmpty() ? Optional.empty() : Optional.of(tenant);
    }

    public Optional<String> notifyUrlAttribute() {
        return notifyUrl.isEmpty() ? Optional.empty() : Optional.of(notifyUrl);
    }

    public boolean appliesTo(ChangeKind kind) {
        return on.contains(kind);
    }
}

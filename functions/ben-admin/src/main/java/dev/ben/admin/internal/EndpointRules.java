package dev.ben.admin.internal;

import dev.ben.core.egress.AddressPolicy;
import dev.ben.core.egress.EgressException;
import dev.ben.core.egress.EgressGuard;
import dev.ben.core.http.CustomHeaders;
import dev.ben.core.http.ErrorKind;
import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.core.webhooks.WebhookSecret;
import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an endpoint's fields may hold, checked before anything is written; each refusal names the field. URLs go
 * through ben-core's egress guard with the stack's address policy — the same check the sender repeats before every
 * attempt — including where the host resolves now (a host that resolves only inside the VPC must be listed in
 * {@code BEN_ALLOWED_HOSTS}).
 */
public final class EndpointRules {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.*:-]{1,128}");
    private static final int MAX_EVENT_TYPES = 100;
    private static final int MAX_RATE = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EgressGuard guard;

    public EndpointRules(AddressPolicy policy) {
        this.guard = new EgressGuard(policy);
    }

    public String id(String given) {
        if (given == null) {
            byte[] random = new byte[8];
            RANDOM.nextBytes(random);
            return "ep_" + HexFormat.of().formatHex(random);
        }
        if (!ID.matcher(given).matches()) {
            throw ApiException.invalid("endpointId", "endpointId may only hold letters, digits and _.:- (1-100)");
        }
        return given;
    }

    /** @return the normalised URL */
    public String url(String given) {
        try {
            URI uri = guard.validateUrl(given);
            // a host the stack allows by name may resolve only where the functions run (inside a VPC)
            if (!guard.policy().allowedHosts().contains(uri.getHost().toLowerCase(Locale.ROOT))) {
                guard.check(given);
            }
            return uri.toString();
        } catch (EgressException e) {
            String hint = e.kind() == ErrorKind.UNKNOWN_HOST ? " (the host must resolve where Ben runs)"
                    : e.kind() == ErrorKind.BLOCKED_ADDRESS ? " (private, loopback, link-local and metadata addresses"
                    + " are refused unless the stack allows them)" : "";
            throw ApiException.invalid("url", e.getMessage() + hint);
        }
    }

    public Set<String> eventTypes(List<String> given) {
        if (given.isEmpty() || given.size() > MAX_EVENT_TYPES) {
            throw ApiException.invalid("eventTypes", "give 1-" + MAX_EVENT_TYPES + " event types (* for all)");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String type : given) {
            if (!EVENT_TYPE.matcher(type).matches()) {
                throw ApiException.invalid("eventTypes", "event type '" + type + "' is not valid: 1-128 letters, "
                        + "digits and ._:- (e.g. invoice.settled), or * for all");
            }
            types.add(type);
        }
        return types;
    }

    /** The given secret checked, or a new one. */
    public String secret(String given) {
        if (given == null) {
            return WebhookSecret.generate().encoded();
        }
        if (!given.startsWith(Endpoint.SECRET_PREFIX)) {
            throw ApiException.invalid("secret", "a secret starts with " + Endpoint.SECRET_PREFIX);
        }
        try {
            WebhookSecret.parse(given);
        } catch (RuntimeException e) {
            throw ApiException.invalid("secret", "not a usable signing secret: " + e.getMessage());
        }
        return given;
    }

    public int rateLimit(int given) {
        if (given < 0 || given > MAX_RATE) {
            throw ApiException.invalid("rateLimitPerSecond", "rateLimitPerSecond must be 0 (unlimited) to " + MAX_RATE);
        }
        return given;
    }

    public RetrySchedule schedule(String given) {
        try {
            return RetrySchedule.parse(given);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("retrySchedule", "retrySchedule: " + e.getMessage());
        }
    }

    public Map<String, String> headers(Map<String, String> given) {
        CustomHeaders.problem(given).ifPresent(problem -> {
            throw ApiException.invalid("headers", problem);
        });
        return given;
    }
}

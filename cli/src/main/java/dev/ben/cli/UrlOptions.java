package dev.ben.cli;

import dev.ben.core.egress.AddressPolicy;
import dev.ben.core.egress.EgressException;
import dev.ben.core.egress.EgressGuard;
import dev.ben.core.http.ErrorKind;
import dev.ben.settings.EnvVars;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/** How endpoint URLs are validated: ben-core's egress rules, the same as the sender applies before each attempt. */
final class UrlOptions {

    @Option(names = "--allow-private", description = "Accept loopback/private addresses (local development only; "
            + "default: BEN_ALLOW_PRIVATE_ADDRESSES).")
    boolean allowPrivate;

    @Option(names = "--https-only", description = "Refuse http:// URLs (default: BEN_HTTPS_ONLY; on in deployed stacks).")
    boolean httpsOnly;

    @Option(names = "--skip-dns-check", description = "Check the URL's syntax only, not where its host resolves "
            + "(the sender checks the resolved address again on every attempt).")
    boolean skipDnsCheck;

    /** @return the normalised URL (fragment removed) */
    String validate(String url, Map<String, String> env) {
        boolean privateOk = allowPrivate || "true".equalsIgnoreCase(env.getOrDefault(EnvVars.ALLOW_PRIVATE_ADDRESSES, ""));
        boolean httpsOnlyOn = httpsOnly || "true".equalsIgnoreCase(env.getOrDefault(EnvVars.HTTPS_ONLY, ""));
        EgressGuard guard = new EgressGuard(new AddressPolicy(privateOk, List.of(), httpsOnlyOn,
                AddressPolicy.DEFAULT_MAX_URL_LENGTH));
        URI uri = guard.validateUrl(url);
        List<String> allowedHosts = Arrays.stream(env.getOrDefault(EnvVars.ALLOWED_HOSTS, "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).toList();
        if (!skipDnsCheck && !allowedHosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            try {
                guard.check(url);
            } catch (EgressException e) {
                if (e.kind() == ErrorKind.UNKNOWN_HOST) {
                    throw CliException.usage(e.getMessage() + " (if the host only resolves where the functions run, "
                            + "add --skip-dns-check)");
                }
                throw CliException.usage(e.getMessage() + (e.kind() == ErrorKind.BLOCKED_ADDRESS
                        ? " (for local development add --allow-private)" : ""));
            }
        }
        return uri.toString();
    }
}

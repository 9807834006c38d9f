package dev.ben.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.Pages;
import dev.ben.cli.internal.Scopes;
import dev.ben.cli.internal.Views;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.cli.internal.api.ApiPath;
import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookVerificationException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "endpoints", mixinStandardHelpOptions = true,
        description = "Manage endpoints (subscriptions): where events are POSTed and how they are signed.",
        subcommands = {EndpointsCommand.Add.class, EndpointsCommand.ListEndpoints.class, EndpointsCommand.Show.class,
                EndpointsCommand.Update.class, EndpointsCommand.Disable.class, EndpointsCommand.Enable.class,
                EndpointsCommand.RotateSecret.class, EndpointsCommand.Delete.class, EndpointsCommand.Test.class})
final class EndpointsCommand {

    static Set<String> eventTypes(List<String> values) {
        Set<String> types = new LinkedHashSet<>();
        for (String v : values) {
            for (String t : v.split(",")) {
                String type = t.trim();
                if (type.isEmpty()) {
                    continue;
                }
                if (!type.matches("[A-Za-z0-9_.*:-]{1,128}")) {
                    throw CliException.usage("event type \"" + type + "\" is not valid: use letters, digits and ._:- "
                            + "(e.g. invoice.settled), or * for all");
                }
                types.add(type);
            }
        }
        if (types.isEmpty()) {
            throw CliException.usage("give at least one event type (e.g. --event-type invoice.settled)");
        }
        return types;
    }

    /** A given {@code --secret}, checked; null when none is given (the API generates one). */
    static String secret(String given) {
        if (given == null) {
            return null;
        }
        try {
            WebhookSecret.parse(given);
        } catch (WebhookVerificationException e) {
            throw CliException.usage("--secret: " + e.getMessage());
        }
        if (!given.startsWith(Endpoint.SECRET_PREFIX)) {
            throw CliException.usage("--secret must start with " + Endpoint.SECRET_PREFIX);
        }
        return given.strip();
    }

    static String schedule(String spec) {
        try {
            // any parsed schedule fits SQS: every wait is a chain of delayed messages (docs/scale.md)
            return RetrySchedule.parse(spec).spec();
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--retry-schedule: " + e.getMessage());
        }
    }

    /** {@code --header Name=value} pairs (repeatable); the API checks the names, values and limits. */
    static Map<String, String> headers(List<String> pairs) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw CliException.usage("--header takes Name=value, got \"" + pair + "\"");
            }
            headers.put(pair.substring(0, eq).strip(), pair.substring(eq + 1));
        }
        return headers;
    }

    /** CLOSED, or OPEN/HALF_OPEN with when the next probe may go. */
    static String circuit(Map<String, Object> view) {
        return "CLOSED".equals(view.get("circuit")) ? "CLOSED" : view.get("circuit") + " until " + view.get("circuitRetryAt");
    }

    static void printEndpoint(Output o, JsonNode endpoint) {
        Map<String, Object> view = Views.endpoint(endpoint);
        o.result(view, out -> view.forEach((k, v) -> out.printf("%-19s %s%n", k + ":", Views.text(v))));
    }

    /** The endpoint, looked up in {@code --tenant}'s scope or (none given) in every scope. */
    static Scopes.Found find(ApiClient api, String tenant, String id) {
        return new Scopes(api).find(TenantsCommand.tenantId(tenant), "endpoints", id,
                "no endpoint " + id + (tenant == null ? "" : " of tenant " + tenant)
                        + " (list them with: ben endpoints list)");
    }

    static ApiPath path(Scopes.Found found, String... more) {
        return Scopes.of(found.scope()).then("endpoints", found.resource().path("endpointId").asText()).then(more);
    }

    /** {@code --tenant} of the commands that act on one endpoint. */
    static final class TenantOption {
        @Option(names = "--tenant", paramLabel = "TENANT_ID",
                description = "The endpoint's tenant (default: looked up among every tenant's endpoints).")
        String tenant;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register an endpoint. Prints its signing secret (generated unless --secret is given): "
                    + "give it to the receiver; it is never shown again.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "URL", description = "Where to POST (http(s)://...).")
        String url;
        @Option(names = {"-e", "--event-type"}, required = true, paramLabel = "TYPE", split = ",",
                description = "Event type(s) to receive, repeatable or comma separated; * for all.")
        List<String> eventTypes;
        @Option(names = "--id", paramLabel = "ID", description = "Endpoint id (default: ep_ + random hex).")
        String id;
        @Option(names = "--secret", paramLabel = "whsec_...", description = "Signing secret (default: generated).")
        String secret;
        @Option(names = "--rate-limit", paramLabel = "N", description = "Max deliveries per second, 0 = unlimited.")
        int rateLimit;
        @Option(names = "--retry-schedule", paramLabel = "SPEC",
                description = "Own retry schedule, e.g. 15s,1m,10m,1h (default: the global one).")
        String retrySchedule;
        @Option(names = "--header", paramLabel = "NAME=VALUE",
                description = "A custom header sent with every delivery (repeatable; never replaces webhook-*).")
        List<String> headers = List.of();
        @Option(names = "--tenant", paramLabel = "TENANT_ID",
                description = "The tenant it belongs to: it then receives only that tenant's events. Without it, "
                        + "only events of rules without a tenant attribute.")
        String tenant;
        @Mixin UrlOptions urls;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            String tenantId = TenantsCommand.tenantId(tenant);
            String endpointId = id != null ? id.trim() : "ep_" + HexFormat.of().formatHex(randomBytes(8));
            if (!endpointId.matches("[A-Za-z0-9_.:-]{1,100}")) {
                throw CliException.usage("--id may only contain letters, digits and _.:- (max 100)");
            }
            if (rateLimit < 0) {
                throw CliException.usage("--rate-limit must be >= 0");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("endpointId", endpointId);
            body.put("url", urls.validate(url, cli.effectiveEnvironment()));
            body.put("eventTypes", List.copyOf(eventTypes(eventTypes)));
            body.put("secret", secret(secret));
            body.put("rateLimitPerSecond", rateLimit);
            body.put("retrySchedule", retrySchedule == null ? null : schedule(retrySchedule));
            body.put("headers", headers.isEmpty() ? null : headers(headers));
            body.values().removeIf(Objects::isNull);
            // one key per command run: a request retried on the way creates one endpoint
            JsonNode created = cli.api().send("POST", Scopes.of(Scopes.scope(tenantId)).then("endpoints"), body,
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            Map<String, Object> view = Views.endpoint(created);
            cli.output().result(view, out -> {
                out.println("created endpoint " + view.get("endpointId") + " -> " + view.get("url"));
                out.println("event types: " + String.join(", ", Views.strings(created.path("eventTypes"))));
                out.println("tenant: " + (view.get("tenantId") == null
                        ? "none (receives only events of rules without a tenant)" : view.get("tenantId")));
                out.println("signing secret (give it to the receiver, keep it secret): "
                        + created.path("secret").asText());
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List endpoints with their health.")
    static final class ListEndpoints implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--tenant", paramLabel = "TENANT_ID", description = "Only this tenant's endpoints "
                + "(default: every tenant's and those without one).")
        String tenant;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            ApiClient api = cli.api();
            List<Map<String, Object>> views = new ArrayList<>();
            Map<String, String> malformed = new TreeMap<>();
            for (String scope : new Scopes(api).searched(TenantsCommand.tenantId(tenant))) {
                Pages.All all = Pages.all(api, Scopes.of(scope).then("endpoints"));
                all.items().forEach(e -> views.add(Views.endpoint(e)));
                malformed.putAll(all.malformed());
            }
            views.sort(Comparator.comparing(v -> (String) v.get("endpointId")));
            List<Map<String, Object>> json = new ArrayList<>(views);
            malformed.forEach((id, reason) -> json.add(Map.of("endpointId", id, "malformed", reason)));
            cli.output().result(json, out -> {
                List<List<String>> rows = new ArrayList<>();
                for (Map<String, Object> e : views) {
                    rows.add(List.of((String) e.get("endpointId"), Boolean.TRUE.equals(e.get("enabled")) ? "enabled"
                                    : "DISABLED: " + e.get("disabledReason"), Views.text(e.get("tenantId")),
                            String.join(",", (List<String>) e.get("eventTypes")),
                            e.get("failingSince") == null ? "-" : "failing since " + e.get("failingSince"),
                            circuit(e), Integer.toString(((List<?>) e.get("secrets")).size()), (String) e.get("url")));
                }
                malformed.forEach((id, reason) -> rows.add(List.of(id, "MALFORMED: " + reason, "", "", "", "", "",
                        "")));
                Output.table(out, List.of("ENDPOINT", "STATE", "TENANT", "EVENT TYPES", "HEALTH", "CIRCUIT", "SECRETS",
                        "URL"), rows);
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one endpoint.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ENDPOINT_ID") String id;
        @Option(names = "--tenant", paramLabel = "TENANT_ID",
                description = "Only if it belongs to this tenant (else: not found).")
        String tenant;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            printEndpoint(cli.output(), find(cli.api(), tenant, id).resource());
            return ExitCodes.OK;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change an endpoint's URL, event types, rate limit, retry schedule or custom headers.")
    static final class Update implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ENDPOINT_ID") String id;
        @Option(names = "--url", paramLabel = "URL") String url;
        @Option(names = {"-e", "--event-type"}, paramLabel = "TYPE", split = ",",
                description = "Replaces the event types (repeatable or comma separated).")
        List<String> eventTypes;
        @Option(names = "--rate-limit", paramLabel = "N", description = "0 = unlimited.") Integer rateLimit;
        @Option(names = "--retry-schedule", paramLabel = "SPEC", description = "e.g. 15s,1m,1h; \"default\" for the "
                + "global schedule.")
        String retrySchedule;
        @Option(names = "--header", paramLabel = "NAME=VALUE",
                description = "Replaces every custom header (repeatable).")
        List<String> headers;
        @Option(names = "--no-headers", description = "Removes every custom header.") boolean noHeaders;
        @Mixin TenantOption scope;
        @Mixin UrlOptions urls;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            Map<String, Object> patch = patch(cli);
            if (patch.isEmpty()) {
                throw CliException.usage("nothing to update: give --url, --event-type, --rate-limit, --retry-schedule"
                        + ", --header or --no-headers");
            }
            Scopes.Found found = find(cli.api(), scope.tenant, id);
            printEndpoint(cli.output(), cli.api().patch(path(found), patch));
            return ExitCodes.OK;
        }

        private Map<String, Object> patch(BenCli cli) {
            if (rateLimit != null && rateLimit < 0) {
                throw CliException.usage("--rate-limit must be >= 0");
            }
            if (noHeaders && headers != null) {
                throw CliException.usage("--header and --no-headers exclude each other");
            }
            Map<String, Object> patch = new LinkedHashMap<>();
            if (url != null) {
                patch.put("url", urls.validate(url, cli.effectiveEnvironment()));
            }
            if (eventTypes != null) {
                patch.put("eventTypes", List.copyOf(eventTypes(eventTypes)));
            }
            if (rateLimit != null) {
                patch.put("rateLimitPerSecond", rateLimit);
            }
            if (retrySchedule != null) {
                patch.put("retrySchedule", retrySchedule.equalsIgnoreCase("default") ? null : schedule(retrySchedule));
            }
            if (headers != null || noHeaders) {
                patch.put("headers", noHeaders ? Map.of() : headers(headers));
            }
            return patch;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Stop delivering to an endpoint (new events become CANCELLED deliveries: recover them "
                    + "after enabling).")
    static final class Disable implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ENDPOINT_ID") String id;
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded).")
        String reason;
        @Mixin TenantOption scope;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            if (reason.isBlank()) {
                throw CliException.usage("--reason must not be empty");
            }
            Scopes.Found found = find(cli.api(), scope.tenant, id);
            printEndpoint(cli.output(), cli.api().post(path(found, "disable"),
                    Map.of("reason", "disabled by operator: " + reason.strip())));
            return ExitCodes.OK;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Deliver to an endpoint again (clears the reason, the failure run and an open circuit).")
    static final class Enable implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ENDPOINT_ID") String id;
        @Mixin TenantOption scope;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            Scopes.Found found = find(cli.api(), scope.tenant, id);
            printEndpoint(cli.output(), cli.api().post(path(found, "enable"), null));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete an endpoint (its live deliveries fail on their next attempt; history is kept "
                    + "until it expires).")
    static final class Delete implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ENDPOINT_ID") String id;
        @Mixin TenantOption scope;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            Scopes.Found found = find(cli.api(), scope.tenant, id);
            cli.api().delete(path(found));
            cli.output().result(Map.of("endpointId", id, "deleted", true), out -> out.println("deleted endpoint " + id));
            return ExitCodes.OK;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Send a ben.test event to an endpoint through the real delivery path (signed, retried); "
                    + "follow it with: ben deliveries show DELIVERY_ID.")
    static final class Test implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ENDPOINT_ID") String id;
        @Mixin TenantOption scope;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            Scopes.Found found = find(cli.api(), scope.tenant, id);
            JsonNode sent = cli.api().send("POST", path(found, "test"), null,
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            Map<String, Object> view = Views.delivery(sent);
            cli.output().result(view, out -> out.println("sent test event " + sent.path("eventId").asText() + " to "
                    + id + ": delivery " + sent.path("deliveryId").asText() + " " + sent.path("status").asText()
                    + " (follow it with: ben deliveries show " + sent.path("deliveryId").asText() + ")"));
            return ExitCodes.OK;
        }
    }

    @Command(name = "rotate-secret", mixinStandardHelpOptions = true,
            description = {"Rotate the signing secret in two steps:",
                    "1. rotate-secret ID: adds a new secret; requests carry both signatures (old and new), so the "
                            + "receiver can switch at its own pace;",
                    "2. rotate-secret ID --retire-old: removes the old secret once the receiver verifies with the new one."})
    static final class RotateSecret implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ENDPOINT_ID") String id;
        @ArgGroup(exclusive = true)
        Mode mode = new Mode();
        @Mixin TenantOption scope;

        static final class Mode {
            @Option(names = "--secret", paramLabel = "whsec_...", description = "The new secret (default: generated).")
            String secret;
            @Option(names = "--retire-old", description = "Remove the old secret, keep only the newest.")
            boolean retireOld;
        }

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            Scopes.Found found = find(cli.api(), scope.tenant, id);
            if (mode.retireOld) {
                JsonNode retired = cli.api().post(path(found, "secret", "retire"), null);
                cli.output().result(Views.endpoint(retired), out -> out.println("retired the old secret of " + id
                        + "; requests are now signed with the new one only"));
                return ExitCodes.OK;
            }
            String given = secret(mode.secret);
            JsonNode rotated = cli.api().post(path(found, "secret", "rotate"),
                    given == null ? null : Map.of("secret", given));
            String added = rotated.path("secret").asText();
            Map<String, Object> view = new LinkedHashMap<>(Views.endpoint(rotated));
            view.put("newSecret", added);
            cli.output().result(view, out -> {
                out.println("added a new secret to " + id + "; requests now carry both signatures until --retire-old");
                out.println("new signing secret (give it to the receiver): " + added);
            });
            return ExitCodes.OK;
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}

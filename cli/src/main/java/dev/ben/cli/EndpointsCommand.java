package dev.ben.cli;

import dev.ben.admin.EndpointAdmin;
import dev.ben.cli.internal.BenConnection;
import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.Views;
import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookVerificationException;
import dev.ben.settings.BenSettings;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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
                EndpointsCommand.RotateSecret.class})
final class EndpointsCommand {

    static EndpointAdmin admin(BenConnection c) {
        return new EndpointAdmin(c.dynamoDb(), c.table(BenSettings.ENDPOINTS_TABLE), c.endpoints());
    }

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

    static String secret(String given) {
        if (given == null) {
            return WebhookSecret.generate().encoded();
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
        if (spec == null) {
            return null;
        }
        try {
            // any parsed schedule fits SQS: every wait is a chain of delayed messages (docs/scale.md)
            return RetrySchedule.parse(spec).spec();
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--retry-schedule: " + e.getMessage());
        }
    }

    /** CLOSED, or OPEN/HALF_OPEN with when the next probe may go. */
    static String circuit(Endpoint e) {
        var c = e.circuit();
        return c.closed() ? "CLOSED" : c.state() + " until " + c.retryAt();
    }

    static void printEndpoint(Output o, Endpoint e, boolean showSecrets) {
        o.result(Views.endpoint(e, showSecrets), out -> {
            Views.endpoint(e, showSecrets).forEach((k, v) -> out.printf("%-19s %s%n", k + ":", Views.text(v)));
        });
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register an endpoint. Prints its signing secret (generated unless --secret is given): "
                    + "give it to the receiver; it is not shown again unless asked for with show --show-secrets.")
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
            String checked = urls.validate(url, cli.effectiveEnvironment());
            String schedule = schedule(retrySchedule);
            Endpoint e = new Endpoint(endpointId, checked, eventTypes(eventTypes), List.of(secret(secret)), true, "",
                    rateLimit, schedule == null ? null : RetrySchedule.parse(schedule), null,
                    tenantId == null ? "" : tenantId);
            admin(cli.connection()).create(e);
            Output o = cli.output();
            o.result(Views.endpoint(e, true), out -> {
                out.println("created endpoint " + e.id() + " -> " + e.url());
                out.println("event types: " + String.join(", ", new java.util.TreeSet<>(e.eventTypes())));
                out.println("tenant: " + (e.tenantId().isEmpty()
                        ? "none (receives only events of rules without a tenant)" : e.tenantId()));
                out.println("signing secret (give it to the receiver, keep it secret): " + e.secrets().getFirst());
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List endpoints with their health.")
    static final class ListEndpoints implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--tenant", paramLabel = "TENANT_ID", description = "Only this tenant's endpoints.")
        String tenant;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            String tenantId = TenantsCommand.tenantId(tenant);
            Map<String, String> malformed = new TreeMap<>();
            List<Endpoint> all = admin(cli.connection()).all(malformed).stream()
                    .filter(e -> tenantId == null || e.tenantId().equals(tenantId)).toList();
            List<Map<String, Object>> views = new ArrayList<>(all.stream().map(e -> Views.endpoint(e, false)).toList());
            malformed.forEach((id, reason) -> {
                Map<String, Object> bad = new LinkedHashMap<>();
                bad.put("endpointId", id);
                bad.put("malformed", reason);
                views.add(bad);
            });
            cli.output().result(views, out -> {
                List<List<String>> rows = new ArrayList<>();
                for (Endpoint e : all) {
                    rows.add(List.of(e.id(), e.enabled() ? "enabled" : "DISABLED: " + e.disabledReason(),
                            e.tenantId().isEmpty() ? "-" : e.tenantId(),
                            String.join(",", new TreeSet<>(e.eventTypes())),
                            e.firstFailureAt() == null ? "-" : "failing since " + e.firstFailureAt(),
                            circuit(e), Integer.toString(e.secrets().size()), e.url()));
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
        @Option(names = "--show-secrets", description = "Print the signing secrets in clear.") boolean showSecrets;
        @Option(names = "--tenant", paramLabel = "TENANT_ID",
                description = "Only if it belongs to this tenant (else: not found).")
        String tenant;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            String tenantId = TenantsCommand.tenantId(tenant);
            Endpoint e = admin(cli.connection()).get(id);
            if (tenantId != null && !e.tenantId().equals(tenantId)) {
                throw CliException.notFound("no endpoint " + id + " of tenant " + tenantId);
            }
            printEndpoint(cli.output(), e, showSecrets);
            return ExitCodes.OK;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change an endpoint's URL, event types, rate limit or retry schedule.")
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
        @Mixin UrlOptions urls;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            if (rateLimit != null && rateLimit < 0) {
                throw CliException.usage("--rate-limit must be >= 0");
            }
            String checkedUrl = url == null ? null : urls.validate(url, cli.effectiveEnvironment());
            String schedule = retrySchedule == null ? null
                    : retrySchedule.equalsIgnoreCase("default") ? "" : schedule(retrySchedule);
            EndpointAdmin admin = admin(cli.connection());
            admin.update(id, checkedUrl, eventTypes == null ? null : eventTypes(eventTypes), rateLimit, schedule);
            printEndpoint(cli.output(), admin.get(id), false);
            return ExitCodes.OK;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true,
            description = "Stop delivering to an endpoint (its live deliveries fail with the reason on their next "
                    + "attempt; replay them after enabling).")
    static final class Disable implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ENDPOINT_ID") String id;
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why (recorded).")
        String reason;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            if (reason.isBlank()) {
                throw CliException.usage("--reason must not be empty");
            }
            EndpointAdmin admin = admin(cli.connection());
            admin.disable(id, "disabled by operator: " + reason.strip(), cli.connection().clock().instant());
            printEndpoint(cli.output(), admin.get(id), false);
            return ExitCodes.OK;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true,
            description = "Deliver to an endpoint again (clears the reason and the failure run).")
    static final class Enable implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "ENDPOINT_ID") String id;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            EndpointAdmin admin = admin(cli.connection());
            admin.enable(id);
            printEndpoint(cli.output(), admin.get(id), false);
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

        static final class Mode {
            @Option(names = "--secret", paramLabel = "whsec_...", description = "The new secret (default: generated).")
            String secret;
            @Option(names = "--retire-old", description = "Remove the old secret, keep only the newest.")
            boolean retireOld;
        }

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            EndpointAdmin admin = admin(cli.connection());
            Endpoint e = admin.get(id);
            List<String> before = e.secrets();
            List<String> after;
            String message;
            String added = null;
            if (mode.retireOld) {
                if (before.size() < 2) {
                    throw CliException.conflict("endpoint " + id + " has a single secret; nothing to retire "
                            + "(start a rotation with: ben endpoints rotate-secret " + id + ")");
                }
                after = List.of(before.getLast());
                message = "retired the old secret of " + id + "; requests are now signed with the new one only";
            } else {
                if (before.size() >= 2) {
                    throw CliException.conflict("endpoint " + id + " is already rotating (2 secrets); finish with: "
                            + "ben endpoints rotate-secret " + id + " --retire-old");
                }
                added = secret(mode.secret);
                if (before.contains(added)) {
                    throw CliException.usage("--secret is the endpoint's current secret");
                }
                after = List.of(before.getFirst(), added);
                message = "added a new secret to " + id + "; requests now carry both signatures until --retire-old";
            }
            admin.replaceSecrets(id, before, after);
            Endpoint now = admin.get(id);
            Map<String, Object> view = new LinkedHashMap<>(Views.endpoint(now, false));
            if (added != null) {
                view.put("newSecret", added);
            }
            String newSecret = added;
            cli.output().result(view, out -> {
                out.println(message);
                if (newSecret != null) {
                    out.println("new signing secret (give it to the receiver): " + newSecret);
                }
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

package dev.ben.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.Pages;
import dev.ben.cli.internal.Scopes;
import dev.ben.cli.internal.Views;
import dev.ben.cli.internal.api.ApiPath;
import dev.ben.core.model.Tenant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tenants", mixinStandardHelpOptions = true,
        description = {"Manage tenants: the hosts their records' notify URLs may point at (per-record URL rules) and "
                + "the secret those deliveries are signed with.",
                "Endpoints join a tenant with: ben endpoints add URL --tenant T ..."},
        subcommands = {TenantsCommand.Add.class, TenantsCommand.ListTenants.class, TenantsCommand.Show.class,
                TenantsCommand.Update.class})
final class TenantsCommand {

    /** A {@code --tenant} value, validated; null when not given. */
    static String tenantId(String given) {
        if (given == null) {
            return null;
        }
        String id = given.strip();
        if (!Tenant.validId(id)) {
            throw CliException.usage("tenant id \"" + given + "\" is not valid: " + Tenant.ID_RULE);
        }
        return id;
    }

    static List<String> hosts(List<String> values) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String v : values == null ? List.<String>of() : values) {
            for (String h : v.split(",")) {
                if (!h.isBlank()) {
                    hosts.add(h.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return List.copyOf(hosts);
    }

    static ApiPath path(String id) {
        return Scopes.of(id);
    }

    static void print(Output o, JsonNode tenant) {
        Map<String, Object> view = Views.tenant(tenant);
        o.result(view, out -> view.forEach((k, v) -> out.printf("%-14s %s%n", k + ":", Views.text(v))));
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a tenant. Prints its signing secret (generated unless --secret is given): give it "
                    + "to the tenant, whose notify URLs receive deliveries signed with it; it is never shown again.")
    static final class Add implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TENANT_ID") String id;
        @Option(names = "--allowed-host", paramLabel = "HOST", split = ",",
                description = "Host its notify URLs may use: pay.example.com, or *.example.com for subdomains "
                        + "(repeatable or comma separated; none = no per-record URL is allowed).")
        List<String> allowedHosts;
        @Option(names = "--secret", paramLabel = "whsec_...", description = "Signing secret (default: generated).")
        String secret;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            String tenantId = tenantId(id);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("tenantId", tenantId);
            body.put("allowedHosts", hosts(allowedHosts)); // the API checks each host
            String given = EndpointsCommand.secret(secret);
            if (given != null) {
                body.put("secret", given);
            }
            JsonNode created = cli.api().send("POST", ApiPath.of("v1", "tenants"), body,
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            List<String> hosts = Views.strings(created.path("allowedHosts"));
            cli.output().result(Views.tenant(created), out -> {
                out.println("created tenant " + tenantId + "; allowed hosts: " + (hosts.isEmpty()
                        ? "none" : String.join(", ", hosts)));
                out.println("signing secret (give it to the tenant, keep it secret): " + created.path("secret").asText());
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List tenants.")
    static final class ListTenants implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            Pages.All all = Pages.all(cli.api(), ApiPath.of("v1", "tenants"));
            List<Map<String, Object>> views = new ArrayList<>();
            all.items().forEach(t -> views.add(Views.tenant(t)));
            List<Map<String, Object>> json = new ArrayList<>(views);
            all.malformed().forEach((id, reason) -> json.add(Map.of("tenantId", id, "malformed", reason)));
            cli.output().result(json, out -> {
                List<List<String>> rows = new ArrayList<>();
                for (Map<String, Object> t : views) {
                    List<?> hosts = (List<?>) t.get("allowedHosts");
                    rows.add(List.of((String) t.get("tenantId"), hosts.isEmpty() ? "-" : String.join(",",
                            hosts.stream().map(Object::toString).toList()),
                            Integer.toString(((List<?>) t.get("secrets")).size())));
                }
                all.malformed().forEach((id, reason) -> rows.add(List.of(id, "MALFORMED: " + reason, "")));
                Output.table(out, List.of("TENANT", "ALLOWED HOSTS", "SECRETS"), rows);
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one tenant.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TENANT_ID") String id;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            print(cli.output(), cli.api().get(path(tenantId(id))));
            return ExitCodes.OK;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Change a tenant's allowed hosts (replace them, or add and remove some) or rotate its "
                    + "secret.",
                    "Rotation in two steps, as for endpoints: --new-secret adds one (deliveries carry both "
                            + "signatures), --retire-old-secret keeps only the newest."})
    static final class Update implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TENANT_ID") String id;
        @Option(names = "--allowed-host", paramLabel = "HOST", split = ",", description = "Replaces the allowed hosts.")
        List<String> allowedHosts;
        @Option(names = "--add-allowed-host", paramLabel = "HOST", split = ",", description = "Adds allowed hosts.")
        List<String> addHosts;
        @Option(names = "--remove-allowed-host", paramLabel = "HOST", split = ",", description = "Removes hosts.")
        List<String> removeHosts;
        @Option(names = "--new-secret", arity = "0..1", fallbackValue = "", paramLabel = "whsec_...",
                description = "Adds a signing secret (generated when no value is given); printed once.")
        String newSecret;
        @Option(names = "--retire-old-secret", description = "Removes the old secret, keeps only the newest.")
        boolean retireOld;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            String tenantId = tenantId(id);
            boolean changesHosts = allowedHosts != null || addHosts != null || removeHosts != null;
            if (!changesHosts && newSecret == null && !retireOld) {
                throw CliException.usage("nothing to update: give --allowed-host, --add-allowed-host, "
                        + "--remove-allowed-host, --new-secret or --retire-old-secret");
            }
            if (newSecret != null && retireOld) {
                throw CliException.usage("--new-secret and --retire-old-secret are two steps: run them one after"
                        + " the other");
            }
            String given = newSecret == null || newSecret.isEmpty() ? null : EndpointsCommand.secret(newSecret);
            JsonNode before = cli.api().get(path(tenantId));
            refuseOutOfStep(tenantId, before.path("secretCount").asInt(1));
            JsonNode after = changesHosts ? cli.api().patch(path(tenantId), Map.of("allowedHosts", hosts(before)))
                    : before;
            String added = null;
            if (newSecret != null) {
                after = cli.api().post(path(tenantId).then("secret", "rotate"),
                        given == null ? null : Map.of("secret", given));
                added = after.path("secret").asText();
            } else if (retireOld) {
                after = cli.api().post(path(tenantId).then("secret", "retire"), null);
            }
            print(cli.output(), after, added);
            return ExitCodes.OK;
        }

        /** The messages of the CLI before the API; the API refuses the same (and a concurrent change) with 409. */
        private void refuseOutOfStep(String tenantId, int secrets) {
            if (newSecret != null && secrets >= 2) {
                throw CliException.conflict("tenant " + tenantId + " is already rotating (2 secrets); finish with: "
                        + "ben tenants update " + tenantId + " --retire-old-secret");
            }
            if (retireOld && secrets < 2) {
                throw CliException.conflict("tenant " + tenantId + " has a single secret; nothing to retire");
            }
        }

        private List<String> hosts(JsonNode before) {
            List<String> hosts = new ArrayList<>(allowedHosts == null ? Views.strings(before.path("allowedHosts"))
                    : TenantsCommand.hosts(allowedHosts));
            TenantsCommand.hosts(addHosts).stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
            hosts.removeAll(TenantsCommand.hosts(removeHosts));
            return hosts;
        }

        private static void print(Output o, JsonNode tenant, String added) {
            if (added == null) {
                TenantsCommand.print(o, tenant);
                return;
            }
            Map<String, Object> view = new LinkedHashMap<>(Views.tenant(tenant));
            view.put("newSecret", added);
            o.result(view, out -> {
                Views.tenant(tenant).forEach((k, v) -> out.printf("%-14s %s%n", k + ":", Views.text(v)));
                out.println("new signing secret (give it to the tenant): " + added);
            });
        }
    }
}

package dev.ben.cli;

import dev.ben.admin.TenantAdmin;
import dev.ben.cli.internal.BenConnection;
import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.Views;
import dev.ben.core.model.Tenant;
import dev.ben.settings.BenSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tenants", mixinStandardHelpOptions = true,
        description = {"Manage tenants: the hosts their records' notify URLs may point at (per-record URL rules) and "
                + "the secrets those deliveries are signed with.",
                "Endpoints join a tenant with: ben endpoints add URL --tenant T ..."},
        subcommands = {TenantsCommand.Add.class, TenantsCommand.ListTenants.class, TenantsCommand.Show.class,
                TenantsCommand.Update.class})
final class TenantsCommand {

    static TenantAdmin admin(BenConnection c) {
        return new TenantAdmin(c.dynamoDb(), c.table(BenSettings.TENANTS_TABLE));
    }

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
                    hosts.add(h.strip().toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        return List.copyOf(hosts);
    }

    static Tenant tenant(String id, List<String> hosts, List<String> secrets) {
        try {
            return new Tenant(id, hosts, secrets);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    static void print(Output o, Tenant t, boolean showSecrets) {
        o.result(Views.tenant(t, showSecrets), out -> Views.tenant(t, showSecrets)
                .forEach((k, v) -> out.printf("%-14s %s%n", k + ":", Views.text(v))));
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a tenant. Prints its signing secret (generated unless --secret is given): give it "
                    + "to the tenant, whose notify URLs receive deliveries signed with it.")
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
            Tenant t = tenant(tenantId(id), hosts(allowedHosts), List.of(EndpointsCommand.secret(secret)));
            admin(cli.connection()).create(t);
            cli.output().result(Views.tenant(t, true), out -> {
                out.println("created tenant " + t.id() + "; allowed hosts: " + (t.allowedHosts().isEmpty()
                        ? "none" : String.join(", ", t.allowedHosts())));
                out.println("signing secret (give it to the tenant, keep it secret): " + t.secrets().getFirst());
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
            Map<String, String> malformed = new TreeMap<>();
            List<Tenant> all = admin(cli.connection()).all(malformed);
            List<Map<String, Object>> views = new ArrayList<>(all.stream().map(t -> Views.tenant(t, false)).toList());
            malformed.forEach((id, reason) -> {
                Map<String, Object> bad = new LinkedHashMap<>();
                bad.put("tenantId", id);
                bad.put("malformed", reason);
                views.add(bad);
            });
            cli.output().result(views, out -> {
                List<List<String>> rows = new ArrayList<>();
                for (Tenant t : all) {
                    rows.add(List.of(t.id(), t.allowedHosts().isEmpty() ? "-" : String.join(",", t.allowedHosts()),
                            Integer.toString(t.secrets().size())));
                }
                malformed.forEach((id, reason) -> rows.add(List.of(id, "MALFORMED: " + reason, "")));
                Output.table(out, List.of("TENANT", "ALLOWED HOSTS", "SECRETS"), rows);
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one tenant.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "TENANT_ID") String id;
        @Option(names = "--show-secrets", description = "Print the signing secrets in clear.") boolean showSecrets;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            print(cli.output(), admin(cli.connection()).get(tenantId(id)), showSecrets);
            return ExitCodes.OK;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Change a tenant's allowed hosts or rotate its secret.",
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
                description = "Adds a signing secret (generated when no value is given).")
        String newSecret;
        @Option(names = "--retire-old-secret", description = "Removes the old secret, keeps only the newest.")
        boolean retireOld;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            TenantAdmin admin = admin(cli.connection());
            Tenant before = admin.get(tenantId(id));
            List<String> hosts = new ArrayList<>(allowedHosts == null ? before.allowedHosts() : hosts(allowedHosts));
            hosts(addHosts).stream().filter(h -> !hosts.contains(h)).forEach(hosts::add);
            hosts.removeAll(hosts(removeHosts));
            List<String> secrets = new ArrayList<>(before.secrets());
            String added = null;
            if (newSecret != null && retireOld) {
                throw CliException.usage("--new-secret and --retire-old-secret are two steps: run them one after"
                        + " the other");
            }
            if (newSecret != null) {
                if (secrets.size() >= 2) {
                    throw CliException.conflict("tenant " + before.id() + " is already rotating (2 secrets); finish"
                            + " with: ben tenants update " + before.id() + " --retire-old-secret");
                }
                added = EndpointsCommand.secret(newSecret.isEmpty() ? null : newSecret);
                secrets.add(added);
            }
            if (retireOld) {
                if (secrets.size() < 2) {
                    throw CliException.conflict("tenant " + before.id() + " has a single secret; nothing to retire");
                }
                secrets = List.of(secrets.getLast());
            }
            Tenant after = tenant(before.id(), hosts, secrets);
            admin.replace(after);
            Map<String, Object> view = new LinkedHashMap<>(Views.tenant(after, false));
            if (added != null) {
                view.put("newSecret", added);
            }
            String shown = added;
            cli.output().result(view, out -> {
                Views.tenant(after, false).forEach((k, v) -> out.printf("%-14s %s%n", k + ":", Views.text(v)));
                if (shown != null) {
                    out.println("new signing secret (give it to the tenant): " + shown);
                }
            });
            return ExitCodes.OK;
        }
    }
}

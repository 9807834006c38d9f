package dev.ben.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.internal.DeliveryPages;
import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.Scopes;
import dev.ben.cli.internal.Times;
import dev.ben.cli.internal.Views;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.core.model.DeliveryStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "deliveries", mixinStandardHelpOptions = true,
        description = "Inspect deliveries (one event to one endpoint) and their attempt history.",
        subcommands = {DeliveriesCommand.ListDeliveries.class, DeliveriesCommand.Show.class})
final class DeliveriesCommand {

    /** The delivery (with its attempt history), looked up in {@code --tenant}'s scope or in every scope. */
    static Scopes.Found find(ApiClient api, String tenant, String id) {
        return new Scopes(api).find(TenantsCommand.tenantId(tenant), "deliveries", id, "no delivery " + id
                + " (deliveries expire after the history retention; list them with: ben deliveries list)");
    }

    /** How the API reads a listing with these filters (its documented access paths). */
    static String accessPath(String endpoint, DeliveryStatus status) {
        if (endpoint != null) {
            return "byEndpoint";
        }
        return status != null && !status.terminal() ? "byDue" : "scan";
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List deliveries. With --endpoint: newest first (index byEndpoint). With --status PENDING "
                    + "or RETRYING: oldest due first (index byDue). Otherwise a filtered scan (unordered).",
                    "Without --tenant: the deliveries without a tenant, then each tenant's.",
                    "Prints a cursor when more remain: pass it back with --cursor."})
    static final class ListDeliveries implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--status", paramLabel = "STATUS",
                description = "PENDING, RETRYING, DELIVERED, FAILED or CANCELLED.") DeliveryStatus status;
        @Option(names = "--endpoint", paramLabel = "ENDPOINT_ID") String endpoint;
        @Option(names = "--event-type", paramLabel = "TYPE") String eventType;
        @Option(names = "--tenant", paramLabel = "TENANT_ID", description = "Only this tenant's deliveries.")
        String tenant;
        @Option(names = "--since", paramLabel = "TIME",
                description = "Created at or after: 24h, 7d, 2026-11-29, 2026-11-29T10:00:00Z.") String since;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N (default 50).")
        int limit;
        @Option(names = "--cursor", paramLabel = "CURSOR", description = "Resume where a previous list stopped.")
        String cursor;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            if (limit < 1 || limit > 10_000) {
                throw CliException.usage("--limit must be between 1 and 10000");
            }
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("endpointId", endpoint);
            query.put("status", status);
            query.put("eventType", eventType);
            query.put("since", since == null ? null : Times.parseSince(since, Instant.now()));
            String tenantId = TenantsCommand.tenantId(tenant);
            List<String> scopes = new Scopes(cli.api()).searched(tenantId);
            var page = new DeliveryPages(cli.api()).list(scopes, query, limit, cursor);
            List<Map<String, Object>> views = page.items().stream().map(Views::delivery).toList();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("deliveries", views);
            json.put("count", views.size());
            json.put("nextCursor", page.next());
            json.put("accessPath", accessPath(endpoint, status));
            cli.output().result(json, out -> print(out, views, page.next()));
            return ExitCodes.OK;
        }

        private static void print(PrintWriter out, List<Map<String, Object>> views, String next) {
            List<List<String>> rows = new ArrayList<>();
            for (Map<String, Object> d : views) {
                rows.add(List.of((String) d.get("deliveryId"), (String) d.get("status"), Views.text(d.get("attempts")),
                        (String) d.get("endpointId"), (String) d.get("eventType"), Views.text(d.get("tenantId")),
                        (String) d.get("createdAt"), Views.text(d.get("nextAttemptAt")),
                        abbreviate((String) d.get("lastError"), 60)));
            }
            Output.table(out, List.of("DELIVERY", "STATUS", "ATTEMPTS", "ENDPOINT", "EVENT TYPE", "TENANT", "CREATED",
                    "NEXT ATTEMPT", "LAST ERROR"), rows);
            out.println(views.size() + " deliveries" + (next == null ? "" : "; more with --cursor " + next));
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a delivery and its attempt history.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "DELIVERY_ID") String id;
        @Option(names = "--tenant", paramLabel = "TENANT_ID",
                description = "The delivery's tenant (default: looked up among every tenant's deliveries).")
        String tenant;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            JsonNode detail = find(cli.api(), tenant, id).resource();
            Map<String, Object> delivery = Views.delivery(detail.path("delivery"));
            List<Map<String, Object>> attempts = Views.attempts(detail.path("attemptHistory"));
            Map<String, Object> json = new LinkedHashMap<>(delivery);
            json.put("attemptHistory", attempts);
            cli.output().result(json, out -> {
                delivery.forEach((k, v) -> out.printf("%-15s %s%n", k + ":", Views.text(v)));
                out.println();
                out.println("attempt history (" + attempts.size() + "):");
                List<List<String>> rows = new ArrayList<>();
                for (Map<String, Object> a : attempts) {
                    long code = ((Number) a.get("statusCode")).longValue();
                    String error = (String) a.get("error");
                    rows.add(List.of("#" + a.get("attempt"), (String) a.get("at"),
                            code == 0 ? "no response" : Long.toString(code), a.get("latencyMs") + " ms",
                            error == null || error.isEmpty() ? "ok" : abbreviate(error, 80)));
                }
                Output.table(out, List.of("ATTEMPT", "AT", "STATUS", "LATENCY", "RESULT"), rows);
            });
            return ExitCodes.OK;
        }
    }

    static String abbreviate(String s, int max) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}

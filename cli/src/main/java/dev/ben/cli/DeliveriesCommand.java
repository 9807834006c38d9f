package dev.ben.cli;

import dev.ben.admin.Cursor;
import dev.ben.admin.DeliveryQueries;
import dev.ben.admin.Times;
import dev.ben.cli.internal.BenConnection;
import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.Views;
import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.settings.BenSettings;
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

    static DeliveryQueries queries(BenConnection c) {
        return new DeliveryQueries(c.dynamoDb(), c.table(BenSettings.DELIVERIES_TABLE), c.deliveries());
    }

    static StoredDelivery find(BenConnection c, String id) {
        return c.deliveries().find(id).orElseThrow(() -> CliException.notFound("no delivery " + id
                + " (deliveries expire after the history retention; list them with: ben deliveries list)"));
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {"List deliveries. With --endpoint: newest first (index byEndpoint). With --status PENDING "
                    + "or RETRYING: oldest due first in each of 16 shards (index byDue). Otherwise a filtered scan (unordered).",
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
            BenConnection c = cli.connection();
            var filter = new DeliveryQueries.Filter(endpoint, status, eventType,
                    since == null ? null : Times.parseSince(since, c.clock().instant()), TenantsCommand.tenantId(tenant));
            var result = queries(c).list(filter, limit, Cursor.decode(cursor));
            String next = Cursor.encode(result.next());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("deliveries", result.items().stream().map(Views::delivery).toList());
            json.put("count", result.items().size());
            json.put("nextCursor", next.isEmpty() ? null : next);
            json.put("accessPath", result.accessPath());
            cli.output().result(json, out -> {
                List<List<String>> rows = new ArrayList<>();
                for (StoredDelivery s : result.items()) {
                    Delivery d = s.delivery();
                    rows.add(List.of(d.id(), d.status().name(), Integer.toString(d.attempts()), d.endpointId(),
                            s.eventType(), d.tenantId().isEmpty() ? "-" : d.tenantId(), d.createdAt().toString(),
                            d.nextAttemptAt() == null ? "-" : d.nextAttemptAt().toString(),
                            abbreviate(d.lastError(), 60)));
                }
                Output.table(out, List.of("DELIVERY", "STATUS", "ATTEMPTS", "ENDPOINT", "EVENT TYPE", "TENANT", "CREATED",
                        "NEXT ATTEMPT", "LAST ERROR"), rows);
                out.println(result.items().size() + " deliveries" + (next.isEmpty() ? "" : "; more with --cursor " + next));
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a delivery and its attempt history.")
    static final class Show implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(index = "0", paramLabel = "DELIVERY_ID") String id;
        @Option(names = "--payload", description = "Include the payload (the exact JSON body POSTed).") boolean payload;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            BenConnection c = cli.connection();
            StoredDelivery s = find(c, id);
            List<Attempt> attempts = c.attempts().list(id);
            Map<String, Object> json = new LinkedHashMap<>(Views.delivery(s));
            json.put("attemptHistory", attempts.stream().map(Views::attempt).toList());
            if (payload) {
                json.put("payload", s.payload());
            }
            cli.output().result(json, out -> {
                Views.delivery(s).forEach((k, v) -> out.printf("%-15s %s%n", k + ":", Views.text(v)));
                out.println();
                out.println("attempt history (" + attempts.size() + "):");
                List<List<String>> rows = new ArrayList<>();
                for (Attempt a : attempts) {
                    rows.add(List.of("#" + a.number(), a.at().toString(),
                            a.statusCode() == 0 ? "no response" : Integer.toString(a.statusCode()),
                            a.latency().toMillis() + " ms", a.error().isEmpty() ? "ok" : abbreviate(a.error(), 80)));
                }
                Output.table(out, List.of("ATTEMPT", "AT", "STATUS", "LATENCY", "RESULT"), rows);
                if (payload) {
                    out.println();
                    out.println("payload: " + (s.payload() == null ? "(not stored)" : s.payload()));
                }
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

package dev.ben.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.Scopes;
import dev.ben.cli.internal.Times;
import dev.ben.cli.internal.api.ApiPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Delivered / retrying / failed counts, attempt latency p50/p99 (from the attempt log) and the "
                + "endpoints failing most, for deliveries created since a time: the whole stack, or one tenant's.")
final class StatsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Option(names = "--since", paramLabel = "TIME", defaultValue = "24h", description = "Window start (default 24h).")
    String since;
    @Option(names = "--top", paramLabel = "N", defaultValue = "5", description = "Failing endpoints shown (default 5).")
    int top;
    @Option(names = "--tenant", paramLabel = "TENANT_ID", description = "Only this tenant's deliveries "
            + "(\"_\" for those without a tenant).")
    String tenant;

    @Override
    public Integer call() {
        BenCli cli = BenCli.of(spec);
        if (top < 0) {
            throw CliException.usage("--top must be >= 0");
        }
        String from = Times.parseSince(since, Instant.now()).toString();
        ApiPath path = tenant == null ? ApiPath.of("v1", "stats")
                : Scopes.of(tenant.equals(Scopes.NONE) ? Scopes.NONE : TenantsCommand.tenantId(tenant)).then("stats");
        ObjectNode stats = (ObjectNode) cli.api().get(path.query("since", from));
        ArrayNode failing = (ArrayNode) stats.path("failingEndpoints");
        while (failing.size() > top) {
            failing.remove(failing.size() - 1);
        }
        cli.output().result(stats, out -> {
            out.println("since " + stats.path("since").asText() + ": " + stats.path("deliveries").asInt() + " deliveries");
            out.println("  delivered " + stats.path("delivered").asInt() + ", retrying " + stats.path("retrying").asInt()
                    + ", failed " + stats.path("failed").asInt() + "   " + byStatus(stats.path("byStatus")));
            JsonNode lat = stats.path("attemptLatencyMs");
            out.println("  attempts " + stats.path("attempts").asInt() + " (" + stats.path("failedAttempts").asInt()
                    + " failed); latency p50 " + ms(lat.path("p50")) + ", p99 " + ms(lat.path("p99")) + ", max "
                    + ms(lat.path("max")));
            JsonNode e2e = stats.path("deliveredEndToEndMs");
            out.println("  created → delivered p50 " + ms(e2e.path("p50")) + ", p99 " + ms(e2e.path("p99")));
            out.println();
            out.println("endpoints failing most:");
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode f : failing) {
                rows.add(List.of(f.path("endpointId").asText(), f.path("failed").asText(),
                        f.path("retrying").asText(), f.path("failedAttempts").asText() + "/" + f.path("attempts").asText(),
                        DeliveriesCommand.abbreviate(f.path("lastError").asText(), 70)));
            }
            Output.table(out, List.of("ENDPOINT", "FAILED", "RETRYING", "FAILED ATTEMPTS", "LAST ERROR"), rows);
        });
        return ExitCodes.OK;
    }

    /** {DELIVERED=2, FAILED=1}, as the CLI has always printed it. */
    private static String byStatus(JsonNode byStatus) {
        List<String> parts = new ArrayList<>();
        byStatus.properties().forEach(s -> parts.add(s.getKey() + "=" + s.getValue().asInt()));
        return "{" + String.join(", ", parts) + "}";
    }

    private static String ms(JsonNode v) {
        return v.isNull() || v.isMissingNode() ? "-" : v.asLong() + " ms";
    }
}

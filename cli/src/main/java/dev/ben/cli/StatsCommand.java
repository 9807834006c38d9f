package dev.ben.cli;

import dev.ben.admin.Stats;
import dev.ben.admin.Times;
import dev.ben.cli.internal.BenConnection;
import dev.ben.cli.internal.Output;
import dev.ben.settings.BenSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Delivered / retrying / failed counts, attempt latency p50/p99 (from the attempt log) and the "
                + "endpoints failing most, for deliveries created since a time. Reads both tables' items in the window.")
final class StatsCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Option(names = "--since", paramLabel = "TIME", defaultValue = "24h", description = "Window start (default 24h).")
    String since;
    @Option(names = "--top", paramLabel = "N", defaultValue = "5", description = "Failing endpoints shown (default 5).")
    int top;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() {
        BenCli cli = BenCli.of(spec);
        if (top < 0) {
            throw CliException.usage("--top must be >= 0");
        }
        BenConnection c = cli.connection();
        var from = Times.parseSince(since, c.clock().instant());
        Map<String, Object> stats = new Stats(c.dynamoDb(), c.table(BenSettings.DELIVERIES_TABLE),
                c.table(BenSettings.ATTEMPTS_TABLE)).compute(from, top);
        cli.output().result(stats, out -> {
            out.println("since " + stats.get("since") + ": " + stats.get("deliveries") + " deliveries");
            out.println("  delivered " + stats.get("delivered") + ", retrying " + stats.get("retrying")
                    + ", failed " + stats.get("failed") + "   " + stats.get("byStatus"));
            var lat = (Map<String, Object>) stats.get("attemptLatencyMs");
            out.println("  attempts " + stats.get("attempts") + " (" + stats.get("failedAttempts") + " failed); latency p50 "
                    + ms(lat.get("p50")) + ", p99 " + ms(lat.get("p99")) + ", max " + ms(lat.get("max")));
            var e2e = (Map<String, Object>) stats.get("deliveredEndToEndMs");
            out.println("  created → delivered p50 " + ms(e2e.get("p50")) + ", p99 " + ms(e2e.get("p99")));
            var failing = (List<Map<String, Object>>) stats.get("failingEndpoints");
            out.println();
            out.println("endpoints failing most:");
            List<List<String>> rows = new ArrayList<>();
            for (Map<String, Object> f : failing) {
                rows.add(List.of(String.valueOf(f.get("endpointId")), String.valueOf(f.get("failed")),
                        String.valueOf(f.get("retrying")), f.get("failedAttempts") + "/" + f.get("attempts"),
                        DeliveriesCommand.abbreviate((String) f.get("lastError"), 70)));
            }
            Output.table(out, List.of("ENDPOINT", "FAILED", "RETRYING", "FAILED ATTEMPTS", "LAST ERROR"), rows);
        });
        return ExitCodes.OK;
    }

    private static String ms(Object v) {
        return v == null ? "-" : v + " ms";
    }
}

package dev.ben.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.Views;
import dev.ben.cli.internal.api.ApiPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "The retry dead-letter queue: FAILED deliveries (copies, with the reason), unprocessable "
                + "messages, and messages SQS moved after too many receives.",
        subcommands = {DlqCommand.Inspect.class, DlqCommand.Redrive.class})
final class DlqCommand {

    private static final int API_BATCH = 100;

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Peek at dead-letter messages without consuming them: the API receives them with a short "
                    + "visibility timeout and releases them before it answers.")
    static final class Inspect implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--max", paramLabel = "N", defaultValue = "20",
                description = "At most N messages (default 20, max 100).")
        int max;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            if (max < 1 || max > API_BATCH) {
                throw CliException.usage("--max must be 1.." + API_BATCH);
            }
            JsonNode answer = cli.api().get(ApiPath.of("v1", "dlq").query("max", max));
            List<Map<String, Object>> views = new ArrayList<>();
            answer.path("messages").forEach(m -> views.add(Views.delivery(m)));
            int depth = answer.path("approximateDepth").asInt();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("approximateDepth", depth);
            json.put("messages", views);
            cli.output().result(json, out -> {
                out.println("dead-letter queue: ~" + depth + " messages; showing " + views.size() + " (released again)");
                List<List<String>> rows = new ArrayList<>();
                for (Map<String, Object> v : views) {
                    rows.add(List.of(String.valueOf(v.get("messageId")), Views.text(v.get("sentAt")),
                            Views.text(v.get("deliveryId")), Views.text(v.get("endpointId")),
                            DeliveriesCommand.abbreviate((String) v.get("reason"), 80)));
                }
                Output.table(out, List.of("MESSAGE", "SENT", "DELIVERY", "ENDPOINT", "REASON"), rows);
            });
            return ExitCodes.OK;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = {"Send dead-lettered deliveries back through the retry queue: each message's delivery is "
                    + "replayed (see ben replay) and the message deleted.",
                    "Already DELIVERED deliveries: message deleted, nothing sent. Messages naming no delivery, unknown "
                            + "deliveries or failed replays stay in the queue (reported)."})
    static final class Redrive implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N messages (default 100).")
        int limit;
        @Option(names = "--dry-run", description = "Show what would be redriven; messages are released untouched.")
        boolean dryRun;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            if (limit < 1 || limit > 100_000) {
                throw CliException.usage("--limit must be between 1 and 100000");
            }
            Output out = cli.output();
            List<JsonNode> results = new ArrayList<>();
            int kept = 0;
            int asked;
            JsonNode batch;
            do {
                // messages left in the queue come back in the next batch: stop once a batch redrives nothing
                asked = Math.min(API_BATCH, limit - results.size());
                batch = cli.api().post(ApiPath.of("v1", "dlq", "redrive"), Map.of("limit", asked, "dryRun", dryRun));
                batch.path("results").forEach(r -> {
                    results.add(r);
                    out.progress("[" + results.size() + "] " + r.path("messageId").asText() + " "
                            + r.path("deliveryId").asText("-") + " " + r.path("outcome").asText() + " "
                            + r.path("detail").asText());
                });
                kept += batch.path("keptInQueue").asInt();
            } while (batch.path("processed").asInt() == asked && batch.path("redriven").asInt() > 0
                    && results.size() < limit && !dryRun);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("processed", results.size());
            json.put("keptInQueue", dryRun ? 0 : kept);
            json.put("dryRun", dryRun);
            json.put("results", results.stream().map(Views::delivery).toList());
            int keptFinal = dryRun ? 0 : kept;
            out.result(json, w -> w.println((dryRun ? "dry run: " : "") + "processed " + results.size()
                    + " dead-letter messages; " + keptFinal + " left in the queue"));
            return keptFinal == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
        }
    }
}

package dev.ben.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ben.cli.internal.Cursor;
import dev.ben.cli.internal.DeliveryPages;
import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.Replays;
import dev.ben.cli.internal.Scopes;
import dev.ben.cli.internal.Times;
import dev.ben.cli.internal.api.ApiClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Replay every FAILED or CANCELLED delivery of an endpoint created since a time (after an "
                + "outage of the receiver, or once a disabled or misconfigured endpoint is fixed), in bounded batches "
                + "of the API's recover call.",
                "Bounded by --limit; progress on stderr; prints a checkpoint cursor after every batch and at the end: "
                        + "run again with --cursor to resume (the cursor keeps the first run's time window). "
                        + "Replayed deliveries leave FAILED, so running the same command again without a cursor is "
                        + "safe too."})
final class RecoverCommand implements Callable<Integer> {

    private static final int BATCH = 100;

    @Spec CommandSpec spec;
    @Option(names = "--endpoint", required = true, paramLabel = "ENDPOINT_ID") String endpointId;
    @Option(names = "--since", required = true, paramLabel = "TIME",
            description = "Deliveries created at or after: 24h, 3d, 2026-11-29, 2026-11-29T10:00:00Z.") String since;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "Replay at most N deliveries in this run (default 100, max 100000).") int limit;
    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Checkpoint printed by an earlier run.")
    String cursor;
    @Option(names = "--dry-run", description = "Count and list what would be replayed, change nothing.")
    boolean dryRun;
    @Option(names = "--force", description = "Recover even though the endpoint is disabled (the attempts will fail;"
            + " replays the deliveries one by one).")
    boolean force;
    @Mixin EndpointsCommand.TenantOption scope;

    /** Where a run got to: counts by outcome, deliveries handled, failures, and the cursor to resume. */
    private static final class Progress {
        final Map<String, Integer> outcomes = new LinkedHashMap<>();
        int processed;
        int failed;
        String next;
    }

    @Override
    public Integer call() {
        BenCli cli = BenCli.of(spec);
        if (limit < 1 || limit > 100_000) {
            throw CliException.usage("--limit must be between 1 and 100000");
        }
        Map<String, String> position = Cursor.decode(cursor, "since");
        Instant from = position.isEmpty() ? Times.parseSince(since, Instant.now()) : Instant.parse(position.get("since"));
        Scopes.Found endpoint = EndpointsCommand.find(cli.api(), scope.tenant, endpointId);
        boolean enabled = endpoint.resource().path("enabled").asBoolean();
        if (!enabled && !force && !dryRun) {
            throw CliException.conflict("endpoint " + endpointId + " is disabled (" + endpoint.resource()
                    .path("disabledReason").asText() + "): enable it first (ben endpoints enable " + endpointId
                    + ") or add --force");
        }
        Output out = cli.output();
        Progress p = dryRun || !enabled ? oneByOne(cli.api(), endpoint, from, position, out)
                : inBatches(cli.api(), endpoint, from, position, out);
        report(out, from, p);
        return p.failed == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    /** The API's recover call, batch after batch, within the window of the first batch. */
    private Progress inBatches(ApiClient api, Scopes.Found endpoint, Instant from, Map<String, String> position,
                               Output out) {
        Progress p = new Progress();
        String until = position.get("until");
        String apiCursor = position.get("cursor");
        boolean done = false;
        while (!done && p.processed < limit) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("since", from.toString());
            body.put("until", until);
            body.put("limit", Math.min(BATCH, limit - p.processed));
            body.put("cursor", apiCursor);
            body.values().removeIf(Objects::isNull);
            JsonNode r = api.send("POST", EndpointsCommand.path(endpoint, "recover"), body,
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            until = r.path("until").asText();
            apiCursor = r.path("cursor").isNull() ? null : r.path("cursor").asText();
            done = r.path("done").asBoolean();
            p.processed += r.path("scanned").asInt();
            p.failed += r.path("failed").asInt();
            r.path("outcomes").properties().forEach(o -> p.outcomes.merge(o.getKey(), o.getValue().asInt(),
                    Integer::sum));
            out.progress("[" + p.processed + "/" + limit + "] replayed " + r.path("replayed").asInt() + " of "
                    + r.path("scanned").asInt() + " FAILED/CANCELLED deliveries: " + outcomes(r.path("outcomes")));
            p.next = done ? null : Cursor.encode(Map.of("since", from.toString(), "until", until,
                    "cursor", apiCursor == null ? "" : apiCursor));
            if (!done) {
                out.progress("checkpoint: --cursor " + p.next);
            }
        }
        return p;
    }

    /**
     * Dry runs and disabled endpoints (--force): the FAILED, then the CANCELLED deliveries listed (each page just as
     * long as the deliveries still to do, so the cursor never passes one) and replayed (or judged) one by one.
     */
    private Progress oneByOne(ApiClient api, Scopes.Found endpoint, Instant from, Map<String, String> position,
                              Output out) {
        Progress p = new Progress();
        Replays replays = new Replays(api);
        DeliveryPages pages = new DeliveryPages(api);
        List<String> statuses = List.of("FAILED", "CANCELLED");
        int status = Math.max(0, statuses.indexOf(position.getOrDefault("status", "FAILED")));
        String listCursor = position.get("list");
        while (status < statuses.size() && p.processed < limit) {
            var page = pages.list(List.of(endpoint.scope()), Map.of("endpointId", endpointId, "since", from,
                    "status", statuses.get(status)), Math.min(BATCH, limit - p.processed), listCursor);
            for (JsonNode d : page.items()) {
                Replays.Result r = replays.replay(new Scopes.Found(endpoint.scope(), detail(d)), dryRun);
                p.processed++;
                p.outcomes.merge(r.outcome(), 1, Integer::sum);
                p.failed += r.ok() ? 0 : 1;
                out.progress("[" + p.processed + "/" + limit + "] " + r.deliveryId() + " " + r.outcome() + " "
                        + r.detail());
            }
            listCursor = page.next();
            if (listCursor == null) {
                status++;
            }
        }
        p.next = status >= statuses.size() ? null : Cursor.encode(Map.of("since", from.toString(),
                "status", statuses.get(status), "list", listCursor == null ? "" : listCursor));
        return p;
    }

    /** A listed delivery in the shape of {@code GET …/deliveries/{id}}, which replays start from. */
    private static JsonNode detail(JsonNode delivery) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.set("delivery", delivery);
        return detail;
    }

    private static String outcomes(JsonNode outcomes) {
        Map<String, Integer> m = new LinkedHashMap<>();
        outcomes.properties().forEach(o -> m.put(o.getKey(), o.getValue().asInt()));
        return m.toString();
    }

    private void report(Output out, Instant from, Progress p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("endpointId", endpointId);
        json.put("since", from.toString());
        json.put("processed", p.processed);
        json.put("dryRun", dryRun);
        json.put("outcomes", p.outcomes);
        json.put("complete", p.next == null);
        json.put("nextCursor", p.next);
        out.result(json, w -> {
            w.println((dryRun ? "dry run: " : "") + "processed " + p.processed + " FAILED/CANCELLED deliveries of "
                    + endpointId + " since " + from + ": " + p.outcomes);
            w.println(p.next == null ? "complete" : "more remain (stopped at --limit " + limit + "); resume with: "
                    + "--cursor " + p.next);
        });
    }
}

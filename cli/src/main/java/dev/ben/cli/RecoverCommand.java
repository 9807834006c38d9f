package dev.ben.cli;

import dev.ben.admin.Cursor;
import dev.ben.admin.DeliveryQueries;
import dev.ben.admin.Replayer;
import dev.ben.admin.Times;
import dev.ben.cli.internal.BenConnection;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Replay every FAILED or CANCELLED delivery of an endpoint created since a time (after an "
                + "outage of the receiver, or once a disabled or misconfigured endpoint is fixed), oldest page first "
                + "by the byEndpoint index.",
                "Bounded by --limit; progress on stderr; prints a checkpoint cursor after every page and at the end: "
                        + "run again with --cursor to resume. Replayed deliveries leave FAILED, so running the same "
                        + "command again without a cursor is safe too."})
final class RecoverCommand implements Callable<Integer> {

    /** What recover sends again: failed deliveries, and those cancelled while the endpoint was disabled. */
    static final Set<DeliveryStatus> RECOVERED = Set.of(DeliveryStatus.FAILED, DeliveryStatus.CANCELLED);

    private static final int PAGE = 50;

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
    @Option(names = "--force", description = "Recover even though the endpoint is disabled (the attempts will fail).")
    boolean force;
    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "8",
            description = "Deliveries replayed at once (default 8, max 64).") int parallelism;

    private static Replayer.Result get(Future<Replayer.Result> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.INTERNAL, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public Integer call() {
        BenCli cli = BenCli.of(spec);
        if (limit < 1 || limit > 100_000) {
            throw CliException.usage("--limit must be between 1 and 100000");
        }
        if (parallelism < 1 || parallelism > 64) {
            throw CliException.usage("--parallelism must be between 1 and 64");
        }
        BenConnection c = cli.connection();
        Instant from = Times.parseSince(since, c.clock().instant());
        Map<String, String> position = Cursor.decode(cursor);
        Endpoint endpoint = EndpointsCommand.admin(c).get(endpointId);
        if (!endpoint.enabled() && !force && !dryRun) {
            throw CliException.conflict("endpoint " + endpointId + " is disabled (" + endpoint.disabledReason()
                    + "): enable it first (ben endpoints enable " + endpointId + ") or add --force");
        }
        DeliveryQueries queries = DeliveriesCommand.queries(c);
        Replayer replayer = new Replayer(c.deliveries(), c.retryQueue(), c.clock());
        var filter = DeliveryQueries.Filter.anyOf(endpointId, RECOVERED, from);
        var out = cli.output();
        Map<Replayer.Outcome, Integer> counts = new EnumMap<>(Replayer.Outcome.class);
        int done = 0;
        boolean more;
        try (ExecutorService workers = Executors.newFixedThreadPool(parallelism, Thread.ofVirtual().factory())) {
            do {
                var page = queries.list(filter, Math.min(PAGE, limit - done), position);
                List<Future<Replayer.Result>> results = new ArrayList<>();
                for (StoredDelivery s : page.items()) {
                    results.add(workers.submit(() -> replayer.replayIn(s, RECOVERED, dryRun)));
                }
                // the whole page is finished before its checkpoint is printed: resuming never skips a delivery
                for (Future<Replayer.Result> f : results) {
                    Replayer.Result r = get(f);
                    counts.merge(r.outcome(), 1, Integer::sum);
                    done++;
                    out.progress("[" + done + "/" + limit + "] " + r.deliveryId() + " " + r.outcome() + " "
                            + r.detail());
                }
                position = page.next();
                more = !position.isEmpty();
                if (more) {
                    out.progress("checkpoint: --cursor " + Cursor.encode(position));
                }
            } while (more && done < limit);
        }
        int failed = counts.entrySet().stream().filter(e -> !e.getKey().ok() && e.getKey() != Replayer.Outcome.SKIPPED)
                .mapToInt(Map.Entry::getValue).sum();
        String next = more ? Cursor.encode(position) : "";
        int processed = done;
        boolean remaining = more;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("endpointId", endpointId);
        json.put("since", from.toString());
        json.put("processed", processed);
        json.put("dryRun", dryRun);
        Map<String, Integer> byOutcome = new LinkedHashMap<>();
        counts.forEach((k, v) -> byOutcome.put(k.name(), v));
        json.put("outcomes", byOutcome);
        json.put("complete", !more);
        json.put("nextCursor", more ? next : null);
        out.result(json, w -> {
            w.println((dryRun ? "dry run: " : "") + "processed " + processed + " FAILED/CANCELLED deliveries of "
                    + endpointId
                    + " since " + from + ": " + byOutcome);
            if (remaining) {
                w.println("more remain (stopped at --limit " + limit + "); resume with: --cursor " + next);
            } else {
                w.println("complete");
            }
        });
        return failed == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
    }
}

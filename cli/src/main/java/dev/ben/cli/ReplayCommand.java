package dev.ben.cli;

import dev.ben.admin.Replayer;
import dev.ben.cli.internal.BenConnection;
import dev.ben.core.model.EventIds;
import dev.ben.sender.internal.StoredDelivery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Send deliveries again: each is set back to PENDING (a live one is made due now) with a new "
                + "queue token and enqueued on the retry queue; the retry function makes the attempt.",
                "The webhook-id stays the event id, so receivers deduplicate. Attempt numbers continue; an exhausted "
                        + "delivery gets one more attempt."})
final class ReplayCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Parameters(paramLabel = "DELIVERY_ID", arity = "1..*", description = "Delivery id(s), dlv_...")
        List<String> deliveryIds;
        @Option(names = "--event", paramLabel = "EVENT_ID",
                description = "Replay every delivery of this event (evt_...), one per subscribed endpoint.")
        String eventId;
    }

    @Option(names = "--dry-run", description = "Show what would be replayed, change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        BenCli cli = BenCli.of(spec);
        BenConnection c = cli.connection();
        Replayer replayer = new Replayer(c.deliveries(), c.retryQueue(), c.clock());
        List<Replayer.Result> results = new ArrayList<>();
        if (target.eventId != null) {
            String eventId = target.eventId.trim();
            if (!eventId.startsWith(EventIds.EVENT_PREFIX)) {
                throw CliException.usage("--event takes an event id (" + EventIds.EVENT_PREFIX + "...), got " + eventId);
            }
            // delivery ids are deterministic (event × endpoint): no index on eventId is needed
            List<String> ids = EndpointsCommand.admin(c).ids().stream()
                    .map(endpointId -> EventIds.deliveryId(eventId, endpointId)).toList();
            Map<String, StoredDelivery> found = c.deliveries().findAll(ids);
            if (found.isEmpty()) {
                throw CliException.notFound("no deliveries of event " + eventId + " (for any current endpoint)");
            }
            ids.stream().filter(found::containsKey)
                    .forEach(id -> results.add(replayer.replay(found.get(id), null, dryRun)));
        } else {
            for (String id : target.deliveryIds) {
                if (!id.startsWith(EventIds.DELIVERY_PREFIX)) {
                    throw CliException.usage("not a delivery id (" + EventIds.DELIVERY_PREFIX + "...): " + id);
                }
            }
            for (String id : target.deliveryIds) {
                results.add(replayer.replay(id.trim(), null, dryRun));
            }
        }
        cli.output().result(Map.of("results", results.stream().map(ReplayCommand::view).toList(),
                "dryRun", dryRun), out -> results.forEach(r -> out.println(r.deliveryId() + "  " + r.outcome()
                + (r.before() == null ? "" : "  (was " + r.before() + ")") + "  " + r.detail())));
        long ok = results.stream().filter(r -> r.outcome().ok()).count();
        if (ok == results.size()) {
            return ExitCodes.OK;
        }
        if (results.size() == 1) {
            Replayer.Outcome o = results.getFirst().outcome();
            return o == Replayer.Outcome.NOT_FOUND ? ExitCodes.NOT_FOUND
                    : o == Replayer.Outcome.ENQUEUE_FAILED ? ExitCodes.AWS : ExitCodes.CONFLICT;
        }
        return ExitCodes.PARTIAL;
    }

    static Map<String, Object> view(Replayer.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deliveryId", r.deliveryId());
        m.put("before", r.before() == null ? null : r.before().name());
        m.put("outcome", r.outcome().name());
        m.put("detail", r.detail());
        return m;
    }
}

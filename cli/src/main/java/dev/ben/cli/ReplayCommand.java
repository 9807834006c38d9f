package dev.ben.cli;

import dev.ben.cli.internal.Pages;
import dev.ben.cli.internal.Replays;
import dev.ben.cli.internal.Scopes;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.core.model.EventIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Send deliveries again: each is set back to PENDING (a live one is made due now) and "
                + "enqueued on the retry queue; the retry function makes the attempt.",
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

    @Option(names = "--tenant", paramLabel = "TENANT_ID",
            description = "The deliveries' tenant (default: looked up among every tenant's).")
    String tenant;

    @Option(names = "--dry-run", description = "Show what would be replayed, change nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        BenCli cli = BenCli.of(spec);
        ApiClient api = cli.api();
        Replays replays = new Replays(api);
        List<Replays.Result> results = new ArrayList<>();
        if (target.eventId != null) {
            List<Scopes.Found> found = deliveriesOfEvent(api, eventId(target.eventId));
            found.forEach(f -> results.add(replays.replay(f, dryRun)));
        } else {
            for (String id : target.deliveryIds) {
                if (!id.startsWith(EventIds.DELIVERY_PREFIX)) {
                    throw CliException.usage("not a delivery id (" + EventIds.DELIVERY_PREFIX + "...): " + id);
                }
            }
            for (String id : target.deliveryIds) {
                results.add(find(api, id.trim()).map(f -> replays.replay(f, dryRun))
                        .orElseGet(() -> Replays.notFound(id.trim())));
            }
        }
        cli.output().result(Map.of("results", results.stream().map(Replays.Result::view).toList(),
                "dryRun", dryRun), out -> results.forEach(r -> out.println(r.deliveryId() + "  " + r.outcome()
                + (r.before() == null ? "" : "  (was " + r.before() + ")") + "  " + r.detail())));
        if (results.stream().allMatch(Replays.Result::ok)) {
            return ExitCodes.OK;
        }
        return results.size() == 1 ? results.getFirst().exitCode() : ExitCodes.PARTIAL;
    }

    private static String eventId(String given) {
        String eventId = given.trim();
        if (!eventId.startsWith(EventIds.EVENT_PREFIX)) {
            throw CliException.usage("--event takes an event id (" + EventIds.EVENT_PREFIX + "...), got " + eventId);
        }
        return eventId;
    }

    private Optional<Scopes.Found> find(ApiClient api, String id) {
        try {
            return Optional.of(DeliveriesCommand.find(api, tenant, id));
        } catch (CliException e) {
            if (e.exitCode() == ExitCodes.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Delivery ids are deterministic (event × endpoint): each endpoint's delivery of the event, where it exists. */
    private List<Scopes.Found> deliveriesOfEvent(ApiClient api, String eventId) {
        List<Scopes.Found> found = new ArrayList<>();
        for (String scope : new Scopes(api).searched(TenantsCommand.tenantId(tenant))) {
            for (var endpoint : Pages.all(api, Scopes.of(scope).then("endpoints")).items()) {
                String id = EventIds.deliveryId(eventId, endpoint.path("endpointId").asText());
                try {
                    found.add(new Scopes.Found(scope, api.get(Scopes.of(scope).then("deliveries", id))));
                } catch (CliException e) {
                    if (e.exitCode() != ExitCodes.NOT_FOUND) {
                        throw e;
                    }
                }
            }
        }
        if (found.isEmpty()) {
            throw CliException.notFound("no deliveries of event " + eventId + " (for any current endpoint)");
        }
        return found;
    }
}

package dev.ben.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.CliException;
import dev.ben.cli.ExitCodes;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.core.model.DeliveryStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Replays of single deliveries through the API ({@code POST …/deliveries/{id}/replay}), each turned into a result
 * line rather than an exception, so a batch reports every delivery. A dry run decides from the delivery as read,
 * the way the API would: no payload stored → NO_PAYLOAD, terminal → REPLAYED, live → EXPEDITED.
 */
public final class Replays {

    private final ApiClient api;

    public Replays(ApiClient api) {
        this.api = api;
    }

    /** One delivery's outcome: an outcome name of the API's (or NOT_FOUND / REFUSED when it refused the replay). */
    public record Result(String deliveryId, String before, String outcome, String detail) {
        public boolean ok() {
            return outcome.equals("REPLAYED") || outcome.equals("EXPEDITED");
        }

        public Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("deliveryId", deliveryId);
            m.put("before", before);
            m.put("outcome", outcome);
            m.put("detail", detail);
            return m;
        }

        /** The exit code of a single-delivery replay with this outcome. */
        public int exitCode() {
            return ok() ? ExitCodes.OK : switch (outcome) {
                case "NOT_FOUND" -> ExitCodes.NOT_FOUND;
                case "ENQUEUE_FAILED" -> ExitCodes.AWS;
                default -> ExitCodes.CONFLICT;
            };
        }
    }

    /** @param found the delivery as {@code GET …/deliveries/{id}} answered it, and its scope */
    public Result replay(Scopes.Found found, boolean dryRun) {
        JsonNode d = found.resource().path("delivery");
        String id = d.path("deliveryId").asText();
        String before = d.path("status").asText();
        if (dryRun) {
            return dryRun(id, before, d.path("payloadStored").asBoolean(true));
        }
        try {
            JsonNode r = api.send("POST", Scopes.of(found.scope()).then("deliveries", id, "replay"), null,
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            return new Result(id, r.path("previousStatus").asText(before), r.path("outcome").asText(),
                    r.path("detail").asText(""));
        } catch (CliException refused) {
            if (refused.exitCode() == ExitCodes.NOT_FOUND) {
                return notFound(id);
            }
            if (refused.exitCode() == ExitCodes.CONFLICT) {
                return new Result(id, before, d.path("payloadStored").asBoolean(true) ? "REFUSED" : "NO_PAYLOAD",
                        refused.getMessage());
            }
            throw refused;
        }
    }

    public static Result notFound(String id) {
        return new Result(id, null, "NOT_FOUND", "no such delivery");
    }

    private static Result dryRun(String id, String before, boolean payloadStored) {
        if (!payloadStored) {
            return new Result(id, before, "NO_PAYLOAD", "the payload was not stored; it cannot be replayed");
        }
        boolean live = !DeliveryStatus.valueOf(before).terminal();
        return new Result(id, before, live ? "EXPEDITED" : "REPLAYED", "dry run: would " + (live ? "expedite"
                : "replay"));
    }
}

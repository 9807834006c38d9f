package dev.ben.reconcile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one reconcile run did.
 *
 * @param checked     pending records looked up at A
 * @param applied     missed events run through the handler in this run (the effect happened now)
 * @param replayed    missed events the webhook had applied meanwhile (idempotent replay, no effect)
 * @param upToDate    records for which A has no event newer than B's last seen (still pending at A too)
 * @param notFound    records A has no event of (404)
 * @param pastHorizon records pending longer than the horizon: reported (metric, alarm), not looked up
 * @param errors      lookups or handler runs that failed (A down, 4xx/5xx from the handler, payload mismatch);
 *                    retried next round
 * @param pages       source pages read
 * @param stop        why the run ended
 */
public record ReconcileSummary(int checked, int applied, int replayed, int upToDate, int notFound, int pastHorizon,
        int errors, int pages, Stop stop) {

    /** Why a run ended. */
    public enum Stop {
        /** Reached the end of the pending records: the round is complete, the next run starts over. */
        END_OF_ROUND,
        /** The invocation's remaining time fell to the reserve: the cursor is where the run got to. */
        TIME,
        /** A stopped answering (several unreachable lookups in a row): the cursor is before the first of them. */
        STATUS_API_DOWN,
        /** B's own pending source failed. */
        SOURCE_FAILED
    }

    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("checked", checked);
        map.put("applied", applied);
        map.put("replayed", replayed);
        map.put("upToDate", upToDate);
        map.put("notFound", notFound);
        map.put("pastHorizon", pastHorizon);
        map.put("errors", errors);
        map.put("pages", pages);
        map.put("stop", stop.name());
        return map;
    }
}

package dev.ben.examples.orders.reconcile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one reconcile run did.
 *
 * @param checked        pending orders asked about at A
 * @param fixed          orders B brought up to A's truth in this run
 * @param stillPending   orders A also reports as pending (nothing to do)
 * @param alreadyCurrent orders that were no longer behind when applied (e.g. the webhook arrived meanwhile)
 * @param errors         lookups or applies that failed (A down, unreadable answers, DynamoDB errors); retried next run
 * @param pages          index pages read
 * @param truncated      more pending orders remain than this run's bound
 * @param abortedEarly   the run stopped asking A after consecutive connection failures
 */
public record ReconcileSummary(int checked, int fixed, int stillPending, int alreadyCurrent, int errors, int pages,
        boolean truncated, boolean abortedEarly) {

    public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("checked", checked);
        map.put("fixed", fixed);
        map.put("stillPending", stillPending);
        map.put("alreadyCurrent", alreadyCurrent);
        map.put("errors", errors);
        map.put("pages", pages);
        map.put("truncated", truncated);
        map.put("abortedEarly", abortedEarly);
        return map;
    }
}

package dev.ben.reconcile;

import java.util.List;

/** System A's generic status API, as reconciliation sees it. */
public interface StatusApi {

    /** The entity's events at A, latest first. Never throws for HTTP or network failures. */
    Lookup events(String entityId, String tenantId);

    /** Result of a lookup. */
    sealed interface Lookup {
        /** A lists the entity's events (latest first). */
        record Found(List<StatusEvent> events) implements Lookup {
            public Found {
                events = List.copyOf(events);
            }
        }

        /** A answered 404: no event of the entity (yet, or any more): nothing to apply. */
        record NotFound() implements Lookup {
        }

        /**
         * A could not be asked or gave an unusable answer.
         *
         * @param unreachable down, timeout or 5xx (the run stops after a few in a row; the record is retried next
         *                    run) rather than a final answer such as 401/403 or unreadable JSON
         */
        record Failed(String reason, boolean unreachable) implements Lookup {
        }
    }
}

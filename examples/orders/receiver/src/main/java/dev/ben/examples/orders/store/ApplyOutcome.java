package dev.ben.examples.orders.store;

/** Result of applying an {@link OrderState} to B's table. */
public enum ApplyOutcome {
    /** B now holds this version. */
    APPLIED,
    /** B already holds this version or a newer one: nothing changed. */
    STALE
}

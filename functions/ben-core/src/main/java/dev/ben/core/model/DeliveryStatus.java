package dev.ben.core.model;

/** Lifecycle of one delivery (one event to one endpoint). DELIVERED, FAILED and CANCELLED are terminal. */
public enum DeliveryStatus {
    /** Created, first attempt not yet finished. */
    PENDING,
    /** Delivered: the endpoint answered 2xx within the timeout. */
    DELIVERED,
    /** At least one attempt failed; another is scheduled at {@code nextAttemptAt}. */
    RETRYING,
    /** Terminal failure: retries exhausted, endpoint gone/disabled, or the request can never succeed. */
    FAILED,
    /** Terminal: cancelled by an operator or because the endpoint was disabled before the attempt. */
    CANCELLED;

    public boolean terminal() {
        return this == DELIVERED || this == FAILED || this == CANCELLED;
    }
}

package dev.ben.settings;

/**
 * What a function does with a table or queue it uses. The CDK construct grants exactly this, the SAM template's
 * policies say the same, and the IAM-from-calls test holds both to the calls the function really makes.
 */
public enum Access {
    /** Reads items (GetItem, Query, Scan, BatchGetItem). */
    READ,
    /** Writes items (PutItem, UpdateItem, DeleteItem, BatchWriteItem), never reads them. */
    WRITE,
    /** Reads and writes items: the default for a table. */
    READ_WRITE,
    /** Sends messages: the default for a queue. */
    SEND,
    /**
     * The function gets only the name (or URL) and touches the resource through its own trigger alone: a source
     * table whose stream the event source mapping reads, a queue the event source mapping consumes (including
     * ChangeMessageVisibility on received messages). The trigger's grant is all the role holds on it.
     */
    TRIGGER_ONLY,
    /**
     * Receives, releases (ChangeMessageVisibility) and deletes messages itself, without a trigger: an operator's
     * inspection and redrive of a dead-letter queue.
     */
    CONSUME;

    /** Valid for a table. */
    public boolean forTables() {
        return this == READ || this == WRITE || this == READ_WRITE || this == TRIGGER_ONLY;
    }

    /** Valid for a queue. */
    public boolean forQueues() {
        return this == SEND || this == TRIGGER_ONLY || this == CONSUME;
    }
}

package dev.ben.sender.internal;

/** How notify orders its writes around the first POST. */
public enum NotifyMode {
    /**
     * Write the delivery PENDING (due now) before the POST, then its outcome: 3 DynamoDB writes per first-try
     * success (PENDING put, DELIVERED update, attempt row). A crash at any point leaves a PENDING delivery that the
     * sweeper re-drives after its grace period, even if the stream gives up on the record.
     */
    SAFE,
    /**
     * POST first, then create the delivery in its outcome state: 2 DynamoDB writes per first-try success (one
     * conditional put, one attempt row), 0 SQS requests. A crash between the POST and the write is covered only by
     * the stream's own retry of the batch (up to the trigger's maximumRetryAttempts / maximumRecordAge); after
     * that the record's metadata goes to the on-failure queue and the sweeper cannot see it.
     */
    FAST
}

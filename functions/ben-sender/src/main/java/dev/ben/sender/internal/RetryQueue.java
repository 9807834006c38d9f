package dev.ben.sender.internal;

import java.time.Duration;

/** The retry queue: messages carry only a delivery id (plus the token naming the live message). */
public interface RetryQueue {

    /**
     * Enqueues with a delay (SQS caps DelaySeconds at 900 s: the retry handler sends the next hop of a longer wait
     * when the message arrives before the delivery is due).
     */
    void send(String deliveryId, String queueToken, Duration delay);

    /** Copies a FAILED delivery to the dead-letter queue, with its reason. */
    void deadLetter(StoredDelivery delivery, String reason);

    /** Copies an unprocessable message body to the dead-letter queue, with the reason. */
    void deadLetterRaw(String body, String reason);
}

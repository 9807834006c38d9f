package dev.ben.settings;

import java.time.Duration;
import java.util.Optional;

/**
 * An SQS queue of the stack.
 *
 * @param logicalName       stable name (the physical queue name locally)
 * @param envVar            environment variable through which functions receive the queue URL
 * @param visibilityTimeout default visibility timeout
 * @param retention         message retention period (max 14 days)
 * @param deadLetterQueue   logical name of the redrive target, empty for none
 * @param maxReceiveCount   redrive maxReceiveCount (ignored without a dead-letter queue)
 */
public record QueueSpec(
        String logicalName,
        String envVar,
        Duration visibilityTimeout,
        Duration retention,
        String deadLetterQueue,
        int maxReceiveCount) {

    public Optional<String> redriveTarget() {
        return deadLetterQueue.isEmpty() ? Optional.empty() : Optional.of(deadLetterQueue);
    }
}

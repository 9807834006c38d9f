package dev.ben.settings;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What invokes a function. The local runtime, the CDK app and the SAM drift test all read these. */
public sealed interface Trigger {

    /** DynamoDB stream event source mapping. */
    record StreamTrigger(
            String table,
            int batchSize,
            Duration maxBatchingWindow,
            String startingPosition,
            boolean bisectBatchOnFunctionError,
            int maximumRetryAttempts,
            Duration maximumRecordAge,
            boolean reportBatchItemFailures,
            List<String> filterPatterns,
            String onFailureQueue,
            int parallelizationFactor) implements Trigger {

        public StreamTrigger {
            filterPatterns = List.copyOf(filterPatterns);
        }

        public Optional<String> onFailureDestination() {
            return onFailureQueue.isEmpty() ? Optional.empty() : Optional.of(onFailureQueue);
        }
    }

    /** SQS event source mapping. */
    record QueueTrigger(
            String queue,
            int batchSize,
            Duration maxBatchingWindow,
            boolean reportBatchItemFailures,
            int maximumConcurrency) implements Trigger {
    }

    /** EventBridge schedule: {@code rate(...)} or {@code cron(...)}. */
    record ScheduleTrigger(String ruleName, String expression) implements Trigger {
    }

    /** HTTP API (payload format 2.0) route, e.g. {@code GET /events/{eventId}}. */
    record HttpTrigger(String api, String method, String path, HttpAuth auth) implements Trigger {
    }

    /** How an HTTP route is authenticated in AWS. */
    enum HttpAuth {
        /** Public route; the function authenticates the request itself (webhook signatures). */
        NONE,
        /** AWS IAM (SigV4) authorizer. */
        IAM
    }
}

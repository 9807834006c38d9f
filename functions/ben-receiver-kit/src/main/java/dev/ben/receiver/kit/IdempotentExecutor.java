package dev.ben.receiver.kit;

import dev.ben.receiver.kit.IdempotencyStore.BeginOutcome;
import dev.ben.receiver.kit.internal.DynamoDbIdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs an action at most once to completion per key, with DynamoDB conditional writes (no transactions), as
 * Powertools' idempotency utility does:
 *
 * <ol>
 *   <li>claim the key with an IN_PROGRESS record whose lease expires after {@link Builder#inProgressExpiry};</li>
 *   <li>run the action; a 2xx/4xx response is stored (COMPLETED) and replayed to later duplicates;</li>
 *   <li>an exception or 5xx deletes the claim, so the next retry runs the action again;</li>
 *   <li>a crash leaves the claim, which a retry may take over once the lease has expired;</li>
 *   <li>a duplicate while the lease is held gets a retryable {@code 409} with {@code retry-after};</li>
 *   <li>records expire (TTL {@code expiresAt}) after {@link Builder#retention}, which must cover the sender's
 *       retry and replay window.</li>
 * </ol>
 *
 * Thread-safe. Build with {@link #builder()}.
 */
public final class IdempotentExecutor {

    /** Default lease of an in-progress execution; keep it above the handler's worst-case duration. */
    public static final Duration DEFAULT_IN_PROGRESS_EXPIRY = Duration.ofSeconds(60);
    /** Default lifetime of a record: the sender's ~24 h retry schedule plus a replay window. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private static final System.Logger LOG = System.getLogger(IdempotentExecutor.class.getName());

    private final IdempotencyStore store;
    private final Duration inProgressExpiry;
    private final Duration retention;
    private final Clock clock;

    private IdempotentExecutor(IdempotencyStore store, Duration inProgressExpiry, Duration retention, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        if (inProgressExpiry.isNegative() || inProgressExpiry.isZero()) {
            throw new IllegalArgumentException("inProgressExpiry must be positive");
        }
        if (retention.compareTo(inProgressExpiry) <= 0) {
            throw new IllegalArgumentException("retention must be longer than inProgressExpiry");
        }
        this.inProgressExpiry = inProgressExpiry;
        this.retention = retention;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code action} unless {@code key} was already completed (stored response replayed) or is in progress
     * elsewhere (409 + retry-after).
     */
    public WebhookResult execute(String key, Supplier<WebhookResponse> action) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(action, "action");
        Instant now = clock.instant();
        String leaseToken = UUID.randomUUID().toString();
        BeginOutcome outcome;
        try {
            outcome = store.begin(key, leaseToken, now, now.plus(inProgressExpiry), now.plus(retention));
        } catch (SdkException storeDown) {
            LOG.log(System.Logger.Level.WARNING, "idempotency store unavailable for {0}: {1}", key,
                    storeDown.getMessage());
            return new WebhookResult(Disposition.FAILED, WebhookResponse.json(503,
                    "{\"error\":\"idempotency_store_unavailable\",\"message\":\"try again later\"}")
                    .withHeader("retry-after", "5"));
        }
        return switch (outcome) {
            case BeginOutcome.Completed completed -> new WebhookResult(Disposition.REPLAYED,
                    completed.response().withHeader("idempotent-replayed", "true"));
            case BeginOutcome.HeldInProgress held -> inProgress(key, held.inProgressUntil(), now);
            case BeginOutcome.Acquired acquired -> run(key, leaseToken, action);
        };
    }

    private WebhookResult run(String key, String leaseToken, Supplier<WebhookResponse> action) {
        WebhookResponse response;
        try {
            response = Objects.requireNonNull(action.get(), "handler returned null");
        } catch (RuntimeException failure) {
            releaseQuietly(key, leaseToken);
            LOG.log(System.Logger.Level.WARNING, "handler failed for {0}; released for retry: {1}", key,
                    failure.toString());
            return new WebhookResult(Disposition.FAILED, WebhookResponse.json(500,
                    "{\"error\":\"handler_failed\",\"message\":\"processing failed; retry later\"}"));
        }
        if (response.statusCode() >= 500) {
            releaseQuietly(key, leaseToken);
            return new WebhookResult(Disposition.FAILED, response);
        }
        Instant now = clock.instant();
        try {
            if (!store.complete(key, leaseToken, response, now, now.plus(retention))) {
                LOG.log(System.Logger.Level.WARNING, "lease on {0} expired before completion and was taken over;"
                        + " raise inProgressExpiry above the handler's duration", key);
            }
        } catch (SdkException storeDown) {
            // The effect has happened: answer with it. The claim expires and a later duplicate may run again,
            // which the handler's own version guard must absorb.
            LOG.log(System.Logger.Level.WARNING, "could not record completion of {0}: {1}", key,
                    storeDown.getMessage());
        }
        return new WebhookResult(Disposition.EXECUTED, response);
    }

    private WebhookResult inProgress(String key, Instant until, Instant now) {
        long seconds = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
        return new WebhookResult(Disposition.IN_PROGRESS, WebhookResponse.json(409,
                        "{\"error\":\"in_progress\",\"message\":\"webhook " + Json.escape(key)
                                + " is being processed; retry later\"}")
                .withHeader("retry-after", Long.toString(seconds)));
    }

    private void releaseQuietly(String key, String leaseToken) {
        try {
            store.release(key, leaseToken);
        } catch (SdkException storeDown) {
            LOG.log(System.Logger.Level.WARNING, "could not release {0}; a retry runs after the lease expires: {1}",
                    key, storeDown.getMessage());
        }
    }

    /** Builder; the store ({@link #dynamoDb}) is required. */
    public static final class Builder {
        private IdempotencyStore store;
        private Duration inProgressExpiry = DEFAULT_IN_PROGRESS_EXPIRY;
        private Duration retention = DEFAULT_RETENTION;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Records in {@code table} (partition key {@code id} of type S, TTL on {@code expiresAt}). */
        public Builder dynamoDb(DynamoDbClient client, String table) {
            this.store = new DynamoDbIdempotencyStore(client, table);
            return this;
        }

        /** A custom store (tests, other databases). */
        public Builder store(IdempotencyStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** How long a claim blocks duplicates before a retry may take it over (crash recovery). */
        public Builder inProgressExpiry(Duration inProgressExpiry) {
            this.inProgressExpiry = Objects.requireNonNull(inProgressExpiry, "inProgressExpiry");
            return this;
        }

        /** How long completed records answer duplicates (TTL); cover the sender's retry + replay window. */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public IdempotentExecutor build() {
            if (store == null) {
                throw new IllegalStateException("an idempotency store is required: call dynamoDb(client, table)");
            }
            return new IdempotentExecutor(store, inProgressExpiry, retention, clock);
        }
    }
}

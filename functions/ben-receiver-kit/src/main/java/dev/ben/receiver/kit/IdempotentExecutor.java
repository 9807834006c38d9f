package dev.ben.receiver.kit;

import dev.ben.receiver.kit.IdempotencyStore.BeginOutcome;
import dev.ben.receiver.kit.internal.DynamoDbIdempotencyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs an action at most once to completion per id and scope, with DynamoDB conditional writes (no transactions),
 * as Powertools' idempotency utility does:
 *
 * <ol>
 *   <li>claim {@code <scope>#<id>} with an IN_PROGRESS record (and the payload's SHA-256) whose lease expires after
 *       {@link Builder#inProgressExpiry};</li>
 *   <li>run the action and store its answer according to the policy below;</li>
 *   <li>an exception or 5xx deletes the claim, so the next retry runs the action again;</li>
 *   <li>a crash leaves the claim, which a retry may take over once the lease has expired;</li>
 *   <li>a duplicate while the lease is held gets a retryable {@code 409} with {@code retry-after};</li>
 *   <li>a request under a used id with another payload gets {@code 422 payload_mismatch} (the handler does not
 *       run);</li>
 *   <li>records expire (TTL {@code expiresAt}) after {@link Builder#retention}, which must cover the sender's
 *       history and replay window.</li>
 * </ol>
 *
 * <table>
 * <caption>What is stored and replayed (the store policy)</caption>
 * <tr><th>the action answers</th><th>stored</th><th>a duplicate gets</th></tr>
 * <tr><td>2xx, body ≤ 64 KB</td><td>status, headers, body for {@code retention}</td>
 *     <td>the same + {@code idempotent-replayed: true}</td></tr>
 * <tr><td>2xx, body &gt; 64 KB</td><td>status, headers, body length and SHA-256, no body</td>
 *     <td>status and headers, empty body + {@code idempotent-body-omitted: <bytes>},
 *     {@code idempotent-body-sha256}</td></tr>
 * <tr><td>4xx</td><td>nothing by default (the claim is released: the sender retries 4xx, and a fixed receiver
 *     must get the chance to run); with {@link Builder#clientErrorRetention} d &gt; 0: as 2xx, for d</td>
 *     <td>a new run (default) or the stored 4xx within d</td></tr>
 * <tr><td>5xx or exception</td><td>nothing (released)</td><td>a new run</td></tr>
 * </table>
 *
 * Thread-safe. Build with {@link #builder()}.
 */
public final class IdempotentExecutor {

    /** Default lease of an in-progress execution; keep it above the handler's worst-case duration. */
    public static final Duration DEFAULT_IN_PROGRESS_EXPIRY = Duration.ofSeconds(60);
    /**
     * Default lifetime of a record: 35 days. The sender keeps a terminal delivery (replayable with {@code ben replay}
     * / {@code ben recover}, listed by the status API that reconcile reads) for its history retention, 30 days by
     * default, after it became terminal, which is at most twice the retry schedule (≈ 2 days) after the event.
     */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(35);
    /** Default: 4xx answers are not stored (the next delivery runs the handler again). */
    public static final Duration DEFAULT_CLIENT_ERROR_RETENTION = Duration.ZERO;
    /** Largest response body stored for replay (DynamoDB items are limited to 400 KB). */
    public static final int MAX_STORED_BODY_BYTES = 64 * 1024;
    /** Header on a replay whose original body was too large to store: its length in bytes. */
    public static final String BODY_OMITTED_HEADER = "idempotent-body-omitted";
    /** Header on a replay whose original body was too large to store: its SHA-256, base64. */
    public static final String BODY_SHA256_HEADER = "idempotent-body-sha256";

    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final System.Logger LOG = System.getLogger(IdempotentExecutor.class.getName());

    private final IdempotencyStore store;
    private final String scope;
    private final Duration inProgressExpiry;
    private final Duration retention;
    private final Duration clientErrorRetention;
    private final Clock clock;

    private IdempotentExecutor(Builder b) {
        this.store = Objects.requireNonNull(b.store, "store");
        if (b.scope == null) {
            throw new IllegalStateException("an idempotency scope is required: call scope(\"<handler name>\"),"
                    + " e.g. the receiver's name; two handlers on one table need two scopes");
        }
        if (b.inProgressExpiry.isNegative() || b.inProgressExpiry.isZero()) {
            throw new IllegalArgumentException("inProgressExpiry must be positive");
        }
        if (b.retention.compareTo(b.inProgressExpiry) <= 0) {
            throw new IllegalArgumentException("retention must be longer than inProgressExpiry");
        }
        if (b.clientErrorRetention.isNegative() || b.clientErrorRetention.compareTo(b.retention) > 0) {
            throw new IllegalArgumentException("clientErrorRetention must be between 0 and retention");
        }
        this.scope = b.scope;
        this.inProgressExpiry = b.inProgressExpiry;
        this.retention = b.retention;
        this.clientErrorRetention = b.clientErrorRetention;
        this.clock = Objects.requireNonNull(b.clock, "clock");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The scope of this executor's keys: records are {@code <scope>#<id>}. */
    public String scope() {
        return scope;
    }

    /** How long completed records answer duplicates. */
    public Duration retention() {
        return retention;
    }

    /** Runs {@code action} once per {@code id} in this scope, without a payload check. */
    public WebhookResult execute(String id, Supplier<WebhookResponse> action) {
        return run(id, "", action);
    }

    /**
     * Runs {@code action} unless {@code id} was already completed in this scope (stored response replayed), is in
     * progress elsewhere (409 + retry-after), or was used with another {@code payload} (422 payload_mismatch).
     */
    public WebhookResult execute(String id, byte[] payload, Supplier<WebhookResponse> action) {
        return run(id, payloadHash(Objects.requireNonNull(payload, "payload")), action);
    }

    /** SHA-256 of the payload, as stored with the record ({@code sha256:<base64>}). */
    public static String payloadHash(byte[] payload) {
        return "sha256:" + Base64.getEncoder().encodeToString(sha256(payload));
    }

    private WebhookResult run(String id, String payloadHash, Supplier<WebhookResponse> action) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        String key = scope + "#" + id;
        Instant now = clock.instant();
        String leaseToken = UUID.randomUUID().toString();
        BeginOutcome outcome;
        try {
            outcome = store.begin(key, payloadHash, leaseToken, now, now.plus(inProgressExpiry), now.plus(retention));
        } catch (SdkException storeDown) {
            LOG.log(System.Logger.Level.WARNING, "idempotency store unavailable for {0}: {1}", key,
                    storeDown.getMessage());
            return new WebhookResult(Disposition.FAILED, WebhookResponse.json(503,
                    "{\"error\":\"idempotency_store_unavailable\",\"message\":\"try again later\"}")
                    .withHeader("retry-after", "5"));
        }
        return switch (outcome) {
            case BeginOutcome.Completed completed -> mismatched(payloadHash, completed.payloadHash())
                    ? mismatch(id)
                    : new WebhookResult(Disposition.REPLAYED,
                            completed.response().withHeader("idempotent-replayed", "true"));
            case BeginOutcome.HeldInProgress held -> mismatched(payloadHash, held.payloadHash())
                    ? mismatch(id) : inProgress(id, held.inProgressUntil(), now);
            case BeginOutcome.Acquired acquired -> runClaimed(key, leaseToken, action);
        };
    }

    private static boolean mismatched(String ours, String stored) {
        return !ours.isEmpty() && !stored.isEmpty() && !ours.equals(stored);
    }

    private static WebhookResult mismatch(String id) {
        return new WebhookResult(Disposition.PAYLOAD_MISMATCH, WebhookResponse.json(422,
                "{\"error\":\"payload_mismatch\",\"message\":\"" + Json.escape(id)
                        + " was already received with another body; a message id must not be reused\"}"));
    }

    private WebhookResult runClaimed(String key, String leaseToken, Supplier<WebhookResponse> action) {
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
        boolean clientError = response.statusCode() >= 400;
        if (clientError && clientErrorRetention.isZero()) {
            releaseQuietly(key, leaseToken); // not cached: the sender's retry (or a replay) runs the handler again
            return new WebhookResult(Disposition.EXECUTED, response);
        }
        Instant now = clock.instant();
        try {
            if (!store.complete(key, leaseToken, storable(key, response), now,
                    now.plus(clientError ? clientErrorRetention : retention))) {
                LOG.log(System.Logger.Level.WARNING, "lease on {0} expired before completion and was taken over;"
                        + " raise inProgressExpiry above the handler''s duration", key); // '' : MessageFormat's quote
            }
        } catch (SdkException storeDown) {
            // The effect has happened: answer with it. The claim expires and a later duplicate may run again,
            // which the handler's own version guard must absorb.
            LOG.log(System.Logger.Level.WARNING, "could not record completion of {0}: {1}", key,
                    storeDown.getMessage());
        }
        return new WebhookResult(Disposition.EXECUTED, response);
    }

    /** The response as stored: bodies over {@link #MAX_STORED_BODY_BYTES} replaced by their length and hash. */
    static WebhookResponse storable(String key, WebhookResponse response) {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        if (body.length <= MAX_STORED_BODY_BYTES) {
            return response;
        }
        LOG.log(System.Logger.Level.INFO, "response body of {0} is {1} bytes, over {2}: stored without it;"
                + " duplicates get status and headers with " + BODY_OMITTED_HEADER, key, body.length,
                MAX_STORED_BODY_BYTES);
        return new WebhookResponse(response.statusCode(), "", response.headers())
                .withHeader(BODY_OMITTED_HEADER, Integer.toString(body.length))
                .withHeader(BODY_SHA256_HEADER, Base64.getEncoder().encodeToString(sha256(body)));
    }

    private WebhookResult inProgress(String id, Instant until, Instant now) {
        long seconds = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
        return new WebhookResult(Disposition.IN_PROGRESS, WebhookResponse.json(409,
                        "{\"error\":\"in_progress\",\"message\":\"webhook " + Json.escape(id)
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

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Builder; the store ({@link #dynamoDb}) and the {@link #scope} are required. */
    public static final class Builder {
        private IdempotencyStore store;
        private String scope;
        private Duration inProgressExpiry = DEFAULT_IN_PROGRESS_EXPIRY;
        private Duration retention = DEFAULT_RETENTION;
        private Duration clientErrorRetention = DEFAULT_CLIENT_ERROR_RETENTION;
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

        /**
         * The handler's name (1-64 of {@code [A-Za-z0-9._-]}): keys are {@code <scope>#<id>}, so two handlers
         * sharing a table both run for one message. Reconciliation must use the scope of the webhook it stands in
         * for, so that a reconciled event and its late webhook are one execution.
         */
        public Builder scope(String scope) {
            Objects.requireNonNull(scope, "scope");
            if (!SCOPE.matcher(scope).matches()) {
                throw new IllegalArgumentException("scope must be 1-64 of [A-Za-z0-9._-], was '" + scope + "'");
            }
            this.scope = scope;
            return this;
        }

        /** How long a claim blocks duplicates before a retry may take it over (crash recovery). */
        public Builder inProgressExpiry(Duration inProgressExpiry) {
            this.inProgressExpiry = Objects.requireNonNull(inProgressExpiry, "inProgressExpiry");
            return this;
        }

        /** How long completed records answer duplicates (TTL); cover the sender's history and replay window. */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * How long a 4xx answer is stored and replayed (default {@link Duration#ZERO}: not stored). A short window
         * (minutes) spares a storm of duplicates a re-run; a long one turns a receiver bug into a permanent answer.
         */
        public Builder clientErrorRetention(Duration clientErrorRetention) {
            this.clientErrorRetention = Objects.requireNonNull(clientErrorRetention, "clientErrorRetention");
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
            return new IdempotentExecutor(this);
        }
    }
}

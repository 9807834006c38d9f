package dev.ben.receiver.kit;

import dev.ben.core.webhooks.RejectionReason;
import dev.ben.core.webhooks.VerificationResult;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a webhook endpoint embeds: Standard Webhooks verification, then the user's handler run idempotently keyed
 * by the receiver's scope and {@code webhook-id}, with the body's SHA-256 checked against the first delivery's.
 *
 * <pre>{@code
 * WebhookReceiver receiver = WebhookReceiver.builder()
 *         .secrets("whsec_current...", "whsec_previous...")      // several during a rotation
 *         .idempotencyTable(dynamoDbClient, "receiver-idempotency")
 *         .scope("fulfilment")                                     // this handler's name: keys are fulfilment#<id>
 *         .build();
 *
 * WebhookResult result = receiver.handle(headers, rawBody, message -> {
 *     apply(message.bodyAsString());                              // your side effect
 *     return WebhookResponse.noContent();
 * });
 * // send result.response() back: statusCode, headers, body
 * }</pre>
 *
 * <ul>
 *   <li>Invalid signatures: 400 (missing or malformed headers) or 401 (stale/future timestamp, no matching
 *       signature) with {@code {"error":"<reason>","message":"..."}}; the handler does not run.</li>
 *   <li>First delivery: the handler runs; its 2xx response is stored and returned (4xx: returned, stored only
 *       with {@link Builder#clientErrorRetention}).</li>
 *   <li>Same {@code webhook-id} with another body: 422 {@code payload_mismatch}; the handler does not run.</li>
 *   <li>Duplicate after completion: the stored response, with {@code idempotent-replayed: true}.</li>
 *   <li>Duplicate while the first is still running: 409 with {@code retry-after}.</li>
 *   <li>Handler exception or 5xx: nothing stored, the sender's retry runs the handler again.</li>
 * </ul>
 */
public final class WebhookReceiver {

    private final WebhookVerifier verifier;
    private final IdempotentExecutor executor;

    private WebhookReceiver(WebhookVerifier verifier, IdempotentExecutor executor) {
        this.verifier = verifier;
        this.executor = executor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies and handles one request.
     *
     * @param headers request headers (names matched case-insensitively)
     * @param body    the raw request body, exactly as received
     * @param handler the user's processing
     */
    public WebhookResult handle(Map<String, String> headers, byte[] body, WebhookHandler handler) {
        Objects.requireNonNull(handler, "handler");
        byte[] raw = body == null ? new byte[0] : body;
        return switch (verifier.verify(headers, raw)) {
            case VerificationResult.Rejected rejected -> new WebhookResult(Disposition.REJECTED,
                    WebhookResponse.json(statusFor(rejected.reason()), "{\"error\":\""
                            + rejected.reason().name().toLowerCase(Locale.ROOT) + "\",\"message\":\""
                            + Json.escape(rejected.message()) + "\"}"));
            case VerificationResult.Verified verified -> executor.execute(verified.id(), raw,
                    () -> handler.handle(new WebhookMessage(verified.id(), verified.timestamp(), raw)));
        };
    }

    /** The executor, to run other work (e.g. reconciliation) through the same idempotency records. */
    public IdempotentExecutor executor() {
        return executor;
    }

    private static int statusFor(RejectionReason reason) {
        return switch (reason) {
            case MISSING_HEADER, MALFORMED_HEADER -> 400;
            case STALE_TIMESTAMP, FUTURE_TIMESTAMP, NO_MATCHING_SIGNATURE, BAD_SECRET_FORMAT -> 401;
        };
    }

    /** Builder: secrets (or a verifier) and an idempotency table (or executor) are required. */
    public static final class Builder {
        private final List<WebhookSecret> secrets = new ArrayList<>();
        private WebhookVerifier verifier;
        private IdempotentExecutor executor;
        private DynamoDbClient dynamoDb;
        private String table;
        private Duration tolerance = WebhookVerifier.DEFAULT_TOLERANCE;
        private Duration inProgressExpiry = IdempotentExecutor.DEFAULT_IN_PROGRESS_EXPIRY;
        private Duration retention = IdempotentExecutor.DEFAULT_RETENTION;
        private Duration clientErrorRetention = IdempotentExecutor.DEFAULT_CLIENT_ERROR_RETENTION;
        private String scope;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Signing secrets ({@code whsec_...}); several during a rotation. */
        public Builder secrets(String... encoded) {
            for (String text : encoded) {
                secrets.add(WebhookSecret.parse(text));
            }
            return this;
        }

        /** Signing secrets from one space-separated string (the {@code BEN_RECEIVER_SECRETS} format). */
        public Builder secretList(String spaceSeparated) {
            for (String text : spaceSeparated.strip().split("[\\s,]+")) {
                if (!text.isEmpty()) {
                    secrets.add(WebhookSecret.parse(text));
                }
            }
            return this;
        }

        /** A ready verifier instead of {@link #secrets}. */
        public Builder verifier(WebhookVerifier verifier) {
            this.verifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /** Idempotency records in this DynamoDB table (pk {@code id} S, TTL {@code expiresAt}). */
        public Builder idempotencyTable(DynamoDbClient client, String table) {
            this.dynamoDb = Objects.requireNonNull(client, "client");
            this.table = Objects.requireNonNull(table, "table");
            return this;
        }

        /** A ready executor instead of {@link #idempotencyTable}. */
        public Builder executor(IdempotentExecutor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Timestamp tolerance, both directions (default 5 minutes). */
        public Builder tolerance(Duration tolerance) {
            this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
            return this;
        }

        /** See {@link IdempotentExecutor.Builder#inProgressExpiry}. */
        public Builder inProgressExpiry(Duration inProgressExpiry) {
            this.inProgressExpiry = Objects.requireNonNull(inProgressExpiry, "inProgressExpiry");
            return this;
        }

        /** See {@link IdempotentExecutor.Builder#scope}; required with {@link #idempotencyTable}. */
        public Builder scope(String scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /** See {@link IdempotentExecutor.Builder#clientErrorRetention} (default: 4xx not stored). */
        public Builder clientErrorRetention(Duration clientErrorRetention) {
            this.clientErrorRetention = Objects.requireNonNull(clientErrorRetention, "clientErrorRetention");
            return this;
        }

        /** See {@link IdempotentExecutor.Builder#retention}. */
        public Builder retention(Duration retention) {
            this.retention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public WebhookReceiver build() {
            WebhookVerifier v = verifier != null ? verifier
                    : WebhookVerifier.builder().secrets(secrets).tolerance(tolerance).clock(clock).build();
            IdempotentExecutor e = executor;
            if (e == null) {
                if (dynamoDb == null) {
                    throw new IllegalStateException("call idempotencyTable(client, table) or executor(...)");
                }
                if (scope == null) {
                    throw new IllegalStateException("call scope(\"<handler name>\") with idempotencyTable(...):"
                            + " keys are <scope>#<webhook-id>, so handlers sharing a table do not shadow each other");
                }
                e = IdempotentExecutor.builder().dynamoDb(dynamoDb, table).scope(scope)
                        .inProgressExpiry(inProgressExpiry).retention(retention)
                        .clientErrorRetention(clientErrorRetention).clock(clock).build();
            }
            return new WebhookReceiver(v, e);
        }
    }
}

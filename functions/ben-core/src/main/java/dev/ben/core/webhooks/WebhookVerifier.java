package dev.ben.core.webhooks;

import dev.ben.core.webhooks.VerificationResult.Rejected;
import dev.ben.core.webhooks.VerificationResult.Verified;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies incoming webhooks per Standard Webhooks v1.
 *
 * <ul>
 *   <li>Several secrets may be configured (rotation): a message is accepted when any {@code v1} signature in
 *       {@code webhook-signature} matches any secret. Other signature versions (e.g. {@code v1a}) are ignored.</li>
 *   <li>The timestamp must be within the tolerance (default ±5 minutes) of the clock.</li>
 *   <li>Signatures are compared in constant time ({@link MessageDigest#isEqual}).</li>
 *   <li>Each rejection carries a {@link RejectionReason} and a message safe to log.</li>
 * </ul>
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder().secrets("whsec_...", "whsec_...").build();
 * VerificationResult result = verifier.verify(headers, body);
 * }</pre>
 *
 * Instances are immutable and thread-safe.
 */
public final class WebhookVerifier {

    /** Default tolerance, as in the specification and its reference libraries. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    /** Longest {@code webhook-signature} header accepted (bounds work per request). */
    static final int MAX_SIGNATURE_HEADER_LENGTH = 4096;

    private final List<WebhookSecret> secrets;
    private final Duration tolerance;
    private final Clock clock;

    private WebhookVerifier(Builder builder) {
        if (builder.secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one verification secret is required");
        }
        if (builder.tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative");
        }
        this.secrets = List.copyOf(builder.secrets);
        this.tolerance = builder.tolerance;
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Verifies with the given headers (names matched case-insensitively) and raw body bytes. */
    public VerificationResult verify(Map<String, String> headers, byte[] body) {
        Objects.requireNonNull(body, "body");
        String id = header(headers, WebhookHeaders.ID);
        String timestampText = header(headers, WebhookHeaders.TIMESTAMP);
        String signatureHeader = header(headers, WebhookHeaders.SIGNATURE);
        if (id == null || timestampText == null || signatureHeader == null) {
            return new Rejected(RejectionReason.MISSING_HEADER, "missing header(s):"
                    + (id == null ? " " + WebhookHeaders.ID : "")
                    + (timestampText == null ? " " + WebhookHeaders.TIMESTAMP : "")
                    + (signatureHeader == null ? " " + WebhookHeaders.SIGNATURE : ""));
        }
        String idProblem = WebhookIds.problem(id);
        if (!idProblem.isEmpty()) {
            return new Rejected(RejectionReason.MALFORMED_HEADER, idProblem);
        }
        long timestamp;
        try {
            timestamp = parseTimestamp(timestampText);
        } catch (NumberFormatException e) {
            return new Rejected(RejectionReason.MALFORMED_HEADER,
                    WebhookHeaders.TIMESTAMP + " must be integer seconds since the Unix epoch");
        }
        if (signatureHeader.length() > MAX_SIGNATURE_HEADER_LENGTH) {
            return new Rejected(RejectionReason.MALFORMED_HEADER,
                    WebhookHeaders.SIGNATURE + " is longer than " + MAX_SIGNATURE_HEADER_LENGTH + " characters");
        }
        long now = clock.instant().getEpochSecond();
        long toleranceSeconds = tolerance.toSeconds();
        if (timestamp < now - toleranceSeconds) {
            return new Rejected(RejectionReason.STALE_TIMESTAMP, WebhookHeaders.TIMESTAMP + " is "
                    + (now - timestamp) + " s old; tolerance is " + toleranceSeconds + " s");
        }
        if (timestamp > now + toleranceSeconds) {
            return new Rejected(RejectionReason.FUTURE_TIMESTAMP, WebhookHeaders.TIMESTAMP + " is "
                    + (timestamp - now) + " s in the future; tolerance is " + toleranceSeconds + " s");
        }
        List<byte[]> candidates = new ArrayList<>();
        boolean anyWellFormed = false;
        for (String token : signatureHeader.strip().split("\\s+")) {
            int comma = token.indexOf(',');
            if (comma <= 0 || comma == token.length() - 1) {
                continue;
            }
            anyWellFormed = true;
            if (!token.substring(0, comma).equals("v1")) {
                continue;
            }
            try {
                candidates.add(Base64.getDecoder().decode(token.substring(comma + 1)));
            } catch (IllegalArgumentException notBase64) {
                // a garbled v1 signature simply matches nothing
            }
        }
        if (!anyWellFormed) {
            return new Rejected(RejectionReason.MALFORMED_HEADER,
                    WebhookHeaders.SIGNATURE + " must be space-separated <version>,<base64> entries, e.g. v1,K5oZ...");
        }
        boolean matched = false;
        for (WebhookSecret secret : secrets) {
            byte[] expected = Hmac.v1(secret, id, timestamp, body);
            for (byte[] candidate : candidates) {
                // no early exit: the time taken does not depend on which secret or signature matched
                matched |= MessageDigest.isEqual(expected, candidate);
            }
        }
        if (!matched) {
            return new Rejected(RejectionReason.NO_MATCHING_SIGNATURE, "no v1 signature matches the "
                    + secrets.size() + " configured secret(s); body, id or timestamp altered, or wrong secret");
        }
        return new Verified(id, Instant.ofEpochSecond(timestamp));
    }

    /** Verifies a UTF-8 body. */
    public VerificationResult verify(Map<String, String> headers, String body) {
        return verify(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Like {@link #verify(Map, byte[])} but throws on rejection.
     *
     * @throws WebhookVerificationException carrying the {@link RejectionReason}
     */
    public Verified verifyOrThrow(Map<String, String> headers, byte[] body) {
        return switch (verify(headers, body)) {
            case Verified verified -> verified;
            case Rejected rejected -> throw new WebhookVerificationException(rejected.reason(), rejected.message());
        };
    }

    /** The configured tolerance. */
    public Duration tolerance() {
        return tolerance;
    }

    private static long parseTimestamp(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.length() > 18) {
            throw new NumberFormatException(text);
        }
        for (int i = 0; i < trimmed.length(); i++) {
            if (trimmed.charAt(i) < '0' || trimmed.charAt(i) > '9') {
                throw new NumberFormatException(text);
            }
        }
        return Long.parseLong(trimmed);
    }

    /** Case-insensitive header lookup; blank values count as absent. */
    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        String value = headers.get(name);
        if (value == null) {
            for (Map.Entry<String, String> entry : headers.entrySet()) {
                if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
                    value = entry.getValue();
                    break;
                }
            }
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** Builder; {@link #secrets} is required. */
    public static final class Builder {
        private final List<WebhookSecret> secrets = new ArrayList<>();
        private Duration tolerance = DEFAULT_TOLERANCE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Adds secrets in their textual form ({@code whsec_<base64>}); several during a rotation.
         *
         * @throws WebhookVerificationException with {@link RejectionReason#BAD_SECRET_FORMAT} for a bad one
         */
        public Builder secrets(String... encoded) {
            for (String text : encoded) {
                secrets.add(WebhookSecret.parse(text));
            }
            return this;
        }

        /** Adds parsed secrets. */
        public Builder secrets(List<WebhookSecret> parsed) {
            parsed.forEach(secret -> secrets.add(Objects.requireNonNull(secret, "secret")));
            return this;
        }

        /**
         * Adds secrets from one space- or comma-separated string (the {@code BEN_RECEIVER_SECRETS} format).
         */
        public Builder secretList(String spaceSeparated) {
            Objects.requireNonNull(spaceSeparated, "secrets");
            for (String text : spaceSeparated.strip().split("[\\s,]+")) {
                if (!text.isEmpty()) {
                    secrets.add(WebhookSecret.parse(text));
                }
            }
            return this;
        }

        /** Maximum allowed distance between the signed timestamp and now, both directions. */
        public Builder tolerance(Duration tolerance) {
            this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
            return this;
        }

        /** Clock used for the timestamp check (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public WebhookVerifier build() {
            return new WebhookVerifier(this);
        }
    }
}

package dev.ben.core.webhooks;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A Standard Webhooks symmetric secret: {@code whsec_} followed by the base64 of the key bytes.
 *
 * <p>{@link #toString()} never reveals the key. Parse with {@link #parse(String)}, create new ones with
 * {@link #generate()}.
 */
public final class WebhookSecret {

    /** Prefix of the textual form. */
    public static final String PREFIX = "whsec_";
    /** Key length of generated secrets; the spec asks for 24 to 64 bytes. */
    public static final int GENERATED_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /**
     * Parses {@code whsec_<base64>}; the prefix is optional, as in the reference libraries.
     *
     * @throws WebhookVerificationException with {@link RejectionReason#BAD_SECRET_FORMAT} when the text is
     *                                      blank or its base64 part does not decode to at least one byte
     */
    public static WebhookSecret parse(String text) {
        if (text == null || text.isBlank()) {
            throw new WebhookVerificationException(RejectionReason.BAD_SECRET_FORMAT,
                    "secret is empty; expected whsec_<base64>");
        }
        String encoded = text.strip();
        if (encoded.startsWith(PREFIX)) {
            encoded = encoded.substring(PREFIX.length());
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new WebhookVerificationException(RejectionReason.BAD_SECRET_FORMAT,
                    "secret is not whsec_ followed by standard base64 (" + e.getMessage() + ")");
        }
        if (key.length == 0) {
            throw new WebhookVerificationException(RejectionReason.BAD_SECRET_FORMAT,
                    "secret decodes to zero bytes; expected whsec_<base64 of 24..64 random bytes>");
        }
        return new WebhookSecret(key);
    }

    /** Wraps raw key bytes (copied). */
    public static WebhookSecret ofBytes(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new WebhookVerificationException(RejectionReason.BAD_SECRET_FORMAT, "secret key is empty");
        }
        return new WebhookSecret(key.clone());
    }

    /** A new random secret of {@value #GENERATED_BYTES} bytes from {@link SecureRandom}. */
    public static WebhookSecret generate() {
        byte[] key = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(key);
        return new WebhookSecret(key);
    }

    /** The textual form {@code whsec_<base64>}; treat it as a secret (never log it). */
    public String encoded() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    byte[] key() {
        return key;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookSecret other && java.security.MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "WebhookSecret[" + key.length + " bytes, redacted]";
    }
}

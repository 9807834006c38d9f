package dev.ben.core.webhooks;

/** Standard Webhooks header names (lower case; HTTP header names are case-insensitive). */
public final class WebhookHeaders {
    /** Unique message id, identical on every retry of the same message: the idempotency key. */
    public static final String ID = "webhook-id";
    /** Integer seconds since the Unix epoch at which the message was signed. */
    public static final String TIMESTAMP = "webhook-timestamp";
    /** Space-separated {@code v1,<base64 HMAC-SHA256>} signatures, one per active secret. */
    public static final String SIGNATURE = "webhook-signature";

    private WebhookHeaders() {
    }
}

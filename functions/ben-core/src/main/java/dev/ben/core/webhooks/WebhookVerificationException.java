package dev.ben.core.webhooks;

import java.util.Objects;

/** Thrown when a webhook cannot be verified or a secret cannot be parsed; {@link #reason()} says why. */
public final class WebhookVerificationException extends RuntimeException {

    private final RejectionReason reason;

    public WebhookVerificationException(RejectionReason reason, String message) {
        super(reason + ": " + message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectionReason reason() {
        return reason;
    }
}

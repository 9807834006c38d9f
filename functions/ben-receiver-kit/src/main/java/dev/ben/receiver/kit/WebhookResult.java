package dev.ben.receiver.kit;

import java.util.Objects;

/**
 * The answer to one request and how it was reached.
 *
 * @param disposition what happened (executed, replayed, in progress, rejected, failed)
 * @param response    what to send back over HTTP
 */
public record WebhookResult(Disposition disposition, WebhookResponse response) {
    public WebhookResult {
        Objects.requireNonNull(disposition, "disposition");
        Objects.requireNonNull(response, "response");
    }
}

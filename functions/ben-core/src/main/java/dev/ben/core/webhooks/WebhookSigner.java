package dev.ben.core.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Signs outgoing webhooks per Standard Webhooks v1: {@code webhook-signature: v1,<base64 HMAC-SHA256 of
 * id.timestamp.body>}, one signature per secret (two during a rotation), space separated.
 */
public final class WebhookSigner {

    private final List<WebhookSecret> secrets;
    private final Clock clock;

    private WebhookSigner(List<WebhookSecret> secrets, Clock clock) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one signing secret is required");
        }
        this.secrets = List.copyOf(secrets);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A signer using the system UTC clock. */
    public static WebhookSigner of(List<WebhookSecret> secrets) {
        return new WebhookSigner(secrets, Clock.systemUTC());
    }

    /** A signer using {@code secrets} and {@code clock} for the timestamp. */
    public static WebhookSigner of(List<WebhookSecret> secrets, Clock clock) {
        return new WebhookSigner(secrets, clock);
    }

    /** A signer for one secret. */
    public static WebhookSigner of(WebhookSecret secret) {
        return of(List.of(secret));
    }

    /** Signs {@code body} now (per the clock). */
    public SignedHeaders sign(String id, byte[] body) {
        return sign(id, clock.instant(), body);
    }

    /** Signs {@code body} (UTF-8) now (per the clock). */
    public SignedHeaders sign(String id, String body) {
        return sign(id, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs {@code body} with the given timestamp (truncated to whole seconds). */
    public SignedHeaders sign(String id, Instant timestamp, byte[] body) {
        WebhookIds.requireValid(id);
        Objects.requireNonNull(body, "body");
        long seconds = timestamp.getEpochSecond();
        String signature = secrets.stream()
                .map(secret -> "v1," + Base64.getEncoder().encodeToString(Hmac.v1(secret, id, seconds, body)))
                .collect(Collectors.joining(" "));
        return new SignedHeaders(id, seconds, signature);
    }
}

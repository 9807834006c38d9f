package dev.ben.receiver.kit;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What goes back to the sender: status code, body and headers. Handlers return one; the receiver stores the
 * status and body of a completed execution and answers duplicates with them.
 *
 * @param statusCode HTTP status code (100..599)
 * @param body       response body, never {@code null}
 * @param headers    extra response headers (e.g. {@code content-type}, {@code retry-after})
 */
public record WebhookResponse(int statusCode, String body, Map<String, String> headers) {

    public WebhookResponse {
        if (statusCode < 100 || statusCode > 599) {
            throw new IllegalArgumentException("statusCode must be 100..599, was " + statusCode);
        }
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    /** A response with a body of the given content type. */
    public static WebhookResponse of(int statusCode, String contentType, String body) {
        return new WebhookResponse(statusCode, body, Map.of("content-type", contentType));
    }

    /** A JSON response. */
    public static WebhookResponse json(int statusCode, String json) {
        return of(statusCode, "application/json", json);
    }

    /** 200 with a JSON body. */
    public static WebhookResponse ok(String json) {
        return json(200, json);
    }

    /** 204 No Content. */
    public static WebhookResponse noContent() {
        return new WebhookResponse(204, "", Map.of());
    }

    /** Whether the status is 2xx. */
    public boolean successful() {
        return statusCode >= 200 && statusCode < 300;
    }

    /** A copy with one more header. */
    public WebhookResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name.toLowerCase(Locale.ROOT), value);
        return new WebhookResponse(statusCode, body, copy);
    }
}

package dev.ben.local.stack.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the layer received it: method, request target (raw path and query, as sent), headers and
 * body. Forwarding it to dynalite keeps all of that except the connection-specific headers.
 */
public record LayerRequest(String method, String target, List<Header> headers, byte[] body) {

    public LayerRequest {
        headers = List.copyOf(headers);
    }

    /** The first value of a header, or {@code null} when absent or empty (as Node.js treats an empty value). */
    String header(String name) {
        String value = Header.first(headers, name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The media type of Content-Type as dynalite reads it: the part before {@code ;}, trimmed, case kept. */
    String mediaType() {
        String contentType = header("Content-Type");
        return contentType == null ? "" : contentType.split(";", 2)[0].trim();
    }

    /** The same request with another body (Content-Length follows the body when it is sent). */
    LayerRequest withBody(byte[] newBody) {
        return new LayerRequest(method, target, headers, newBody);
    }

    /**
     * The query string's parameters, decoded like Node.js's {@code querystring} ({@code +} is a space, a bad
     * escape stays as written); the first value of a repeated name wins.
     */
    Map<String, String> queryParameters() {
        int question = target.indexOf('?');
        Map<String, String> parameters = new HashMap<>();
        if (question < 0) {
            return parameters;
        }
        for (String pair : target.substring(question + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.putIfAbsent(name, value);
        }
        return parameters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return text;
        }
    }
}

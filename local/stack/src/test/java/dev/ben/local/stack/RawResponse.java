package dev.ben.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Status, headers (names compare case-insensitively) and body of a {@link RawRequest}'s answer. */
record RawResponse(int status, HttpHeaders headers, byte[] body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text(), e);
        }
    }

    /** The error code of a JSON error answer, e.g. {@code MissingAuthenticationTokenException}. */
    String errorCode() {
        String type = json().path("__type").asText();
        return type.substring(type.indexOf('#') + 1);
    }

    @Override
    public String toString() {
        return status + " " + headers.map() + " " + (body.length > 500 ? body.length + " bytes" : text());
    }
}

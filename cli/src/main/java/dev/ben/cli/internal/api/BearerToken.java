package dev.ben.cli.internal.api;

import java.net.URI;
import java.util.Map;

/** {@code Authorization: Bearer <token>}: the local stack's management API (printed by {@code ./ben-local}). */
public record BearerToken(String token) implements RequestAuthorizer {

    public BearerToken {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("the management API token is empty");
        }
        token = token.strip();
    }

    @Override
    public Map<String, String> headers(String method, URI uri, byte[] body) {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Override
    public String toString() {
        return "BearerToken[…]"; // never print the token
    }
}

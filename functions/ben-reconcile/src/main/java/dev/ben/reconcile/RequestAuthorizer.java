package dev.ben.reconcile;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Authenticates a status API request: returns the headers to add to a body-less request for {@code method} and
 * {@code uri}. Locally a bearer token ({@link #bearer}); in AWS a SigV4 signature for the IAM-protected HTTP API
 * ({@link SigV4RequestSigner}).
 */
public interface RequestAuthorizer {

    Map<String, String> headers(String method, URI uri);

    /** {@code Authorization: Bearer <token>}, for the local stack's token-protected status API. */
    static RequestAuthorizer bearer(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("bearer token must not be blank");
        }
        return (method, uri) -> Map.of("Authorization", "Bearer " + token);
    }
}

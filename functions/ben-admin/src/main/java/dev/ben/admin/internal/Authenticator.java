package dev.ben.admin.internal;

import dev.ben.settings.EnvVars;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may call: in AWS API Gateway's IAM authorizer has checked the SigV4 signature before the function runs (the
 * request context says so); without it (the local stack) the bearer token of {@value EnvVars#MANAGEMENT_API_TOKEN}
 * is required, compared in constant time. No token configured and no IAM: every request is refused.
 */
public final class Authenticator {

    private static final String BEARER = "Bearer ";

    private final Optional<String> token;

    public Authenticator(Optional<String> token) {
        this.token = token.filter(t -> !t.isBlank());
    }

    /** @throws ApiException 401 with what is missing */
    public void check(ApiRequest request) {
        if (request.iamCaller()) {
            return;
        }
        if (token.isEmpty()) {
            throw unauthorized("the request is not IAM-signed and no bearer token is configured ("
                    + EnvVars.MANAGEMENT_API_TOKEN + ")");
        }
        String given = request.header("authorization").orElse("");
        if (!given.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized("missing 'Authorization: Bearer <token>' (./ben-local prints the token)");
        }
        byte[] presented = given.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, token.get().getBytes(StandardCharsets.UTF_8))) {
            throw unauthorized("wrong bearer token");
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, ApiException.UNAUTHORIZED, message, null);
    }
}

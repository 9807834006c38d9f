package dev.ben.admin.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key} on create calls. The first request with a key claims it with a conditional write (two
 * concurrent retries: one claims, the other is told the first is running); its 2xx response is kept for
 * {@link #KEPT_FOR} and answered again to every retry of the same method, path and body. Another request under the
 * same key is refused (422); a failed request gives the key up, so a retry runs again. Keys are scoped by the path's
 * tenant, so two tenants never see each other's keys or responses.
 *
 * <table>
 * <caption>Outcomes</caption>
 * <tr><th>stored under the key</th><th>answer</th></tr>
 * <tr><td>nothing (or expired)</td><td>run the operation; keep a 2xx, release otherwise</td></tr>
 * <tr><td>same request, completed</td><td>the kept response, header {@code idempotent-replayed: true}</td></tr>
 * <tr><td>same request, running</td><td>409 {@code idempotency_in_progress}, {@code retry-after: 1}</td></tr>
 * <tr><td>another request</td><td>422 {@code idempotency_key_reused}</td></tr>
 * </table>
 */
public final class Idempotency {

    public static final String HEADER = "idempotency-key";
    public static final Duration KEPT_FOR = Duration.ofHours(24);
    /** A claim this old whose request never finished (the function died) may be taken over. */
    public static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final IdempotencyStore store;
    private final Clock clock;

    public Idempotency(IdempotencyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Operation wrap(Operation operation) {
        return request -> {
            Optional<String> key = request.header(HEADER);
            return key.isEmpty() ? operation.handle(request) : once(scoped(request, key.get()), request, operation);
        };
    }

    private ApiResponse once(String key, ApiRequest request, Operation operation) {
        String fingerprint = fingerprint(request);
        Instant now = clock.instant();
        Optional<IdempotencyStore.Stored> held = store.claim(key, fingerprint, now, now.minus(CLAIM_TIMEOUT),
                now.plus(KEPT_FOR));
        if (held.isPresent()) {
            return answer(held.get(), fingerprint);
        }
        ApiResponse response;
        try {
            response = operation.handle(request);
        } catch (RuntimeException e) {
            store.release(key);
            throw e;
        }
        if (response.succeeded()) {
            store.complete(key, response.status(), response.body());
        } else {
            store.release(key);
        }
        return response;
    }

    private static ApiResponse answer(IdempotencyStore.Stored held, String fingerprint) {
        if (!held.fingerprint().equals(fingerprint)) {
            throw new ApiException(422, ApiException.KEY_REUSED, "this Idempotency-Key was used for another request "
                    + "(another path or body); use a new key for a new request", "Idempotency-Key");
        }
        if (!held.completed()) {
            return new ApiException(409, ApiException.IN_PROGRESS, "the first request with this Idempotency-Key is "
                    + "still running; retry in a second", "Idempotency-Key").response().withHeader("retry-after", "1");
        }
        return new ApiResponse(held.status(), Map.of("idempotent-replayed", "true"), held.body());
    }

    private static String scoped(ApiRequest request, String key) {
        if (!KEY.matcher(key).matches()) {
            throw ApiException.invalid("Idempotency-Key", "Idempotency-Key must be 1-255 visible ASCII characters");
        }
        String tenant = request.pathParameters().getOrDefault("tenantId", "");
        return (tenant.isEmpty() ? "-" : "t:" + tenant) + "|" + key;
    }

    /** The request's method, path and body (parsed, so insignificant whitespace does not count). */
    private static String fingerprint(ApiRequest request) {
        String body = request.body().isBlank() ? "" : ApiJson.read(request.body()).toString();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((request.method() + " " + request.path() + "\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

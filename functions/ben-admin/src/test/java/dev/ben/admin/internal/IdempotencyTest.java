package dev.ben.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The decision table of {@link Idempotency}, over a store in memory (the DynamoDB store is covered by IdempotencyIT). */
class IdempotencyTest {

    /** Claims, completions and releases in a map, with the same semantics as the conditional writes. */
    private static final class MemoryStore implements IdempotencyStore {
        final Map<String, Stored> items = new HashMap<>();

        @Override
        public Optional<Stored> claim(String key, String fingerprint, Instant now, Instant lockedUntil,
                                      Instant expiresAt) {
            Stored held = items.get(key);
            if (held != null) {
                return Optional.of(held);
            }
            items.put(key, new Stored(fingerprint, false, 0, ""));
            return Optional.empty();
        }

        @Override
        public void complete(String key, int status, String body) {
            items.computeIfPresent(key, (k, s) -> new Stored(s.fingerprint(), true, status, body));
        }

        @Override
        public void release(String key) {
            items.computeIfPresent(key, (k, s) -> s.completed() ? s : null);
        }
    }

    private final MemoryStore store = new MemoryStore();
    private final Idempotency idempotency = new Idempotency(store,
            Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
    private final AtomicInteger runs = new AtomicInteger();
    private final Operation create = idempotency.wrap(r -> ApiResponse.json(201, Map.of("n", runs.incrementAndGet())));

    private static ApiRequest post(String tenant, String body, String key) {
        Map<String, String> headers = key == null ? Map.of() : Map.of("idempotency-key", key);
        return new ApiRequest("POST", "/v1/tenants/" + tenant + "/endpoints", Map.of("tenantId", tenant), Map.of(),
                headers, body, true);
    }

    @Test
    void aRetry_getsTheFirstResponse_withoutRunningAgain() {
        ApiResponse first = create.handle(post("t", "{\"a\":1}", "k"));
        ApiResponse retry = create.handle(post("t", "{ \"a\" : 1 }", "k"));

        assertThat(runs).hasValue(1);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers()).containsEntry("idempotent-replayed", "true");
    }

    @Test
    void withoutAKey_everyCallRuns() {
        create.handle(post("t", "{}", null));
        create.handle(post("t", "{}", null));

        assertThat(runs).hasValue(2);
    }

    @Test
    void theKeyForAnotherBody_is422_andRunsNothing() {
        create.handle(post("t", "{\"a\":1}", "k"));

        assertThatThrownBy(() -> create.handle(post("t", "{\"a\":2}", "k")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThat(runs).hasValue(1);
    }

    @Test
    void whileTheFirstRuns_aRetryIs409WithRetryAfter() {
        store.items.put("t:t|k", new IdempotencyStore.Stored(fingerprintOf("{}"), false, 0, ""));

        ApiResponse busy = create.handle(post("t", "{}", "k"));

        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.body()).contains("idempotency_in_progress");
        assertThat(busy.headers()).containsEntry("retry-after", "1");
        assertThat(runs).hasValue(0);
    }

    @Test
    void aFailure_releasesTheKey_soARetryRunsAgain() {
        AtomicInteger attempts = new AtomicInteger();
        Operation flaky = idempotency.wrap(r -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("AWS down");
            }
            return ApiResponse.json(201, Map.of());
        });
        Operation refused = idempotency.wrap(r -> ApiException.invalid("url", "bad").response());

        assertThatThrownBy(() -> flaky.handle(post("t", "{}", "f"))).isInstanceOf(IllegalStateException.class);
        ApiResponse second = flaky.handle(post("t", "{}", "f"));
        refused.handle(post("t", "{}", "r"));

        assertThat(second.status()).isEqualTo(201);
        assertThat(attempts).hasValue(2);
        assertThat(store.items).doesNotContainKey("t:t|r");
    }

    @Test
    void keysAreScopedByTheTenantInThePath() {
        create.handle(post("a", "{}", "k"));
        create.handle(post("b", "{}", "k"));

        assertThat(runs).hasValue(2);
        assertThat(store.items).containsOnlyKeys("t:a|k", "t:b|k");
    }

    @Test
    void aMalformedKey_isRefused() {
        assertThatThrownBy(() -> create.handle(post("t", "{}", "has space")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        assertThatThrownBy(() -> create.handle(post("t", "{}", "x".repeat(256)))).isInstanceOf(ApiException.class);
    }

    /** What the wrapper stores for a POST of {@code body} to tenant t's endpoints (the first claim's fingerprint). */
    private String fingerprintOf(String body) {
        MemoryStore probe = new MemoryStore();
        new Idempotency(probe, Clock.systemUTC()).wrap(r -> ApiResponse.json(201, Map.of()))
                .handle(post("t", body, "k"));
        return probe.items.get("t:t|k").fingerprint();
    }
}

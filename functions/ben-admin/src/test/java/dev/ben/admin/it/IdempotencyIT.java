package dev.ben.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdempotencyIT {

    private final LocalAws aws;
    private ApiStack stack;
    private ApiClient api;
    private Receiver receiver;

    IdempotencyIT(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() {
        stack = ApiStack.start(aws);
        api = new ApiClient(stack.baseUri(), ApiStack.TOKEN);
        receiver = new Receiver();
    }

    @AfterAll
    void stop() {
        receiver.close();
        stack.close();
    }

    private String body() {
        return "{\"url\":\"" + receiver.url("/hook") + "\",\"eventTypes\":[\"a\"]}";
    }

    private int endpointsOf(String tenant) {
        return api.get("/v1/tenants/" + tenant + "/endpoints?limit=500").json().get("items").size();
    }

    @Test
    void aRetriedCreate_getsTheFirstResponse_andCreatesNothingNew() {
        Map<String, String> key = Map.of("Idempotency-Key", "create-once-1");

        var first = api.post("/v1/tenants/t-idem/endpoints", body(), key);
        var retry = api.post("/v1/tenants/t-idem/endpoints", body(), key);
        var withoutKey = api.post("/v1/tenants/t-idem/endpoints", body());

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(retry.headers().get("idempotent-replayed")).isEqualTo("true");
        assertThat(first.headers()).doesNotContainKey("idempotent-replayed");
        assertThat(withoutKey.json().get("endpointId").asText())
                .isNotEqualTo(first.json().get("endpointId").asText());
        assertThat(endpointsOf("t-idem")).isEqualTo(2);
    }

    @Test
    void theSameKeyForAnotherBody_isRefused_andCreatesNothing() {
        Map<String, String> key = Map.of("Idempotency-Key", "reused-1");
        api.post("/v1/tenants/t-reuse/endpoints", body(), key);

        var other = api.post("/v1/tenants/t-reuse/endpoints",
                "{\"url\":\"" + receiver.url("/other") + "\",\"eventTypes\":[\"b\"]}", key);

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(endpointsOf("t-reuse")).isEqualTo(1);
    }

    @Test
    void keysAreScopedByTenant() {
        Map<String, String> key = Map.of("Idempotency-Key", "same-key-two-tenants");

        var a = api.post("/v1/tenants/t-scope-a/endpoints", body(), key);
        var b = api.post("/v1/tenants/t-scope-b/endpoints", body(), key);

        assertThat(a.status()).isEqualTo(201);
        assertThat(b.status()).isEqualTo(201);
        assertThat(b.json().get("endpointId").asText()).isNotEqualTo(a.json().get("endpointId").asText());
        assertThat(b.json().get("tenantId").asText()).isEqualTo("t-scope-b");
    }

    @Test
    void aFailedCreate_isNotRemembered_soTheFixedRetryRuns() {
        Map<String, String> key = Map.of("Idempotency-Key", "fails-first");
        String blocked = "{\"url\":\"http://169.254.169.254/x\",\"eventTypes\":[\"a\"]}";

        var refused = api.post("/v1/tenants/t-fail/endpoints", blocked, key);
        var retried = api.post("/v1/tenants/t-fail/endpoints", blocked, key);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(retried.status()).isEqualTo(400);
        assertThat(retried.headers()).doesNotContainKey("idempotent-replayed");
        assertThat(endpointsOf("t-fail")).isZero();
    }

    @Test
    void concurrentRetriesWithOneKey_createOneEndpoint() throws Exception {
        Map<String, String> key = Map.of("Idempotency-Key", "concurrent-1");
        int callers = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ApiClient.Reply>> replies = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
            for (int i = 0; i < callers; i++) {
                replies.add(pool.submit(() -> {
                    go.await();
                    return api.post("/v1/tenants/t-race/endpoints", body(), key);
                }));
            }
            go.countDown();
        }
        List<ApiClient.Reply> done = new ArrayList<>();
        for (Future<ApiClient.Reply> f : replies) {
            done.add(f.get());
        }
        var settled = api.post("/v1/tenants/t-race/endpoints", body(), key);

        assertThat(done).allSatisfy(r -> assertThat(r.status()).isIn(201, 409));
        assertThat(done).filteredOn(r -> r.status() == 409)
                .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo("idempotency_in_progress"));
        assertThat(done.stream().filter(r -> r.status() == 201).map(r -> r.json().get("endpointId").asText())
                .distinct()).hasSize(1);
        assertThat(settled.status()).isEqualTo(201);
        assertThat(endpointsOf("t-race")).isEqualTo(1);
    }
}

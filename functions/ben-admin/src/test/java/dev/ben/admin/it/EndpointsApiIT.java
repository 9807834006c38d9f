package dev.ben.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointsApiIT {

    private final LocalAws aws;
    private ApiStack stack;
    private ApiClient api;
    private Receiver receiver;

    EndpointsApiIT(LocalAws aws) {
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

    private String create(String tenant, String id) {
        var created = api.post("/v1/tenants/" + tenant + "/endpoints", "{\"endpointId\":\"" + id + "\",\"url\":\""
                + receiver.url("/" + id) + "\",\"eventTypes\":[\"invoice.settled\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("secret").asText();
    }

    @Test
    void create_showsTheSecretOnce_andReadsNeverShowIt() {
        var created = api.post("/v1/tenants/t-create/endpoints", "{\"url\":\"" + receiver.url("/hook")
                + "\",\"eventTypes\":[\"invoice.settled\",\"invoice.voided\"],\"rateLimitPerSecond\":5,"
                + "\"retrySchedule\":\"5s,1m\",\"headers\":{\"X-Partner\":\"acme\"}}");
        String id = created.json().get("endpointId").asText();

        var read = api.get("/v1/tenants/t-create/endpoints/" + id);

        assertThat(created.status()).isEqualTo(201);
        assertThat(id).startsWith("ep_");
        assertThat(created.json().get("secret").asText()).startsWith("whsec_");
        assertThat(created.json().get("tenantId").asText()).isEqualTo("t-create");
        assertThat(read.json().has("secret")).isFalse();
        assertThat(read.body()).doesNotContain(created.json().get("secret").asText());
        assertThat(read.json().get("headers").get("X-Partner").asText()).isEqualTo("acme");
        assertThat(read.json().get("retrySchedule").asText()).isEqualTo("5s,1m");
        assertThat(read.json().get("rateLimitPerSecond").asInt()).isEqualTo(5);
        assertThat(read.json().get("eventTypes")).hasSize(2);
    }

    @Test
    void endpointsWithoutATenant_liveUnderTheReservedSegment() {
        create("_", "ep_none_1");

        var read = api.get("/v1/tenants/_/endpoints/ep_none_1");
        var asTenant = api.get("/v1/tenants/t-other/endpoints/ep_none_1");

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("tenantId").isNull()).isTrue();
        assertThat(asTenant.status()).isEqualTo(404);
    }

    @Test
    void list_paginatesWithAnOpaqueCursor_overOneTenantsEndpointsOnly() {
        for (int i = 1; i <= 5; i++) {
            create("t-list", "ep_list_" + i);
        }
        create("t-list-other", "ep_list_foreign");

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = api.get("/v1/tenants/t-list/endpoints?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.json().get("items").forEach(e -> seen.add(e.get("endpointId").asText()));
            assertThat(page.json().get("items").size()).isLessThanOrEqualTo(2);
            cursor = page.json().get("nextCursor").isNull() ? null : page.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).containsExactlyInAnyOrder("ep_list_1", "ep_list_2", "ep_list_3", "ep_list_4", "ep_list_5");
        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(api.invalid("GET", "/v1/tenants/t-list/endpoints?cursor=garbage", null).errorCode())
                .isEqualTo("invalid_request");
    }

    @Test
    void patch_changesOnlyWhatIsGiven_andNullGoesBackToTheDefaultSchedule() {
        api.post("/v1/tenants/t-patch/endpoints", "{\"endpointId\":\"ep_patch\",\"url\":\"" + receiver.url("/a")
                + "\",\"eventTypes\":[\"a\"],\"retrySchedule\":\"5s\",\"headers\":{\"X-One\":\"1\"}}");

        var changed = api.patch("/v1/tenants/t-patch/endpoints/ep_patch", "{\"url\":\"" + receiver.url("/b")
                + "\",\"retrySchedule\":null,\"headers\":{\"X-Two\":\"2\"}}");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("url").asText()).isEqualTo(receiver.url("/b"));
        assertThat(changed.json().get("retrySchedule").isNull()).isTrue();
        assertThat(changed.json().get("eventTypes").get(0).asText()).isEqualTo("a");
        assertThat(changed.json().get("headers").properties()).hasSize(1);
        assertThat(changed.json().get("headers").get("X-Two").asText()).isEqualTo("2");
        assertThat(api.patch("/v1/tenants/t-patch/endpoints/ep_patch", "{\"headers\":{}}").json().get("headers")
                .isEmpty()).isTrue();
    }

    @Test
    void disableEnableAndDelete() {
        create("t-state", "ep_state");

        var disabled = api.post("/v1/tenants/t-state/endpoints/ep_state/disable", "{\"reason\":\"maintenance\"}");
        var enabled = api.post("/v1/tenants/t-state/endpoints/ep_state/enable", null);
        var deleted = api.delete("/v1/tenants/t-state/endpoints/ep_state");
        var gone = api.get("/v1/tenants/t-state/endpoints/ep_state");

        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(disabled.json().get("disabledReason").asText()).contains("maintenance");
        assertThat(enabled.json().get("enabled").asBoolean()).isTrue();
        assertThat(enabled.json().get("disabledReason").isNull()).isTrue();
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(gone.status()).isEqualTo(404);
    }

    @Test
    void rotate_addsASecretShownOnce_bothCountUntilRetired() {
        String first = create("t-rotate", "ep_rotate");

        var rotated = api.post("/v1/tenants/t-rotate/endpoints/ep_rotate/secret/rotate", null);
        var again = api.post("/v1/tenants/t-rotate/endpoints/ep_rotate/secret/rotate", "{}");
        var retired = api.post("/v1/tenants/t-rotate/endpoints/ep_rotate/secret/retire", null);
        var retireAgain = api.post("/v1/tenants/t-rotate/endpoints/ep_rotate/secret/retire", null);

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("secret").asText()).startsWith("whsec_").isNotEqualTo(first);
        assertThat(rotated.json().get("secretCount").asInt()).isEqualTo(2);
        assertThat(again.status()).isEqualTo(409);
        assertThat(retired.json().get("secretCount").asInt()).isEqualTo(1);
        assertThat(retired.json().has("secret")).isFalse();
        assertThat(retireAgain.status()).isEqualTo(409);
    }

    @Test
    void badInput_getsA400NamingTheField_andChangesNothing() {
        create("t-bad", "ep_bad");
        String before = api.get("/v1/tenants/t-bad/endpoints").body();
        String path = "/v1/tenants/t-bad/endpoints";

        Map<String, JsonNode> refused = Map.of(
                "unknown field", api.invalid("POST", path, "{\"url\":\"" + receiver.url("/x")
                        + "\",\"eventTypes\":[\"a\"],\"colour\":\"red\"}").json(),
                "bad url", api.invalid("POST", path, "{\"url\":\"ftp://example.com/x\",\"eventTypes\":[\"a\"]}").json(),
                "blocked host", api.invalid("POST", path,
                        "{\"url\":\"http://169.254.169.254/latest/meta-data\",\"eventTypes\":[\"a\"]}").json(),
                "bad secret", api.invalid("POST", path, "{\"url\":\"" + receiver.url("/x")
                        + "\",\"eventTypes\":[\"a\"],\"secret\":\"not-a-secret\"}").json(),
                "reserved header", api.invalid("PATCH", path + "/ep_bad",
                        "{\"headers\":{\"webhook-signature\":\"v1,forged\"}}").json(),
                "oversized headers", api.invalid("PATCH", path + "/ep_bad",
                        "{\"headers\":{\"X-Big\":\"" + "a".repeat(2000) + "\"}}").json(),
                "bad event type", api.invalid("POST", path, "{\"url\":\"" + receiver.url("/x")
                        + "\",\"eventTypes\":[\"has space\"]}").json());

        assertThat(refused.get("unknown field").path("error").path("code").asText()).isEqualTo("unknown_field");
        assertThat(refused.get("bad url").path("error").path("field").asText()).isEqualTo("url");
        assertThat(refused.get("blocked host").path("error").path("field").asText()).isEqualTo("url");
        assertThat(refused.get("blocked host").path("error").path("message").asText()).contains("169.254.169.254");
        assertThat(refused.get("bad secret").path("error").path("field").asText()).isEqualTo("secret");
        assertThat(refused.get("reserved header").path("error").path("message").asText())
                .contains("set by Ben and cannot be overridden");
        assertThat(refused.get("oversized headers").path("error").path("field").asText()).isEqualTo("headers");
        assertThat(refused.get("bad event type").path("error").path("field").asText()).isEqualTo("eventTypes");
        assertThat(api.get("/v1/tenants/t-bad/endpoints").body()).isEqualTo(before);
    }

    @Test
    void anOversizedBody_is413_andCreatesNothing() {
        String big = "{\"url\":\"" + receiver.url("/x") + "\",\"eventTypes\":[\"a\"],\"endpointId\":\"ep_big\","
                + "\"retrySchedule\":\"" + "1s,".repeat(100_000) + "1s\"}";

        var refused = api.invalid("POST", "/v1/tenants/t-big/endpoints", big);

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.errorCode()).isEqualTo("payload_too_large");
        assertThat(api.get("/v1/tenants/t-big/endpoints/ep_big").status()).isEqualTo(404);
    }

    @Test
    void anotherTenantsEndpoint_isNotFound_forEveryOperation_andNothingChanges() {
        create("t-owner", "ep_owned");
        String before = api.get("/v1/tenants/t-owner/endpoints/ep_owned").body();
        String foreign = "/v1/tenants/t-intruder/endpoints/ep_owned";

        List<ApiClient.Reply> replies = List.of(
                api.get(foreign),
                api.patch(foreign, "{\"url\":\"" + receiver.url("/stolen") + "\"}"),
                api.post(foreign + "/disable", "{\"reason\":\"x\"}"),
                api.post(foreign + "/enable", null),
                api.post(foreign + "/secret/rotate", null),
                api.post(foreign + "/secret/retire", null),
                api.delete(foreign));
        var unknown = api.get("/v1/tenants/t-intruder/endpoints/ep_does_not_exist");

        assertThat(replies).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errorMessage()).isEqualTo("no endpoint ep_owned of tenant t-intruder");
        });
        assertThat(unknown.errorMessage()).isEqualTo("no endpoint ep_does_not_exist of tenant t-intruder");
        assertThat(api.get("/v1/tenants/t-owner/endpoints/ep_owned").body()).isEqualTo(before);
    }
}

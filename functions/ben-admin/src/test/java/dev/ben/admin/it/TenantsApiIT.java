package dev.ben.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.model.Tenant;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.aws.DynamoDbTenantStore;
import dev.ben.settings.BenSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(LocalAwsExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantsApiIT {

    private final LocalAws aws;
    private ApiStack stack;
    private ApiClient api;

    TenantsApiIT(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeAll
    void start() {
        stack = ApiStack.start(aws);
        api = new ApiClient(stack.baseUri(), ApiStack.TOKEN);
    }

    @AfterAll
    void stop() {
        stack.close();
    }

    @Test
    void createGetListAndChangeATenant_theSecretShownOnlyOnCreate() {
        var created = api.post("/v1/tenants", "{\"tenantId\":\"merchant-1\",\"allowedHosts\":[\"pay.example.com\"]}");
        var read = api.get("/v1/tenants/merchant-1");
        var changed = api.patch("/v1/tenants/merchant-1", "{\"allowedHosts\":[\"*.example.com\"]}");
        api.post("/v1/tenants", "{\"tenantId\":\"merchant-2\"}");
        var firstPage = api.get("/v1/tenants?limit=1");
        var secondPage = api.get("/v1/tenants?limit=1&cursor=" + firstPage.json().get("nextCursor").asText());

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("secret").asText()).startsWith("whsec_");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().has("secret")).isFalse();
        assertThat(read.json().get("secretCount").asInt()).isEqualTo(1);
        assertThat(changed.json().get("allowedHosts").get(0).asText()).isEqualTo("*.example.com");
        assertThat(api.get("/v1/tenants/merchant-1").json().get("allowedHosts").get(0).asText())
                .isEqualTo("*.example.com");
        assertThat(firstPage.json().get("items")).hasSize(1);
        assertThat(secondPage.json().get("items")).hasSize(1);
        assertThat(secondPage.json().get("items").get(0).get("tenantId").asText())
                .isNotEqualTo(firstPage.json().get("items").get(0).get("tenantId").asText());
    }

    /** The tenant as the sender reads it. */
    private Tenant stored(String id) {
        var item = aws.dynamoDb().getItem(b -> b.tableName(stack.table(BenSettings.TENANTS_TABLE))
                .key(Map.of("tenantId", AttributeValue.fromS(id))).consistentRead(true)).item();
        return DynamoDbTenantStore.fromItem(item);
    }

    @Test
    void rotate_addsASecretShownOnce_bothSignUntilRetire_keepsTheNewest() {
        String first = api.post("/v1/tenants", "{\"tenantId\":\"rotating-1\",\"allowedHosts\":[\"pay.example.com\"]}")
                .json().get("secret").asText();
        String chosen = WebhookSecret.generate().encoded();

        var rotated = api.post("/v1/tenants/rotating-1/secret/rotate", "{\"secret\":\"" + chosen + "\"}");
        List<String> during = stored("rotating-1").secrets();
        var read = api.get("/v1/tenants/rotating-1");
        var again = api.post("/v1/tenants/rotating-1/secret/rotate", null);
        var retired = api.post("/v1/tenants/rotating-1/secret/retire", null);
        var retireAgain = api.post("/v1/tenants/rotating-1/secret/retire", null);
        var generated = api.post("/v1/tenants/rotating-1/secret/rotate", "{}");

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("secret").asText()).isEqualTo(chosen);
        assertThat(rotated.json().get("secretCount").asInt()).isEqualTo(2);
        assertThat(during).as("both sign while rotating, the old first").containsExactly(first, chosen);
        assertThat(read.json().has("secret")).as("shown once").isFalse();
        assertThat(read.json().get("secretCount").asInt()).isEqualTo(2);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorMessage()).contains("already rotating");
        assertThat(retired.status()).isEqualTo(200);
        assertThat(retired.json().get("secretCount").asInt()).isEqualTo(1);
        assertThat(retired.json().has("secret")).isFalse();
        assertThat(retireAgain.status()).isEqualTo(409);
        assertThat(retireAgain.errorMessage()).contains("nothing to retire");
        assertThat(generated.status()).isEqualTo(200);
        assertThat(generated.json().get("secret").asText()).startsWith("whsec_").isNotEqualTo(chosen);
        assertThat(stored("rotating-1").secrets()).containsExactly(chosen, generated.json().get("secret").asText());
        assertThat(stored("rotating-1").allowedHosts()).as("hosts untouched").containsExactly("pay.example.com");
    }

    @Test
    void rotate_withABadSecret_is400_andChangesNothing() {
        String current = api.post("/v1/tenants", "{\"tenantId\":\"rotating-2\"}").json().get("secret").asText();
        String before = api.get("/v1/tenants/rotating-2").body();

        var malformed = api.invalid("POST", "/v1/tenants/rotating-2/secret/rotate", "{\"secret\":\"whsec_%%%\"}");
        var noPrefix = api.invalid("POST", "/v1/tenants/rotating-2/secret/rotate",
                "{\"secret\":\"hunter2hunter2hunter2\"}");
        var unknown = api.invalid("POST", "/v1/tenants/rotating-2/secret/rotate", "{\"secrets\":[]}");
        var same = api.post("/v1/tenants/rotating-2/secret/rotate", "{\"secret\":\"" + current + "\"}");
        var noTenant = api.post("/v1/tenants/nobody/secret/rotate", null);
        var reserved = api.post("/v1/tenants/_/secret/retire", null);

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("error").path("field").asText()).isEqualTo("secret");
        assertThat(noPrefix.status()).isEqualTo(400);
        assertThat(noPrefix.errorMessage()).contains("whsec_");
        assertThat(unknown.errorCode()).isEqualTo("unknown_field");
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.errorMessage()).contains("current secret");
        assertThat(noTenant.status()).isEqualTo(404);
        assertThat(reserved.status()).isEqualTo(404);
        assertThat(api.get("/v1/tenants/rotating-2").body()).isEqualTo(before);
        assertThat(stored("rotating-2").secrets()).containsExactly(current);
    }

    @Test
    void theReservedSegment_isNoTenant_andNoTenantCanBeCreatedUnderIt() {
        var read = api.get("/v1/tenants/_");
        var create = api.invalid("POST", "/v1/tenants", "{\"tenantId\":\"_\"}");

        assertThat(read.status()).isEqualTo(404);
        assertThat(read.errorMessage()).contains("names no tenant");
        assertThat(create.status()).isEqualTo(400);
        assertThat(create.json().path("error").path("field").asText()).isEqualTo("tenantId");
    }

    @Test
    void aDuplicateTenant_isAConflict_andKeepsTheFirst() {
        api.post("/v1/tenants", "{\"tenantId\":\"dup-1\",\"allowedHosts\":[\"a.example.com\"]}");

        var again = api.post("/v1/tenants", "{\"tenantId\":\"dup-1\",\"allowedHosts\":[\"b.example.com\"]}");

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorMessage()).contains("already exists");
        assertThat(api.get("/v1/tenants/dup-1").json().get("allowedHosts").get(0).asText())
                .isEqualTo("a.example.com");
    }

    @Test
    void badInput_isRefusedWithTheFieldNamed_andChangesNothing() {
        api.post("/v1/tenants", "{\"tenantId\":\"strict-1\"}");
        String before = api.get("/v1/tenants/strict-1").body();

        var unknown = api.invalid("PATCH", "/v1/tenants/strict-1", "{\"allowedHosts\":[],\"colour\":\"red\"}");
        var badHost = api.invalid("PATCH", "/v1/tenants/strict-1", "{\"allowedHosts\":[\"not a host\"]}");
        var badSecret = api.invalid("POST", "/v1/tenants", "{\"tenantId\":\"strict-2\",\"secret\":\"whsec_%%%\"}");
        var notJson = api.invalid("POST", "/v1/tenants", "{\"tenantId\":");

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.errorCode()).isEqualTo("unknown_field");
        assertThat(unknown.json().path("error").path("field").asText()).isEqualTo("colour");
        assertThat(badHost.status()).isEqualTo(400);
        assertThat(badHost.json().path("error").path("field").asText()).isEqualTo("allowedHosts");
        assertThat(badSecret.status()).isEqualTo(400);
        assertThat(badSecret.json().path("error").path("field").asText()).isEqualTo("secret");
        assertThat(notJson.errorCode()).isEqualTo("malformed_json");
        assertThat(api.get("/v1/tenants/strict-1").body()).isEqualTo(before);
        assertThat(api.get("/v1/tenants/strict-2").status()).isEqualTo(404);
    }

    @Test
    void withoutTheToken_everyCallIs401() {
        ApiClient anonymous = new ApiClient(stack.baseUri(), null);
        ApiClient wrong = new ApiClient(stack.baseUri(), "not-the-token");

        var none = anonymous.invalid("GET", "/v1/tenants", null);
        var bad = wrong.get("/v1/tenants");
        var write = anonymous.invalid("POST", "/v1/tenants", "{\"tenantId\":\"sneaky\"}");

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.errorCode()).isEqualTo("unauthorized");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(write.status()).isEqualTo(401);
        assertThat(api.get("/v1/tenants/sneaky").status()).isEqualTo(404);
    }

    @Test
    void unknownRoutesAre404_andKnownPathsWithAnotherMethod405() {
        var unknown = api.outsideTheDocument("GET", "/v1/nothing-here", null);
        var wrongMethod = api.outsideTheDocument("PUT", "/v1/tenants", "{}");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("not_found");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.headers().get("allow")).isEqualTo("GET, POST");
    }
}

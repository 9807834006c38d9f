package dev.ben.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Tenant;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.aws.DynamoDbTenantStore;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code ben tenants …} and the tenant options of endpoints and deliveries, against the local stack. */
@ExtendWith(LocalAwsExtension.class)
class TenantsCommandIT {

    CliHarness ben;

    @BeforeEach
    void setUp(LocalAws aws) {
        ben = new CliHarness(aws);
    }

    @AfterEach
    void tearDown() {
        ben.close();
    }

    private Tenant stored(String id) {
        var item = ben.aws.dynamoDb().getItem(b -> b.tableName(ben.resources.tableName(BenSettings.TENANTS_TABLE))
                .key(Map.of("tenantId", AttributeValue.fromS(id))).consistentRead(true)).item();
        return DynamoDbTenantStore.fromItem(item);
    }

    @Test
    void add_storesTheTenantAsTheSenderReadsIt_andPrintsItsSecretOnce() {
        var run = ben.run("tenants", "add", "merchant-42", "--allowed-host", "pay.m42.example,*.shop.example",
                "-o", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String secret = run.json().get("secrets").get(0).asText();
        assertThat(secret).startsWith("whsec_");
        Tenant t = stored("merchant-42");
        assertThat(t.allowedHosts()).containsExactly("pay.m42.example", "*.shop.example");
        assertThat(t.secrets()).containsExactly(secret);
        var shown = ben.run("tenants", "show", "merchant-42", "-o", "json");
        assertThat(shown.json().get("secrets").get(0).asText()).endsWith("…");
        var list = ben.run("tenants", "list", "-o", "json");
        assertThat(list.json().findValuesAsText("tenantId")).containsExactly("merchant-42");
        assertThat(ben.run("tenants", "add", "merchant-42").exitCode()).as("exists").isEqualTo(ExitCodes.CONFLICT);
    }

    @Test
    void add_refusesBadIdsAndHosts_withExitCode2() {
        assertThat(ben.run("tenants", "add", "has space").exitCode()).isEqualTo(ExitCodes.USAGE);
        var badHost = ben.run("tenants", "add", "t1", "--allowed-host", "https://pay.example/x");
        assertThat(badHost.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badHost.err()).contains("not a host name or a *.suffix pattern");
    }

    @Test
    void update_addsRemovesAndReplacesHosts_keepingTheSecret() {
        ben.run("tenants", "add", "t1", "--allowed-host", "a.example");
        String first = stored("t1").secrets().getFirst();

        assertThat(ben.run("tenants", "update", "t1", "--add-allowed-host", "b.example").exitCode()).isZero();
        assertThat(stored("t1").allowedHosts()).containsExactly("a.example", "b.example");
        assertThat(ben.run("tenants", "update", "t1", "--remove-allowed-host", "a.example").exitCode()).isZero();
        assertThat(stored("t1").allowedHosts()).containsExactly("b.example");
        var replaced = ben.run("tenants", "update", "t1", "--allowed-host", "c.example,*.d.example", "-o", "json");
        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        assertThat(replaced.json().get("allowedHosts")).hasSize(2);
        assertThat(stored("t1").allowedHosts()).containsExactly("c.example", "*.d.example");
        assertThat(stored("t1").secrets()).containsExactly(first);
        assertThat(ben.run("tenants", "update", "t1").exitCode()).as("nothing to update").isEqualTo(ExitCodes.USAGE);
        assertThat(ben.run("tenants", "update", "nobody", "--add-allowed-host", "x.example").exitCode())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void update_rotatesTheSecretInTwoSteps_throughTheApi() {
        ben.run("tenants", "add", "t2", "--allowed-host", "a.example");
        String first = stored("t2").secrets().getFirst();

        var rotate = ben.run("tenants", "update", "t2", "--new-secret", "-o", "json");
        assertThat(rotate.exitCode()).as(rotate.toString()).isZero();
        String second = rotate.json().get("newSecret").asText();
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        assertThat(stored("t2").secrets()).containsExactly(first, second);
        var twice = ben.run("tenants", "update", "t2", "--new-secret");
        assertThat(twice.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(twice.err()).contains("already rotating").contains("--retire-old-secret");
        assertThat(ben.run("tenants", "update", "t2", "--retire-old-secret").exitCode()).isZero();
        assertThat(stored("t2").secrets()).containsExactly(second);
        var retireAgain = ben.run("tenants", "update", "t2", "--retire-old-secret");
        assertThat(retireAgain.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(retireAgain.err()).contains("nothing to retire");

        String given = WebhookSecret.generate().encoded();
        var withHosts = ben.run("tenants", "update", "t2", "--add-allowed-host", "b.example", "--new-secret", given);
        assertThat(withHosts.exitCode()).as(withHosts.toString()).isZero();
        assertThat(withHosts.out()).contains("new signing secret (give it to the tenant): " + given);
        assertThat(stored("t2").secrets()).containsExactly(second, given);
        assertThat(stored("t2").allowedHosts()).containsExactly("a.example", "b.example");
        assertThat(ben.run("tenants", "update", "t2", "--retire-old-secret").exitCode()).isZero();
        assertThat(stored("t2").secrets()).containsExactly(given);
        assertThat(ben.run("tenants", "update", "t2", "--new-secret", "whsec_%%%").exitCode())
                .as("a bad secret").isEqualTo(ExitCodes.USAGE);
        assertThat(ben.run("tenants", "update", "t2", "--new-secret", "--retire-old-secret").exitCode())
                .as("two steps at once").isEqualTo(ExitCodes.USAGE);
        assertThat(stored("t2").secrets()).containsExactly(given);
        assertThat(ben.run("tenants", "update", "nobody", "--new-secret").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void endpoints_withATenant_areStoredWithIt_andListAndShowFilterByIt() {
        // a listing without --tenant covers the endpoints without one and those of every registered tenant
        ben.run("tenants", "add", "tenant-a");
        ben.run("tenants", "add", "tenant-b");
        var added = ben.run("endpoints", "add", "http://127.0.0.1:9/a", "--allow-private", "-e", "invoice.Settled",
                "--id", "ep-a", "--tenant", "tenant-a", "-o", "json");
        ben.run("endpoints", "add", "http://127.0.0.1:9/b", "--allow-private", "-e", "*", "--id", "ep-b",
                "--tenant", "tenant-b");
        ben.run("endpoints", "add", "http://127.0.0.1:9/0", "--allow-private", "-e", "*", "--id", "ep-0");

        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(ben.endpoints.find("ep-a").orElseThrow().tenantId()).isEqualTo("tenant-a");
        assertThat(ben.endpoints.find("ep-0").orElseThrow().tenantId()).isEmpty();
        JsonNode listA = ben.run("endpoints", "list", "--tenant", "tenant-a", "-o", "json").json();
        assertThat(listA.findValuesAsText("endpointId")).containsExactly("ep-a");
        assertThat(ben.run("endpoints", "list", "-o", "json").json().findValuesAsText("endpointId"))
                .containsExactly("ep-0", "ep-a", "ep-b");
        assertThat(ben.run("endpoints", "show", "ep-a", "--tenant", "tenant-b").exitCode())
                .isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ben.run("endpoints", "show", "ep-a", "--tenant", "tenant-a", "-o", "json").json()
                .get("tenantId").asText()).isEqualTo("tenant-a");
        assertThat(ben.run("endpoints", "list").out()).contains("TENANT").contains("tenant-b");
        assertThat(ben.run("endpoints", "show", "ep-b", "-o", "json").json().get("tenantId").asText())
                .as("found in its tenant's scope without --tenant").isEqualTo("tenant-b");
        assertThat(ben.run("endpoints", "disable", "ep-b", "--reason", "paused").exitCode()).isZero();
        assertThat(ben.endpoints.find("ep-b").orElseThrow().enabled()).isFalse();
    }

    @Test
    void deliveriesList_withoutATenant_pagesThroughEveryScope_withoutGapsOrDuplicates() {
        ben.run("tenants", "add", "tenant-a");
        ben.run("tenants", "add", "tenant-b");
        Instant t = Instant.now().minus(Duration.ofMinutes(5));
        List<String> expected = new ArrayList<>();
        for (String tenant : List.of("", "tenant-a", "tenant-b")) {
            for (int i = 0; i < 3; i++) {
                expected.add(ben.delivery("evt_s" + tenant + i, "ep-" + tenant, "invoice.Settled",
                        DeliveryStatus.FAILED, t.plusSeconds(i), 1, tenant).id());
            }
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            List<String> args = new ArrayList<>(List.of("deliveries", "list", "--limit", "2", "-o", "json"));
            if (cursor != null) {
                args.addAll(List.of("--cursor", cursor));
            }
            JsonNode page = ben.run(args.toArray(String[]::new)).json();
            page.get("deliveries").forEach(d -> seen.add(d.get("deliveryId").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 20);

        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected).doesNotHaveDuplicates();
        String ofTenantB = expected.getLast();
        assertThat(ben.run("deliveries", "show", ofTenantB, "-o", "json").json().get("tenantId").asText())
                .as("found in its tenant's scope without --tenant").isEqualTo("tenant-b");
        assertThat(ben.run("deliveries", "show", ofTenantB, "--tenant", "tenant-a").exitCode())
                .as("another tenant's delivery").isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void deliveriesList_withATenant_showsOnlyThatTenantsDeliveries() {
        Instant t = Instant.now().minus(Duration.ofMinutes(5));
        ben.delivery("evt_a1", "ep-a", "invoice.Settled", DeliveryStatus.DELIVERED, t, 0, "tenant-a");
        ben.delivery("evt_b1", "ep-b", "invoice.Settled", DeliveryStatus.FAILED, t, 2, "tenant-b");
        ben.delivery("evt_01", "ep-0", "invoice.audit", DeliveryStatus.DELIVERED, t, 0);

        JsonNode a = ben.run("deliveries", "list", "--tenant", "tenant-a", "-o", "json").json();
        JsonNode b = ben.run("deliveries", "list", "--tenant", "tenant-b", "--status", "FAILED", "-o", "json").json();

        assertThat(a.get("deliveries").findValuesAsText("eventId")).containsExactly("evt_a1");
        assertThat(a.get("deliveries").get(0).get("tenantId").asText()).isEqualTo("tenant-a");
        assertThat(b.get("deliveries").findValuesAsText("eventId")).containsExactly("evt_b1");
        assertThat(ben.run("deliveries", "list", "--tenant", "a b").exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}

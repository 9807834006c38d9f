package dev.ben.sender.it;

import static dev.ben.sender.testing.SenderStack.await;
import static dev.ben.sender.testing.SenderStack.s;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.model.Endpoint;
import dev.ben.core.model.EventIds;
import dev.ben.core.model.Tenant;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.aws.DynamoDbTenantStore;
import dev.ben.sender.testing.SenderStack;
import dev.ben.sender.testing.SpecVerifier;
import dev.ben.sender.testing.TestReceiver;
import dev.ben.sender.testing.TestReceiver.Reply;
import dev.ben.sender.testing.WebhookSchema;
import dev.ben.settings.BenSettings;
import dev.ben.settings.declaration.Declaration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Ben attached to a table the test creates as a user would have it — composite key tenantId + invoiceId, no version
 * attribute — with a BOOL rule ({@code settled} becomes true), a numeric rule ({@code state} becomes 3) and a
 * per-record URL rule ({@code state} becomes 9, URL in {@code notifyUrl}); two tenants with two endpoints each and
 * one tenant-less endpoint, all real HTTP receivers; the real handlers on the local runtime and stack.
 */
@ExtendWith(LocalAwsExtension.class)
class TenantsEndToEndIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final LocalAws aws;
    private final List<TestReceiver> receivers = new ArrayList<>();
    private SenderStack stack;
    private String table;

    TenantsEndToEndIT(LocalAws aws) {
        this.aws = aws;
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
        receivers.forEach(TestReceiver::close);
    }

    private Declaration declaration() {
        return Declaration.parse("""
                {"sources": [{
                  "name": "invoices", "table": "%s",
                  "partitionKey": {"name": "tenantId", "type": "S"},
                  "sortKey": {"name": "invoiceId", "type": "S"},
                  "rules": [
                    {"eventType": "invoice.Settled", "when": {"attribute": "settled", "becomes": true},
                     "tenant": "tenantId", "payload": {"attributes": ["invoiceId", "settled", "amount"]}},
                    {"eventType": "invoice.Stage3", "when": {"attribute": "state", "becomes": 3},
                     "tenant": "tenantId", "payload": "newImage"},
                    {"eventType": "invoice.Callback", "when": {"attribute": "state", "becomes": 9},
                     "tenant": "tenantId", "notifyUrl": "notifyUrl", "payload": {"attributes": ["invoiceId", "state"]}}
                  ]}]}""".formatted(table));
    }

    @Test
    void everyEndpointReceivesExactlyItsTenantsSubscribedEvents_signed_andPerRecordUrlsOnlyReachAllowedHosts()
            throws Exception {
        table = "it-" + UUID.randomUUID().toString().substring(0, 8) + "-invoices";
        createUserTable(table);
        stack = SenderStack.attach(aws, declaration(), Map.of("invoices", table), SenderStack.testEnvironment(),
                (b, env) -> { });
        Map<String, TestReceiver> rx = new LinkedHashMap<>();
        Map<String, String> secrets = new HashMap<>();
        endpoint(rx, secrets, "a-all", "tenant-a", "*");
        endpoint(rx, secrets, "a-settled", "tenant-a", "invoice.Settled");
        endpoint(rx, secrets, "b-all", "tenant-b", "*");
        endpoint(rx, secrets, "b-stage3", "tenant-b", "invoice.Stage3");
        endpoint(rx, secrets, "ops", "", "*");
        TestReceiver callbacks = receiver();
        String tenantASecret = WebhookSecret.generate().encoded();
        tenant("tenant-a", List.of("127.0.0.1", "169.254.169.254"), tenantASecret);
        tenant("tenant-b", List.of("pay.tenant-b.example"), WebhookSecret.generate().encoded());

        // tenant-a: inv-1 gets settled, inv-2 reaches state 3; tenant-b: its own inv-1 (same invoiceId!) gets
        // settled, inv-3 reaches state 3
        put("tenant-a", "inv-1", Map.of("settled", bool(false), "state", num("1"), "amount", num("120.50")));
        update("tenant-a", "inv-1", "settled", bool(true));
        put("tenant-a", "inv-2", Map.of("settled", bool(false), "state", num("1")));
        update("tenant-a", "inv-2", "state", num("3"));
        put("tenant-b", "inv-1", Map.of("settled", bool(true), "state", num("1"), "amount", num("7")));
        put("tenant-b", "inv-3", Map.of("state", num("2")));
        update("tenant-b", "inv-3", "state", num("3"));
        // per-record URLs: allowed host; host not on tenant-b's list; allowed by the tenant but the metadata address
        put("tenant-a", "inv-4", Map.of("state", num("9"), "notifyUrl", str(callbacks.url("/cb-a").toString())));
        put("tenant-b", "inv-5", Map.of("state", num("9"), "notifyUrl", str(callbacks.url("/cb-b").toString())));
        put("tenant-a", "inv-6", Map.of("state", num("9"),
                "notifyUrl", str("http://169.254.169.254/latest/meta-data")));

        assertThat(await(WAIT, () -> rx.get("a-all").received().size() == 2 && rx.get("b-all").received().size() == 2
                && rx.get("a-settled").received().size() == 1 && rx.get("b-stage3").received().size() == 1
                && callbacks.received().size() == 1 && failed().size() == 2))
                .as("deliveries settled: %s", summary()).isTrue();
        Thread.sleep(1500); // nothing else may arrive (no cross-tenant delivery, no duplicate)
        rx.values().stream().flatMap(r -> r.received().stream()).forEach(post -> assertThat(WebhookSchema.errors(post))
                .as("%s conforms to ben-webhook.schema.json", post.body()).isEmpty());
        callbacks.received().forEach(post -> assertThat(WebhookSchema.errors(post)).as(post.body()).isEmpty());

        assertThat(events(rx.get("a-all"))).containsExactlyInAnyOrder("invoice.Settled tenant-a|inv-1",
                "invoice.Stage3 tenant-a|inv-2");
        assertThat(events(rx.get("a-settled"))).containsExactly("invoice.Settled tenant-a|inv-1");
        assertThat(events(rx.get("b-all"))).containsExactlyInAnyOrder("invoice.Settled tenant-b|inv-1",
                "invoice.Stage3 tenant-b|inv-3");
        assertThat(events(rx.get("b-stage3"))).containsExactly("invoice.Stage3 tenant-b|inv-3");
        assertThat(rx.get("ops").received()).as("tenant-less endpoint: only tenant-less events, none here").isEmpty();
        rx.forEach((id, r) -> r.received().forEach(post -> {
            assertThat(SpecVerifier.verifies(secrets.get(id), post.webhookId(), post.timestamp(), post.body(),
                    post.signature())).as(id + " signature").isTrue();
            assertThat(post.body()).as("no version declared: ordered by sequence").doesNotContain("\"version\"")
                    .containsPattern("\"sequence\":\"\\d{21,40}\"");
        }));
        String settledA = rx.get("a-settled").received().getFirst().body();
        assertThat(settledA).contains("\"tenantId\":\"tenant-a\"")
                .contains("\"data\":{\"invoiceId\":\"inv-1\",\"settled\":true,\"amount\":120.5}");

        var callback = callbacks.received().getFirst();
        assertThat(callback.body()).contains("\"type\":\"invoice.Callback\"").contains("\"entityId\":\"tenant-a|inv-4\"");
        assertThat(SpecVerifier.verifies(tenantASecret, callback.webhookId(), callback.timestamp(), callback.body(),
                callback.signature())).as("per-record URL signed with the tenant's secret").isTrue();
        Map<String, String> reasons = new HashMap<>();
        failed().forEach(d -> reasons.put(s(d, "entityId"), s(d, "lastError")));
        assertThat(reasons.get("tenant-b|inv-5")).contains("host 127.0.0.1 of the per-record URL is not on tenant"
                + " tenant-b's allowed hosts [pay.tenant-b.example]");
        assertThat(reasons.get("tenant-a|inv-6")).contains("169.254.169.254").containsIgnoringCase("metadata");
        failed().forEach(d -> {
            assertThat(s(d, "endpointId")).startsWith(EventIds.URL_ENDPOINT_PREFIX);
            assertThat(s(d, "url")).as("kept for replay").isNotBlank();
            assertThat(s(d, "tenantId")).isNotBlank();
        });

        statusApi_isTenantScoped();
    }

    /** The generic status API over real HTTP, on the same data. */
    private void statusApi_isTenantScoped() {
        assertThat(statusGet("/entities/tenant-a%7Cinv-1/events?tenant=tenant-a").statusCode()).isEqualTo(200);
        HttpResponse<String> own = statusGet("/entities/tenant-b%7Cinv-1/events?tenant=tenant-b");
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("\"type\":\"invoice.Settled\"").contains("\"tenantId\":\"tenant-b\"")
                .doesNotContain("tenant-a");
        assertThat(statusGet("/entities/tenant-a%7Cinv-1/events?tenant=tenant-b").statusCode())
                .as("another tenant's entity").isEqualTo(404);
        assertThat(statusGet("/entities/tenant-a%7Cinv-1/events").statusCode()).as("no tenant given").isEqualTo(404);
        String eventId = s(stack.deliveries().stream().filter(d -> "tenant-a|inv-2".equals(s(d, "entityId")))
                .findFirst().orElseThrow(), "eventId");
        assertThat(statusGet("/events/" + eventId + "?tenant=tenant-a").body()).contains("\"type\":\"invoice.Stage3\"")
                .contains("\"endpointId\":\"a-all\"");
        assertThat(statusGet("/events/" + eventId + "?tenant=tenant-b").statusCode()).isEqualTo(404);
    }

    // ------------------------------------------------------------------ helpers

    private void createUserTable(String name) {
        aws.dynamoDb().createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("tenantId").attributeType(ScalarAttributeType.S)
                                .build(),
                        AttributeDefinition.builder().attributeName("invoiceId").attributeType(ScalarAttributeType.S)
                                .build())
                .keySchema(KeySchemaElement.builder().attributeName("tenantId").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("invoiceId").keyType(KeyType.RANGE).build())
                .streamSpecification(StreamSpecification.builder().streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES).build()));
    }

    private TestReceiver receiver() {
        TestReceiver r = TestReceiver.start((id, before) -> Reply.ok());
        receivers.add(r);
        return r;
    }

    private void endpoint(Map<String, TestReceiver> rx, Map<String, String> secrets, String id, String tenant,
                          String type) {
        TestReceiver r = receiver();
        String secret = WebhookSecret.generate().encoded();
        stack.putEndpoint(new Endpoint(id, r.url("/" + id).toString(), Set.of(type), List.of(secret), true, "", 0,
                null, null, tenant));
        rx.put(id, r);
        secrets.put(id, secret);
    }

    private void tenant(String id, List<String> hosts, String secret) {
        aws.dynamoDb().putItem(b -> b.tableName(stack.table(BenSettings.TENANTS_TABLE))
                .item(DynamoDbTenantStore.toItem(new Tenant(id, hosts, List.of(secret)))));
    }

    private void put(String tenant, String invoice, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new HashMap<>(attributes);
        item.put("tenantId", str(tenant));
        item.put("invoiceId", str(invoice));
        aws.dynamoDb().putItem(b -> b.tableName(table).item(item));
    }

    private void update(String tenant, String invoice, String attribute, AttributeValue value) {
        aws.dynamoDb().updateItem(b -> b.tableName(table)
                .key(Map.of("tenantId", str(tenant), "invoiceId", str(invoice)))
                .updateExpression("SET #a = :v").expressionAttributeNames(Map.of("#a", attribute))
                .expressionAttributeValues(Map.of(":v", value)));
    }

    private List<Map<String, AttributeValue>> failed() {
        return stack.deliveries().stream().filter(d -> "FAILED".equals(s(d, "status"))).toList();
    }

    private String summary() {
        return stack.deliveries().stream().map(d -> s(d, "endpointId") + "=" + s(d, "status") + " "
                + s(d, "entityId") + (s(d, "lastError") == null ? "" : " (" + s(d, "lastError") + ")")).toList()
                .toString();
    }

    private static List<String> events(TestReceiver r) {
        return r.received().stream().map(p -> field(p.body(), "type") + " " + field(p.body(), "entityId")).toList();
    }

    private static String field(String body, String name) {
        var m = java.util.regex.Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(body);
        return m.find() ? m.group(1) : "";
    }

    private HttpResponse<String> statusGet(String pathAndQuery) {
        URI uri = stack.runtime.httpEndpoint(BenSettings.SENDER_API).resolve(pathAndQuery);
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer test-token").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AttributeValue str(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue num(String v) {
        return AttributeValue.fromN(v);
    }

    private static AttributeValue bool(boolean v) {
        return AttributeValue.fromBool(v);
    }
}

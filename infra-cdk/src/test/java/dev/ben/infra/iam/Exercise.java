package dev.ben.infra.iam;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.sun.net.httpserver.HttpServer;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Tenant;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.events.SampleEvents;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.internal.DynamoDbOrderStore;
import dev.ben.local.runtime.AwsTarget;
import dev.ben.local.runtime.InvocationResult;
import dev.ben.local.runtime.LocalLambdaRuntime;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.internal.aws.DynamoDbDeliveryStore;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.sender.internal.aws.DynamoDbTenantStore;
import dev.ben.sender.notify.NotifyHandler;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.declaration.Condition;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.Source;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Runs every Ben function of the default settings for real on the local stack, the way they run in AWS, so that
 * {@link CallRecorder} sees every AWS operation they perform. One event reaches four endpoints: one succeeding (the
 * real receiver function behind the local HTTP API), one always failing (retry sends each wait as a new
 * delayed message until exhaustion: DLQ, FAILED), one failing once (the endpoint recovers: retry clears its
 * failing mark) and one answering 410 Gone (notify fails it at once: DLQ, endpoint disabled). A refund goes to the
 * order's own URL, allowed by its merchant's (tenant's) host list, failing once. Then: reconcile asks the status API
 * (through a {@link RecordingApiProxy}: {@code execute-api:Invoke}) about an order whose webhook B "lost"; the
 * sweeper re-enqueues a stuck delivery; the receiver gets a duplicate webhook (replayed); the status API answers over
 * HTTP; every sample event of {@code events/} is invoked (stream samples pointed at this run's stream, so notify
 * processes them), once more on notify in FAST mode; and each handler's SnapStart priming ({@code beforeCheckpoint})
 * runs.
 */
public final class Exercise implements AutoCloseable {

    static final String TOKEN = "iam-from-calls-token";

    private final LocalAws aws;
    private final BenSettings settings;
    private final String prefix;
    private final ProvisionedResources resources;
    private final String receiverSecret;
    private final HttpServer testReceivers;
    private final RecordingApiProxy statusApiProxy;
    private final LocalLambdaRuntime runtime;
    private final List<String> log = new ArrayList<>();

    private Exercise(LocalAws aws, BenSettings settings) {
        this.aws = aws;
        this.settings = settings;
        this.prefix = "iam" + UUID.randomUUID().toString().substring(0, 6) + "-";
        this.resources = aws.provision(settings, prefix);
        this.receiverSecret = WebhookSecret.generate().encoded();
        this.testReceivers = testReceivers();
        this.statusApiProxy = RecordingApiProxy.start("reconcile", BenSettings.SENDER_API);
        LocalLambdaRuntime.Builder builder = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources));
        environment().forEach(builder::environment);
        this.runtime = builder
                .environment("reconcile", Map.of(EnvVars.STATUS_API_URL, statusApiProxy.baseUri().toString()))
                .output(Boolean.getBoolean("ben.verbose") ? System.out : new PrintStream(OutputStream.nullOutputStream()))
                .start();
        statusApiProxy.target(runtime.httpEndpoint(BenSettings.SENDER_API));
    }

    /** Starts the functions of {@code settings} (the orders demo's) on {@code aws} under a fresh name prefix. */
    public static Exercise start(LocalAws aws, BenSettings settings) {
        return new Exercise(aws, settings);
    }

    /** The name prefix of this run's tables and queues (physical name = prefix + logical name). */
    public String prefix() {
        return prefix;
    }

    /** What happened, one line per step (printed with the evidence). */
    public List<String> log() {
        return List.copyOf(log);
    }

    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(EnvVars.ALLOW_PRIVATE_ADDRESSES, "true");
        env.put(EnvVars.HTTPS_ONLY, "false");
        env.put(EnvVars.RETRY_SCHEDULE, "1s,1s,1s");
        env.put("BEN_RETRY_JITTER", "0");
        env.put("BEN_RETRY_MAX_AGE", "5m");
        env.put("BEN_SWEEPER_GRACE", "30s");
        env.put("BEN_ENDPOINT_CACHE", "1s");
        env.put("BEN_HTTP_TIMEOUT", "2s");
        env.put("BEN_LOG_LEVEL", "WARN");
        env.put(EnvVars.STATUS_API_TOKEN, TOKEN);
        env.put(EnvVars.MANAGEMENT_API_TOKEN, TOKEN);
        env.put(EnvVars.RECEIVER_SECRETS, receiverSecret);
        env.put("BEN_RECONCILE_PENDING_AFTER", "PT1M");
        env.put(EnvVars.DECLARATION, declaration().toJson());
        return env;
    }

    /**
     * The orders demo's declaration plus a rule that exercises tenants and per-record URLs (WeChat Pay style): an
     * {@code order.callback} for the merchant in {@code merchantId}, POSTed to the order's own {@code notifyUrl}.
     */
    static Declaration declaration() {
        Declaration demo = Declaration.parse(SampleEvents.demoDeclarationJson());
        Source orders = demo.source(SampleEvents.DEMO_SOURCE).orElseThrow();
        List<Rule> rules = new ArrayList<>(orders.rules());
        rules.add(Rule.of("order.callback", Rule.attributes("orderId", "status"))
                .withWhen(new Condition.Changes("refundedAt")).withTenant("merchantId").withNotifyUrl("notifyUrl"));
        return new Declaration(List.of(new Source(orders.name(), orders.table(), orders.partitionKey(),
                orders.sortKeyAttribute().orElse(null), orders.streamViewType(), rules)));
    }

    /** Every scenario, in an order where none disturbs another. */
    public void runAll() throws Exception {
        registerEndpoints();
        notifyRetryAndExhaustion();
        perRecordUrl();
        reconcile();
        sweeper();
        duplicateWebhook();
        statusApiOverHttp();
        new ManagementApiExercise(runtime.httpEndpoint(BenSettings.MANAGEMENT_API), TOKEN, log::add)
                .run("http://127.0.0.1:" + testReceivers.getAddress().getPort() + "/flaky");
        sampleEvents();
        fastNotify();
        priming();
    }

    private void registerEndpoints() {
        URI webhook = runtime.httpEndpoint(OrdersExample.RECEIVER_API).resolve("/webhooks/orders");
        String receivers = "http://127.0.0.1:" + testReceivers.getAddress().getPort();
        putEndpoint("ep_ok", webhook.toString());
        putEndpoint("ep_fail", receivers + "/fail");
        putEndpoint("ep_flaky", receivers + "/flaky");
        putEndpoint("ep_gone", receivers + "/gone");
        log.add("endpoints: ep_ok → the receiver function (local receiver-api); ep_fail → 503 always; "
                + "ep_flaky → 503 once per webhook-id, then 200; ep_gone → 410");
    }

    /**
     * Merchant m-1 allows 127.0.0.1; order o-cb is refunded with its own notify URL (503 once, then 200): notify
     * reads the tenant, fails once, retry reads the tenant's secrets again and delivers.
     */
    private void perRecordUrl() {
        aws.dynamoDb().putItem(b -> b.tableName(table(BenSettings.TENANTS_TABLE)).item(DynamoDbTenantStore.toItem(
                new Tenant("m-1", List.of("127.0.0.1"), List.of(WebhookSecret.generate().encoded())))));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("orderId", AttributeValue.fromS("o-cb"));
        item.put("status", AttributeValue.fromS("REFUNDED"));
        item.put("merchantId", AttributeValue.fromS("m-1"));
        item.put("notifyUrl", AttributeValue.fromS("http://127.0.0.1:" + testReceivers.getAddress().getPort()
                + "/flaky"));
        item.put("refundedAt", AttributeValue.fromS(Instant.now().toString()));
        aws.dynamoDb().putItem(b -> b.tableName(table(SampleEvents.DEMO_SOURCE)).item(item));

        await("o-cb delivered to its own URL", Duration.ofSeconds(60), () ->
                deliveryStatusByEndpoint("o-cb").values().stream().toList().equals(List.of("DELIVERED")));
        log.add("per-record URL: o-cb (tenant m-1) → its notifyUrl, 503 once, delivered by retry "
                + deliveryStatusByEndpoint("o-cb"));
    }

    /**
     * The webhook for o-1 was "lost": B's row is put back to PENDING v1 an hour old and the receiver's idempotency
     * records of its events are removed (else reconcile's run of the event is, rightly, a replay with no effect);
     * reconcile asks A's status API for o-1's events and runs them through B's handler (PAID v2).
     */
    private void reconcile() {
        aws.dynamoDb().deleteItem(b -> b.tableName(table(OrdersExample.RECEIVER_ORDERS_TABLE))
                .key(Map.of("orderId", AttributeValue.fromS("o-1"))));
        String idempotency = table(OrdersExample.RECEIVER_IDEMPOTENCY_TABLE);
        aws.dynamoDb().scan(b -> b.tableName(idempotency).consistentRead(true)).items().stream()
                .filter(item -> item.get("id").s().startsWith(OrdersExample.SCOPE + "#"))
                .forEach(item -> aws.dynamoDb().deleteItem(b -> b.tableName(idempotency)
                        .key(Map.of("id", item.get("id")))));
        receiverOrders().apply(new OrderState("o-1", "PENDING", 1, Instant.now().minus(Duration.ofHours(1)).toString()));

        InvocationResult result = runtime.fireSchedule(scheduleRule("reconcile"));

        require("reconcile " + result, () -> receiverOrders().find("o-1").map(o -> o.version() == 2).orElse(false));
        log.add("reconcile: B's o-1 back to PENDING v1 → PAID v2 from A's status API (" + result + ")");
    }

    /** o-1 becomes PAID: delivered to ep_ok (receiver applies it), ep_fail retried 3 times, then DLQ + FAILED. */
    private void notifyRetryAndExhaustion() {
        putOrder("o-1", "PENDING", 1);
        putOrder("o-1", "PAID", 2);

        await("o-1: ep_ok and ep_flaky DELIVERED, ep_fail and ep_gone FAILED", Duration.ofSeconds(90), () ->
                deliveryStatusByEndpoint("o-1").equals(Map.of("ep_ok", "DELIVERED", "ep_flaky", "DELIVERED",
                        "ep_fail", "FAILED", "ep_gone", "FAILED")));
        require("receiver applied o-1", () -> receiverOrders().find("o-1").map(o -> "PAID".equals(o.status()))
                .orElse(false));
        log.add("notify + retry: o-1 PAID → ep_ok DELIVERED (receiver-orders o-1 PAID), ep_flaky DELIVERED by retry, "
                + "ep_fail 4 attempts → FAILED, ep_gone 410 → FAILED and disabled; DLQ depth "
                + queueDepth(BenSettings.RETRY_DLQ));
    }

    /**
     * A RETRYING delivery whose queue message was lost an hour ago: the sweeper re-enqueues it, retry delivers; a
     * parked one of a disabled endpoint: the sweeper releases it, retry ends it.
     */
    private void sweeper() {
        DynamoDbDeliveryStore store = new DynamoDbDeliveryStore(aws.dynamoDb(), table(BenSettings.DELIVERIES_TABLE),
                Duration.ofDays(1));
        String template = deliveryIdOf("o-1", "ep_ok");
        StoredDelivery original = store.find(template).orElseThrow();
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        Delivery d = original.delivery();
        Delivery stuck = new Delivery("dlv_sweeper_stuck_1", "evt_sweeper_stuck_1", d.endpointId(), "o-swept",
                d.tenantId(), DeliveryStatus.RETRYING, 1, hourAgo, 503, "lost message", hourAgo, hourAgo, false);
        store.createIfAbsent(new StoredDelivery(stuck, original.eventType(), original.payload(), "lost-token",
                original.url(), original.version(), original.sequence()));
        // parked for ep_gone, disabled by its 410: the sweeper finds it through the endpoints and releases it
        Delivery parked = new Delivery("dlv_sweeper_parked_1", "evt_sweeper_parked_1", "ep_gone", "o-parked",
                d.tenantId(), DeliveryStatus.RETRYING, 0, hourAgo, 0, "CIRCUIT_OPEN", hourAgo, hourAgo, true);
        store.createIfAbsent(new StoredDelivery(parked, original.eventType(), original.payload(), "", "",
                original.version(), original.sequence()));

        InvocationResult result = runtime.fireSchedule(scheduleRule("sweeper"));

        await("swept delivery DELIVERED", Duration.ofSeconds(60), () -> store.find("dlv_sweeper_stuck_1")
                .map(s -> s.delivery().status() == DeliveryStatus.DELIVERED).orElse(false));
        await("released parked delivery ended", Duration.ofSeconds(60), () -> store.find("dlv_sweeper_parked_1")
                .map(s -> s.delivery().status().terminal()).orElse(false));
        log.add("sweeper: stuck RETRYING delivery re-enqueued (" + result + "), retry delivered it; a delivery parked "
                + "for the disabled ep_gone released, retry ended it "
                + store.find("dlv_sweeper_parked_1").map(s -> s.delivery().status()).orElseThrow());
    }

    /** The same signed webhook twice: the second is answered from the idempotency record. */
    private void duplicateWebhook() throws IOException, InterruptedException {
        URI webhook = runtime.httpEndpoint(OrdersExample.RECEIVER_API).resolve("/webhooks/orders");
        String body = "{\"type\":\"order.paid\",\"id\":\"evt_duplicate_1\",\"timestamp\":\"" + Instant.now()
                + "\",\"data\":{\"orderId\":\"o-dup\",\"status\":\"PAID\",\"version\":2}}";
        var headers = WebhookSigner.of(WebhookSecret.parse(receiverSecret)).sign("evt_duplicate_1", body).asMap();
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(20))
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            require("webhook → " + response.statusCode() + " " + response.body(), () -> response.statusCode() == 200);
            answers.add(response.statusCode() + " " + response.headers().firstValue("idempotency-replayed").orElse(""));
        }
        log.add("receiver: the same webhook twice → " + answers);
    }

    private void statusApiOverHttp() throws IOException, InterruptedException {
        URI api = runtime.httpEndpoint(BenSettings.SENDER_API);
        HttpClient http = HttpClient.newHttpClient();
        String delivery = deliveryIdOf("o-1", "ep_ok");
        String event = deliveriesOf("o-1").stream().filter(i -> delivery.equals(i.get("deliveryId").s()))
                .map(i -> i.get("eventId").s()).findFirst().orElseThrow();
        for (String path : List.of("/entities/o-1/events", "/events/" + event, "/deliveries/" + delivery)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.resolve(path))
                    .header("authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            require("GET " + path + " → " + response.statusCode() + " " + response.body(),
                    () -> response.statusCode() == 200);
            log.add("status API: GET " + path + " → 200");
        }
    }

    /**
     * Every file of {@code events/}, invoked on the function whose trigger produces it. The stream samples name the
     * demo's stream; they are pointed at this run's stream so notify processes them instead of skipping them.
     */
    private void sampleEvents() {
        Map<String, String> functionOf = new LinkedHashMap<>();
        functionOf.put(SampleEvents.STREAM_INSERT, "notify");
        functionOf.put(SampleEvents.STREAM_MODIFY_PAID, "notify");
        functionOf.put(SampleEvents.STREAM_REMOVE, "notify");
        functionOf.put(SampleEvents.SQS_RETRY, "retry");
        functionOf.put(SampleEvents.SCHEDULE_SWEEPER, "sweeper");
        functionOf.put(SampleEvents.SCHEDULE_RECONCILE, "reconcile");
        functionOf.put(SampleEvents.HTTP_RECEIVER_WEBHOOK, "receiver");
        functionOf.put(SampleEvents.HTTP_STATUS_ENTITY_EVENTS, "status-api");
        functionOf.put(SampleEvents.HTTP_STATUS_EVENT, "status-api");
        functionOf.put(SampleEvents.HTTP_STATUS_DELIVERY, "status-api");
        functionOf.put(SampleEvents.HTTP_MANAGEMENT_CREATE_TENANT, BenSettings.MANAGEMENT_FUNCTION);
        functionOf.put(SampleEvents.HTTP_MANAGEMENT_LIST_DELIVERIES, BenSettings.MANAGEMENT_FUNCTION);
        require("a function for every sample event", () -> functionOf.keySet().containsAll(SampleEvents.ALL));
        for (Map.Entry<String, String> sample : functionOf.entrySet()) {
            Object event = SampleEvents.load(sample.getKey(), eventType(sample.getKey()));
            if (event instanceof DynamodbEvent stream) {
                ownStream(stream);
            }
            InvocationResult result = runtime.invoke(sample.getValue(), event);
            log.add("sample " + sample.getKey() + " → " + sample.getValue() + ": " + outcome(result));
        }
    }

    /** Notify in {@code BEN_NOTIFY_MODE=FAST} (writes after the POST; reads existing deliveries in one batch). */
    private void fastNotify() {
        Map<String, String> env = new LinkedHashMap<>(runtime.environment("notify"));
        env.put("BEN_NOTIFY_MODE", "FAST");
        NotifyHandler fast = new NotifyHandler(env);
        DynamodbEvent event = SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class);
        ownStream(event);

        var response = fast.handleRequest(event, null);

        log.add("notify FAST mode, " + SampleEvents.STREAM_MODIFY_PAID + ": " + response);
    }

    private void ownStream(DynamodbEvent event) {
        event.getRecords().forEach(r -> r.setEventSourceARN(resources.streamArn(SampleEvents.DEMO_SOURCE)));
    }

    /** SnapStart runs {@code beforeCheckpoint} in the init phase: its warm-up reads are calls of the function too. */
    private void priming() throws Exception {
        for (FunctionSpec spec : settings.functions()) {
            Object handler = Class.forName(spec.handler()).getConstructor(Map.class)
                    .newInstance(runtime.environment(spec.logicalName()));
            ((Resource) handler).beforeCheckpoint(null);
            log.add("priming: " + spec.logicalName() + " beforeCheckpoint");
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Class<?> eventType(String sample) {
        if (sample.startsWith("stream-")) {
            return DynamodbEvent.class;
        }
        if (sample.startsWith("sqs-")) {
            return SQSEvent.class;
        }
        return sample.startsWith("schedule-") ? ScheduledEvent.class : APIGatewayV2HTTPEvent.class;
    }

    private static String outcome(InvocationResult result) {
        return switch (result) {
            case InvocationResult.Success s -> "ok " + String.valueOf(s.response()).replaceAll("\\s+", " ");
            case InvocationResult.Failure f -> "error " + f.errorType() + ": " + f.errorMessage();
        };
    }

    private String scheduleRule(String function) {
        return settings.function(function).triggers().stream()
                .filter(dev.ben.settings.Trigger.ScheduleTrigger.class::isInstance)
                .map(t -> ((dev.ben.settings.Trigger.ScheduleTrigger) t).ruleName()).findFirst().orElseThrow();
    }

    private String table(String logical) {
        return resources.tableName(logical);
    }

    private void putEndpoint(String id, String url) {
        Endpoint e = new Endpoint(id, url, Set.of("order.paid"), List.of(receiverSecret), true, "", 0, null, null, "");
        aws.dynamoDb().putItem(b -> b.tableName(table(BenSettings.ENDPOINTS_TABLE)).item(DynamoDbEndpointStore.toItem(e)));
    }

    private void putOrder(String orderId, String status, int version) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("orderId", AttributeValue.fromS(orderId));
        item.put("status", AttributeValue.fromS(status));
        item.put("version", AttributeValue.fromN(Integer.toString(version)));
        item.put("amount", AttributeValue.fromN("4999"));
        item.put("currency", AttributeValue.fromS("EUR"));
        item.put("updatedAt", AttributeValue.fromS(Instant.now().toString()));
        aws.dynamoDb().putItem(b -> b.tableName(table(SampleEvents.DEMO_SOURCE)).item(item));
    }

    private DynamoDbOrderStore receiverOrders() {
        return new DynamoDbOrderStore(aws.dynamoDb(), table(OrdersExample.RECEIVER_ORDERS_TABLE), Clock.systemUTC());
    }

    private List<Map<String, AttributeValue>> deliveriesOf(String entityId) {
        return aws.dynamoDb().scan(b -> b.tableName(table(BenSettings.DELIVERIES_TABLE)).consistentRead(true))
                .items().stream().filter(i -> i.containsKey("entityId") && entityId.equals(i.get("entityId").s()))
                .toList();
    }

    private Map<String, String> deliveryStatusByEndpoint(String entityId) {
        Map<String, String> status = new LinkedHashMap<>();
        deliveriesOf(entityId).forEach(i -> status.put(i.get("endpointId").s(), i.get("status").s()));
        return status;
    }

    private String deliveryIdOf(String entityId, String endpointId) {
        return deliveriesOf(entityId).stream().filter(i -> endpointId.equals(i.get("endpointId").s()))
                .map(i -> i.get("deliveryId").s()).findFirst()
                .orElseThrow(() -> new AssertionError("no delivery of " + entityId + " to " + endpointId));
    }

    private int queueDepth(String logicalQueue) {
        return aws.sqs().getQueueAttributes(b -> b.queueUrl(resources.queueUrl(logicalQueue))
                        .attributeNamesWithStrings("ApproximateNumberOfMessages")).attributesAsStrings().values()
                .stream().mapToInt(Integer::parseInt).sum();
    }

    private static void require(String what, BooleanSupplier condition) {
        if (!condition.getAsBoolean()) {
            throw new AssertionError("scenario step failed: " + what);
        }
    }

    private void await(String what, Duration atMost, BooleanSupplier condition) {
        Instant end = Instant.now().plus(atMost);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("timed out after " + atMost + " waiting for: " + what + "; deliveries "
                        + deliveryStatusByEndpoint("o-1"));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** {@code /fail}: 503; {@code /gone}: 410; {@code /flaky}: 503 the first time a webhook-id comes, then 200. */
    private static HttpServer testReceivers() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            Set<String> seen = ConcurrentHashMap.newKeySet();
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    String id = String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id"));
                    int status = switch (exchange.getRequestURI().getPath()) {
                        case "/gone" -> 410;
                        case "/flaky" -> seen.add(id) ? 503 : 200;
                        default -> 503;
                    };
                    exchange.sendResponseHeaders(status, -1);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Logical names for this run's physical ones (the prefix removed); resources of other runs stay as they are. */
    public Optional<String> logicalName(String physical) {
        return physical.startsWith(prefix) ? Optional.of(physical.substring(prefix.length())) : Optional.empty();
    }

    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            statusApiProxy.close();
            testReceivers.stop(0);
        }
    }
}

package dev.ben.examples.orders.webhook;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ben.examples.orders.OrdersExample;
import dev.ben.examples.orders.internal.JsonLines;
import dev.ben.examples.orders.store.internal.DynamoDbOrderStore;
import dev.ben.receiver.kit.Disposition;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.SigningSecrets;
import dev.ben.receiver.kit.WebhookHandler;
import dev.ben.receiver.kit.WebhookReceiver;
import dev.ben.receiver.kit.WebhookResponse;
import dev.ben.receiver.kit.WebhookResult;
import dev.ben.reconcile.ReceiverClients;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code POST /webhooks/orders} (HTTP API, payload 2.0): verifies the Standard Webhooks signature and applies
 * {@code order.paid} to {@code receiver-orders} exactly once per {@code webhook-id} (receiver kit).
 */
public class ReceiverHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {

    static final String ROUTE = OrdersExample.WEBHOOK_ROUTE;

    private final WebhookReceiver receiver;
    private final WebhookHandler orderPaid;
    private final JsonLines log;
    private final Runnable priming;

    /** Lambda runtime entry point: configuration from the process environment. */
    public ReceiverHandler() {
        this(System.getenv());
    }

    /** Real clients from the given environment (the local runtime passes a per-function map). */
    public ReceiverHandler(Map<String, String> env) {
        this(Wiring.from(env, ReceiverClients.dynamoDb(env, "receiver")));
        Core.getGlobalContext().register(this);
    }

    private ReceiverHandler(Wiring wiring) {
        this(wiring.receiver(), new OrderPaidWebhook(wiring.orders()), JsonLines.stdout("receiver"), wiring.priming());
    }

    ReceiverHandler(WebhookReceiver receiver, WebhookHandler orderPaid, JsonLines log, Runnable priming) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.orderPaid = Objects.requireNonNull(orderPaid, "orderPaid");
        this.log = Objects.requireNonNull(log, "log");
        this.priming = Objects.requireNonNull(priming, "priming");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (!isOrdersRoute(event)) {
            return toApi(WebhookResponse.json(404, "{\"error\":\"not_found\",\"message\":\"POST " + ROUTE + " only\"}"));
        }
        WebhookResult result = receiver.handle(event.getHeaders(), body(event), orderPaid);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("webhookId", header(event, "webhook-id"));
        fields.put("disposition", result.disposition().name());
        fields.put("statusCode", result.response().statusCode());
        if (context != null) {
            fields.put("requestId", context.getAwsRequestId());
        }
        log.log(result.disposition() == Disposition.REJECTED || result.disposition() == Disposition.FAILED
                ? "WARN" : "INFO", "webhook " + result.disposition().name().toLowerCase(java.util.Locale.ROOT), fields);
        return toApi(result.response());
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        priming.run();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // clients reconnect lazily
    }

    private static boolean isOrdersRoute(APIGatewayV2HTTPEvent event) {
        String routeKey = event.getRouteKey();
        if (routeKey != null && !routeKey.equals("$default")) {
            return routeKey.equals("POST " + ROUTE);
        }
        var context = event.getRequestContext();
        String method = context == null || context.getHttp() == null ? null : context.getHttp().getMethod();
        String path = event.getRawPath();
        return "POST".equalsIgnoreCase(method) && path != null && path.endsWith(ROUTE);
    }

    private static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        return event.getIsBase64Encoded() ? Base64.getMimeDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(APIGatewayV2HTTPEvent event, String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return "";
        }
        String value = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse("");
        return value.length() > 256 ? value.substring(0, 256) + "…" : value; // unverified input: bounded in logs
    }

    private static APIGatewayV2HTTPResponse toApi(WebhookResponse response) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(response.statusCode())
                .withHeaders(response.headers()).withBody(response.body()).build();
    }

    /** The executor B's order.paid handler runs through, shared with reconcile (same table, same scope). */
    public static IdempotentExecutor executor(DynamoDbClient dynamoDb, String idempotencyTable) {
        return IdempotentExecutor.builder().dynamoDb(dynamoDb, idempotencyTable).scope(OrdersExample.SCOPE).build();
    }

    /** Everything the handler needs, built from the environment. */
    record Wiring(WebhookReceiver receiver, DynamoDbOrderStore orders, Runnable priming) {
        static Wiring from(Map<String, String> env, DynamoDbClient dynamoDb) {
            String ordersTable = OrdersExample.tableName(env, OrdersExample.RECEIVER_ORDERS_TABLE);
            String idempotencyTable = OrdersExample.tableName(env, OrdersExample.RECEIVER_IDEMPOTENCY_TABLE);
            String secrets = SigningSecrets.fromEnvironment(env); // Secrets Manager, SSM or (locally) plain
            WebhookReceiver receiver = WebhookReceiver.builder().secretList(secrets)
                    .executor(executor(dynamoDb, idempotencyTable)).build();
            DynamoDbOrderStore orders = new DynamoDbOrderStore(dynamoDb, ordersTable, Clock.systemUTC());
            Runnable priming = () -> {
                orders.find("ben-priming-probe");
                receiver.executor();
            };
            return new Wiring(receiver, orders, priming);
        }
    }

}

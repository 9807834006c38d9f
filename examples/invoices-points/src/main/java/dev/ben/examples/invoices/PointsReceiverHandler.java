package dev.ben.examples.invoices;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.ben.core.observability.JsonLog;
import dev.ben.receiver.kit.SigningSecrets;
import dev.ben.receiver.kit.WebhookHandler;
import dev.ben.receiver.kit.WebhookReceiver;
import dev.ben.receiver.kit.WebhookResponse;
import dev.ben.receiver.kit.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /webhooks/invoices} (HTTP API, payload 2.0): Standard Webhooks verification with
 * the signing secrets of {@code SigningSecrets} (Secrets Manager, SSM or, locally, {@code BEN_RECEIVER_SECRETS}), then
 * {@link PointsWebhook} through the kit's executor (scope {@code points}).
 */
public class PointsReceiverHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final WebhookReceiver receiver;
    private final WebhookHandler handler;
    private final JsonLog log;

    public PointsReceiverHandler() {
        this(System.getenv());
    }

    public PointsReceiverHandler(Map<String, String> env) {
        this(receiver(env, PointsWiring.from(env, InvoicesExample.RECEIVER_FUNCTION)));
    }

    private PointsReceiverHandler(Parts parts) {
        this(parts.receiver(), parts.handler(), JsonLog.to(System.out, InvoicesExample.RECEIVER_FUNCTION,
                Clock.systemUTC()));
    }

    PointsReceiverHandler(WebhookReceiver receiver, WebhookHandler handler, JsonLog log) {
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        WebhookResult result = receiver.handle(event.getHeaders(), body(event), handler);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("disposition", result.disposition().name());
        fields.put("statusCode", result.response().statusCode());
        if (context != null) {
            fields.put("requestId", context.getAwsRequestId());
        }
        log.info("webhook " + result.disposition().name().toLowerCase(Locale.ROOT), fields);
        WebhookResponse response = result.response();
        return APIGatewayV2HTTPResponse.builder().withStatusCode(response.statusCode())
                .withHeaders(response.headers()).withBody(response.body()).build();
    }

    private static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        return event.getIsBase64Encoded() ? Base64.getMimeDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }

    private record Parts(WebhookReceiver receiver, WebhookHandler handler) {
    }

    private static Parts receiver(Map<String, String> env, PointsWiring wiring) {
        String secrets = SigningSecrets.fromEnvironment(env); // Secrets Manager, SSM or (locally) plain
        return new Parts(WebhookReceiver.builder().secretList(secrets).executor(wiring.executor()).build(),
                wiring.handler());
    }
}

package dev.ben.local.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * HTTP test handler created by class name with the function environment (the {@code Map} constructor the
 * runtime prefers). Echoes what it received as JSON; {@code /boom} throws; binary bodies are echoed as binary.
 */
public final class EnvEchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> env;

    public EnvEchoHandler(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (event.getRawPath().endsWith("/boom")) {
            throw new IllegalStateException("boom on purpose");
        }
        if (event.getIsBase64Encoded()) {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("Content-Type", "application/octet-stream"))
                    .withBody(event.getBody()).withIsBase64Encoded(true).build();
        }
        ObjectNode echo = JSON.createObjectNode();
        echo.set("event", JSON.valueToTree(event));
        echo.put("functionName", context.getFunctionName());
        echo.put("ordersTable", env.get("BEN_ORDERS_TABLE"));
        echo.put("retryQueueUrl", env.get("BEN_RETRY_QUEUE_URL"));
        echo.put("region", env.get("AWS_REGION"));
        echo.put("dynamoDbEndpoint", env.get("AWS_ENDPOINT_URL_DYNAMODB"));
        echo.put("token", env.get("BEN_STATUS_API_TOKEN"));
        return APIGatewayV2HTTPResponse.builder().withStatusCode(201)
                .withHeaders(Map.of("Content-Type", "application/json", "X-Echo", "yes"))
                .withCookies(List.of("session=abc; Path=/"))
                .withBody(echo.toString()).build();
    }
}

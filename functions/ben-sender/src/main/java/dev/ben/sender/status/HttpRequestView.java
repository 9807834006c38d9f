package dev.ben.sender.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;

/** The parts of an HTTP API (payload 2.0) event the status API uses, null-safe. */
record HttpRequestView(String method, String path, boolean iamCaller, Map<String, String> headers) {

    static HttpRequestView of(APIGatewayV2HTTPEvent e) {
        if (e == null) {
            return new HttpRequestView("", "", false, Map.of());
        }
        var ctx = e.getRequestContext();
        String method = ctx != null && ctx.getHttp() != null && ctx.getHttp().getMethod() != null
                ? ctx.getHttp().getMethod() : "";
        boolean iam = ctx != null && ctx.getAuthorizer() != null && ctx.getAuthorizer().getIam() != null;
        String path = e.getRawPath() == null ? "" : e.getRawPath();
        Map<String, String> params = e.getPathParameters();
        if (params != null && params.get("orderId") != null) {
            path = "/orders/" + params.get("orderId");
        } else if (params != null && params.get("deliveryId") != null) {
            path = "/deliveries/" + params.get("deliveryId");
        }
        return new HttpRequestView(method, path, iam, e.getHeaders() == null ? Map.of() : e.getHeaders());
    }

    String header(String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}

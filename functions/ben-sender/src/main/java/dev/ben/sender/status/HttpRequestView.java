package dev.ben.sender.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The parts of an HTTP API (payload 2.0) event the status API uses, null-safe. */
record HttpRequestView(String method, String rawPath, Map<String, String> query, boolean iamCaller,
                       Map<String, String> headers) {

    static HttpRequestView of(APIGatewayV2HTTPEvent e) {
        if (e == null) {
            return new HttpRequestView("", "", Map.of(), false, Map.of());
        }
        var ctx = e.getRequestContext();
        String method = ctx != null && ctx.getHttp() != null && ctx.getHttp().getMethod() != null
                ? ctx.getHttp().getMethod() : "";
        boolean iam = ctx != null && ctx.getAuthorizer() != null && ctx.getAuthorizer().getIam() != null;
        String path = e.getRawPath() == null || e.getRawPath().isEmpty() ? fromParameters(e.getPathParameters())
                : stripStage(e.getRawPath(), ctx == null ? null : ctx.getStage());
        return new HttpRequestView(method, path,
                e.getQueryStringParameters() == null ? Map.of() : e.getQueryStringParameters(), iam,
                e.getHeaders() == null ? Map.of() : e.getHeaders());
    }

    /** A path rebuilt from the route's (decoded) parameters, when the event carries no raw path. */
    private static String fromParameters(Map<String, String> params) {
        if (params == null) {
            return "";
        }
        if (params.get("entityId") != null) {
            return "/entities/" + encode(params.get("entityId")) + "/events";
        }
        if (params.get("eventId") != null) {
            return "/events/" + encode(params.get("eventId"));
        }
        if (params.get("deliveryId") != null) {
            return "/deliveries/" + encode(params.get("deliveryId"));
        }
        return "";
    }

    /** An HTTP API's non-default stage prefixes the raw path ({@code /prod/events/…}). */
    private static String stripStage(String rawPath, String stage) {
        if (stage != null && !stage.isEmpty() && !"$default".equals(stage) && rawPath.startsWith("/" + stage + "/")) {
            return rawPath.substring(stage.length() + 1);
        }
        return rawPath;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    String header(String name) {
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}

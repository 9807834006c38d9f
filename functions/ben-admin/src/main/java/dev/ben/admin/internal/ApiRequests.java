package dev.ben.admin.internal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** An API Gateway HTTP API (payload 2.0) event as an {@link ApiRequest}, null-safe. */
public final class ApiRequests {

    private ApiRequests() {
    }

    public static ApiRequest of(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        String method = context != null && context.getHttp() != null ? context.getHttp().getMethod() : "";
        boolean iam = context != null && context.getAuthorizer() != null && context.getAuthorizer().getIam() != null;
        String path = stripStage(event.getRawPath() == null ? "" : event.getRawPath(),
                context == null ? null : context.getStage());
        return new ApiRequest(method, path, Map.of(), orEmpty(event.getQueryStringParameters()),
                lowerCase(event.getHeaders()), body(event), iam, context == null ? "" : context.getRequestId());
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        if (event.getBody() == null) {
            return "";
        }
        if (event.getIsBase64Encoded()) {
            try {
                return new String(Base64.getDecoder().decode(event.getBody()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(null, "the body is marked base64 but is not");
            }
        }
        return event.getBody();
    }

    /** A non-default stage prefixes the raw path ({@code /prod/v1/…}). */
    private static String stripStage(String rawPath, String stage) {
        if (stage != null && !stage.isEmpty() && !"$default".equals(stage) && rawPath.startsWith("/" + stage + "/")) {
            return rawPath.substring(stage.length() + 1);
        }
        return rawPath;
    }

    private static Map<String, String> lowerCase(Map<String, String> headers) {
        Map<String, String> lower = new LinkedHashMap<>();
        orEmpty(headers).forEach((k, v) -> {
            if (k != null && v != null) {
                lower.put(k.toLowerCase(Locale.ROOT), v);
            }
        });
        return lower;
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        Map<String, String> copy = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    copy.put(k, v);
                }
            });
        }
        return copy;
    }
}

package dev.ben.infra.iam;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every operation of the management API once, over the local HTTP API with the bearer token, so that the calls the
 * management function makes (and only those) are what its roles are held to.
 */
final class ManagementApiExercise {

    private static final Pattern DELIVERY_ID = Pattern.compile("\"deliveryId\":\"(dlv_[^\"]+)\"");

    private final URI api;
    private final String token;
    private final Consumer<String> log;
    private final HttpClient http = HttpClient.newHttpClient();

    ManagementApiExercise(URI api, String token, Consumer<String> log) {
        this.api = api;
        this.token = token;
        this.log = log;
    }

    /** @param receiver a URL that answers 2xx (eventually) */
    void run(String receiver) throws IOException, InterruptedException {
        String tenant = "/v1/tenants/m-api";
        String endpoint = tenant + "/endpoints/ep_api";
        call("POST", "/v1/tenants", "{\"tenantId\":\"m-api\"}", 201);
        call("GET", "/v1/tenants", null, 200);
        call("GET", tenant, null, 200);
        call("PATCH", tenant, "{\"allowedHosts\":[\"pay.example.com\"]}", 200);
        call("POST", tenant + "/secret/rotate", null, 200);
        call("POST", tenant + "/secret/retire", null, 200);
        call("POST", tenant + "/endpoints", "{\"endpointId\":\"ep_api\",\"url\":\"" + receiver
                + "\",\"eventTypes\":[\"*\"]}", 201, "idempotency-key", "iam-create");
        call("POST", tenant + "/endpoints", "{\"endpointId\":\"ep_api\",\"url\":\"" + receiver
                + "\",\"eventTypes\":[\"*\"]}", 201, "idempotency-key", "iam-create");
        call("GET", tenant + "/endpoints", null, 200);
        call("PATCH", endpoint, "{\"headers\":{\"X-Partner\":\"iam\"}}", 200);
        call("POST", endpoint + "/disable", "{\"reason\":\"iam check\"}", 200);
        call("POST", endpoint + "/enable", null, 200);
        call("POST", endpoint + "/secret/rotate", null, 200);
        call("POST", endpoint + "/secret/retire", null, 200);
        String test = call("POST", endpoint + "/test", null, 202);
        String delivery = deliveryId(test);
        call("GET", endpoint, null, 200);
        call("GET", tenant + "/deliveries?endpointId=ep_api", null, 200);
        call("GET", tenant + "/deliveries/" + delivery, null, 200);
        call("POST", tenant + "/deliveries/" + delivery + "/replay", null, 202);
        call("POST", endpoint + "/recover", "{\"since\":\"1h\"}", 200);
        call("GET", tenant + "/stats?since=1h", null, 200);
        call("GET", "/v1/stats?since=1h", null, 200);
        call("GET", "/v1/dlq", null, 200);
        call("POST", "/v1/dlq/redrive", "{\"limit\":5}", 200);
        call("DELETE", endpoint, null, 204);
    }

    private String call(String method, String path, String body, int expected, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("content-type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new AssertionError("management API " + method + " " + path + " → " + response.statusCode()
                    + " (expected " + expected + "): " + response.body());
        }
        log.accept("management API: " + method + " " + path + " → " + response.statusCode());
        return response.body();
    }

    private static String deliveryId(String body) {
        Matcher m = DELIVERY_ID.matcher(body);
        if (!m.find()) {
            throw new AssertionError("no deliveryId in " + body);
        }
        return m.group(1);
    }
}

package dev.ben.admin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Calls the management API over real HTTP and checks every exchange against docs/api/openapi.yaml with
 * swagger-request-validator: a request the document does not allow, or a response it does not describe, fails the
 * test. Calls meant to be refused ({@link #invalid}) are sent as given; only their response is checked.
 */
final class ApiClient {

    static final Path DOCUMENT = Path.of("..", "..", "docs", "api", "openapi.yaml").toAbsolutePath().normalize();
    private static final OpenApiInteractionValidator VALIDATOR = validator();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

    private static OpenApiInteractionValidator validator() {
        try {
            return OpenApiInteractionValidator.createForInlineApiSpecification(Files.readString(DOCUMENT)).build();
        } catch (OpenApiInteractionValidator.ApiLoadException e) {
            throw new IllegalStateException("cannot load " + DOCUMENT + ": " + e.getParseMessages(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ApiClient(URI base, String token) {
        this.base = base;
        if (token != null) {
            defaultHeaders.put("Authorization", "Bearer " + token);
        }
    }

    /** A response: status, headers (lower case), body as text and as JSON (null when empty). */
    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return body.isEmpty() ? null : JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The error code of an error answer. */
        String errorCode() {
            return json().path("error").path("code").asText();
        }

        String errorMessage() {
            return json().path("error").path("message").asText();
        }
    }

    Reply get(String pathAndQuery) {
        return call("GET", pathAndQuery, null, Map.of(), true);
    }

    Reply post(String path, String body) {
        return call("POST", path, body, Map.of(), true);
    }

    Reply post(String path, String body, Map<String, String> headers) {
        return call("POST", path, body, headers, true);
    }

    Reply patch(String path, String body) {
        return call("PATCH", path, body, Map.of(), true);
    }

    Reply delete(String path) {
        return call("DELETE", path, null, Map.of(), true);
    }

    /** A call the document does not allow (unknown field, bad value…): sent as is, its response checked. */
    Reply invalid(String method, String pathAndQuery, String body) {
        return call(method, pathAndQuery, body, Map.of(), false);
    }

    Reply invalid(String method, String pathAndQuery, String body, Map<String, String> headers) {
        return call(method, pathAndQuery, body, headers, false);
    }

    /** A call outside the document (unknown path or method): nothing to check it against. */
    Reply outsideTheDocument(String method, String pathAndQuery, String body) {
        return exchange(method, pathAndQuery, body, Map.of());
    }

    Reply call(String method, String pathAndQuery, String body, Map<String, String> headers, boolean validRequest) {
        Reply reply = exchange(method, pathAndQuery, body, headers);
        Map<String, String> all = new LinkedHashMap<>(defaultHeaders);
        all.putAll(headers);
        validate(method, pathAndQuery, body, all, reply, validRequest);
        return reply;
    }

    private Reply exchange(String method, String pathAndQuery, String body, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(defaultHeaders);
        all.putAll(headers);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        all.forEach(request::header);
        HttpResponse<String> response = send(request.build());
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        response.headers().map().forEach((k, v) -> responseHeaders.put(k.toLowerCase(Locale.ROOT), v.getFirst()));
        return new Reply(response.statusCode(), responseHeaders, response.body());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void validate(String method, String pathAndQuery, String body, Map<String, String> headers,
                                 Reply reply, boolean validRequest) {
        URI uri = URI.create(pathAndQuery);
        SimpleResponse.Builder response = SimpleResponse.Builder.status(reply.status());
        reply.headers().forEach(response::withHeader);
        if (!reply.body().isEmpty()) {
            response.withBody(reply.body());
        }
        ValidationReport report;
        if (validRequest) {
            SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getRawPath());
            headers.forEach(request::withHeader);
            if (body != null) {
                request.withBody(body).withContentType("application/json");
            }
            query(uri).forEach(request::withQueryParam);
            report = VALIDATOR.validate(request.build(), response.build());
        } else {
            report = VALIDATOR.validateResponse(uri.getRawPath(), Request.Method.valueOf(method), response.build());
        }
        assertThat(report.hasErrors()).as(method + " " + pathAndQuery + " -> " + reply.status() + " " + reply.body()
                + "\nagainst " + DOCUMENT + ":\n" + SimpleValidationReportFormat.getInstance().apply(report))
                .isFalse();
    }

    private static Map<String, List<String>> query(URI uri) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return query;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }
}

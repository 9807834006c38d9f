package dev.ben.admin.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One management API request, independent of how it arrived (API Gateway payload 2.0 in AWS, the local runtime's
 * HTTP API locally).
 *
 * @param method         upper case
 * @param path           the raw (percent-encoded) path, without a stage prefix
 * @param pathParameters decoded path parameters of the matched route (empty before routing)
 * @param query          decoded query parameters
 * @param headers        header names in lower case
 * @param body           the body as text ("" when none)
 * @param iamCaller      API Gateway's IAM authorizer already authenticated the caller
 * @param requestId      API Gateway's request id ("" when unknown), for logs and 500 answers
 */
public record ApiRequest(String method, String path, Map<String, String> pathParameters, Map<String, String> query,
                         Map<String, String> headers, String body, boolean iamCaller, String requestId) {

    public ApiRequest {
        method = method == null ? "" : method.toUpperCase(Locale.ROOT);
        path = path == null ? "" : path;
        pathParameters = Map.copyOf(pathParameters);
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
        requestId = requestId == null ? "" : requestId;
    }

    /** A request without a request id (tests, callers outside API Gateway). */
    public ApiRequest(String method, String path, Map<String, String> pathParameters, Map<String, String> query,
                      Map<String, String> headers, String body, boolean iamCaller) {
        this(method, path, pathParameters, query, headers, body, iamCaller, "");
    }

    public ApiRequest withPathParameters(Map<String, String> parameters) {
        return new ApiRequest(method, path, parameters, query, headers, body, iamCaller, requestId);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public Optional<String> queryParameter(String name) {
        String value = query.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** A path parameter of the matched route (the router guarantees it is there). */
    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }
}

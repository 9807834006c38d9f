package dev.ben.admin.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Routes requests by method and path to operations, API Gateway style: {@code {name}} matches one non-empty
 * segment, literal segments win over parameters ({@code /v1/dlq/redrive} is never {@code /v1/dlq/{id}}). An
 * unknown path answers 404, a known path with another method 405 naming the allowed ones.
 */
public final class Router {

    private record Route(String method, String template, List<String> segments, Operation operation) {
        Optional<Map<String, String>> match(List<String> path) {
            if (path.size() != segments.size()) {
                return Optional.empty();
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < segments.size(); i++) {
                String part = segments.get(i);
                if (part.startsWith("{")) {
                    if (path.get(i).isEmpty()) {
                        return Optional.empty();
                    }
                    parameters.put(part.substring(1, part.length() - 1), path.get(i));
                } else if (!part.equals(path.get(i))) {
                    return Optional.empty();
                }
            }
            return Optional.of(parameters);
        }

        long literals() {
            return segments.stream().filter(s -> !s.startsWith("{")).count();
        }
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String template, Operation operation) {
        routes.add(new Route(method, template, split(template), operation));
        routes.sort(Comparator.comparingLong(Route::literals).reversed());
        return this;
    }

    /** Every route as {@code "POST /v1/tenants"}. */
    public List<String> routeKeys() {
        return routes.stream().map(r -> r.method() + " " + r.template()).toList();
    }

    public ApiResponse dispatch(ApiRequest request) {
        List<String> path = decoded(request.path());
        // routes are sorted most literal first: the first template that matches the path is the most specific
        List<Route> matching = routes.stream().filter(r -> r.match(path).isPresent()).toList();
        if (matching.isEmpty()) {
            throw ApiException.notFound("no route " + request.method() + " " + request.path()
                    + " (the routes are in docs/api/openapi.yaml)");
        }
        List<Route> best = matching.stream().filter(r -> r.template().equals(matching.getFirst().template()))
                .toList();
        for (Route route : best) {
            if (route.method().equals(request.method())) {
                return route.operation().handle(request.withPathParameters(route.match(path).orElseThrow()));
            }
        }
        String allowed = String.join(", ", new TreeSet<>(best.stream().map(Route::method).toList()));
        return new ApiException(405, ApiException.METHOD_NOT_ALLOWED, request.method() + " is not allowed on "
                + request.path() + "; use " + allowed, null).response().withHeader("allow", allowed);
    }

    private static List<String> split(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("/", -1));
    }

    private static List<String> decoded(String rawPath) {
        try {
            return split(rawPath).stream()
                    .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8)).toList();
        } catch (IllegalArgumentException malformed) {
            throw ApiException.invalid(null, "malformed percent-encoding in the path " + rawPath);
        }
    }
}

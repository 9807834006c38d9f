package dev.ben.local.runtime.internal;

import dev.ben.settings.Trigger.HttpAuth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP API route ({@code GET /events/{eventId}}): method ({@code ANY} matches every method), path template
 * with {@code {name}} (one segment) and a trailing {@code {name+}} (the rest of the path). A route whose
 * function is not deployed locally ({@code function} null) answers 503 with {@code unavailableReason}.
 */
public record HttpRoute(String method, String path, HttpAuth auth, LambdaFunction function, String unavailableReason) {

    public HttpRoute {
        method = method.toUpperCase(Locale.ROOT);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with '/': " + path);
        }
    }

    public HttpRoute(String method, String path, HttpAuth auth, LambdaFunction function) {
        this(method, path, auth, function, "");
    }

    public String routeKey() {
        return method + " " + path;
    }

    /** Path parameters (decoded) when the route matches the method and the raw path's decoded segments. */
    public Optional<Map<String, String>> match(String requestMethod, List<String> segments) {
        if (!"ANY".equals(method) && !method.equalsIgnoreCase(requestMethod)) {
            return Optional.empty();
        }
        List<String> template = HttpApiServer.segments(path);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String part = template.get(i);
            boolean greedy = part.startsWith("{") && part.endsWith("+}");
            if (greedy) {
                if (i != template.size() - 1 || segments.size() <= i) {
                    return Optional.empty();
                }
                parameters.put(part.substring(1, part.length() - 2), String.join("/", segments.subList(i, segments.size())));
                return Optional.of(parameters);
            }
            if (i >= segments.size()) {
                return Optional.empty();
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                if (segments.get(i).isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(part.substring(1, part.length() - 1), segments.get(i));
            } else if (!part.equals(segments.get(i))) {
                return Optional.empty();
            }
        }
        return segments.size() == template.size() ? Optional.of(parameters) : Optional.empty();
    }

    /** More literal segments first, then fewer parameters: API Gateway's "most specific route wins". */
    int specificity() {
        List<String> template = HttpApiServer.segments(path);
        int literal = (int) template.stream().filter(s -> !s.startsWith("{")).count();
        int greedy = template.stream().anyMatch(s -> s.endsWith("+}")) ? 1 : 0;
        return literal * 100 + template.size() * 10 - greedy * 5 + ("ANY".equals(method) ? 0 : 1);
    }
}

package dev.ben.infra.iam;

import dev.ben.settings.BenSettings;
import dev.ben.settings.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The recorded calls as a table (function → actions → resources) for the test output and the docs: one row per
 * function and resource, API paths shown as their routes ({@code GET /orders/{orderId}}).
 */
public final class Evidence {

    private Evidence() {
    }

    /** Markdown: {@code | function | actions | resource | why |}, calls first, then event sources. */
    public static String markdown(Collection<AwsCall> calls, BenSettings settings) {
        StringBuilder out = new StringBuilder();
        out.append("| function | actions | resource | made by |\n|---|---|---|---|\n");
        Map<String, Map<String, Set<String>>> byFunction = new TreeMap<>();
        for (AwsCall call : calls) {
            byFunction.computeIfAbsent(call.function(), f -> new TreeMap<>())
                    .computeIfAbsent(describe(call.resource(), settings), r -> new TreeSet<>()).add(call.action());
        }
        for (String function : functionsInOrder(settings, byFunction.keySet())) {
            byFunction.getOrDefault(function, Map.of()).forEach((resource, actions) -> out.append("| ")
                    .append(function).append(" | ").append(String.join(", ", actions)).append(" | ").append(resource)
                    .append(" | the function |\n"));
            Map<String, Set<String>> sources = new TreeMap<>();
            settings.functions().stream().filter(f -> f.logicalName().equals(function))
                    .flatMap(f -> Requirements.eventSources(f, settings).stream())
                    .forEach(r -> sources.computeIfAbsent(r.arn(), a -> new TreeSet<>()).add(r.action()));
            sources.forEach((arn, actions) -> out.append("| ").append(function).append(" | ")
                    .append(String.join(", ", actions)).append(" | ").append(shortArn(arn))
                    .append(" | its event source (Lambda) |\n"));
        }
        return out.toString();
    }

    /** Writes the table to {@code file} (creating directories). */
    public static void write(Path file, String markdown) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> functionsInOrder(BenSettings settings, Set<String> recorded) {
        List<String> order = new ArrayList<>(settings.functions().stream().map(f -> f.logicalName()).toList());
        recorded.stream().filter(f -> !order.contains(f)).forEach(order::add);
        return order;
    }

    static String describe(CallResource resource, BenSettings settings) {
        return switch (resource) {
            case CallResource.Table t -> t.index().isEmpty() ? "table " + t.name()
                    : "table " + t.name() + ", index " + t.index();
            case CallResource.Stream s -> "stream of " + s.table();
            case CallResource.Queue q -> "queue " + q.name();
            case CallResource.ApiRoute r -> r.api() + " route " + route(r, settings);
            case CallResource.Account a -> "*";
        };
    }

    /** The declared route a request path belongs to ({@code /orders/o-1} → {@code GET /orders/{orderId}}). */
    static String route(CallResource.ApiRoute request, BenSettings settings) {
        return settings.functions().stream().flatMap(f -> f.triggers().stream())
                .filter(Trigger.HttpTrigger.class::isInstance).map(Trigger.HttpTrigger.class::cast)
                .filter(h -> h.api().equals(request.api()) && h.method().equals(request.method()))
                .filter(h -> request.path().matches(h.path().replaceAll("\\{[^/]+}", "[^/]+")))
                .map(h -> h.method() + " " + h.path()).findFirst()
                .orElse(request.method() + " " + request.path());
    }

    private static String shortArn(String arn) {
        if (arn.contains(":dynamodb:") && arn.contains("/stream/")) {
            return "stream of " + arn.substring(arn.indexOf(":table/") + 7, arn.indexOf("/stream/"));
        }
        if (arn.contains(":sqs:")) {
            return "queue " + arn.substring(arn.lastIndexOf(':') + 1);
        }
        return arn;
    }
}

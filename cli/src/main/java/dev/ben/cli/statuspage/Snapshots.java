package dev.ben.cli.statuspage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.CliException;
import dev.ben.cli.ExitCodes;
import dev.ben.cli.internal.DeliveryPages;
import dev.ben.cli.internal.Pages;
import dev.ben.cli.internal.Scopes;
import dev.ben.cli.internal.Views;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.core.model.DeliveryStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the status page shows, read through the management API (bounded: a local-stack page, not a console): the
 * deliveries of every tenant scope (or one), the attempt history of the most recent ones, and every endpoint with
 * its health.
 */
final class Snapshots {

    /** Most deliveries read per snapshot. */
    static final int MAX_DELIVERIES = 2000;
    /** Deliveries shown, most recently updated first. */
    static final int SHOWN = 200;
    /** Deliveries whose attempt history (timeline) is included. */
    static final int WITH_TIMELINE = 60;

    private final ApiClient api;
    private final Clock clock;

    Snapshots(ApiClient api, Clock clock) {
        this.api = api;
        this.clock = clock;
    }

    /** @param tenant only this tenant's deliveries and endpoints ("" = tenant-less ones); empty = all */
    Map<String, Object> snapshot(Optional<String> tenant) {
        List<String> everyScope = new Scopes(api).all();
        List<String> scopes = tenant.map(t -> List.of(t.isEmpty() ? Scopes.NONE : t)).orElse(everyScope);
        Set<String> tenants = new TreeSet<>();
        everyScope.forEach(s -> tenants.add(s.equals(Scopes.NONE) ? "" : s));
        List<Map<String, Object>> all = new ArrayList<>();
        new DeliveryPages(api).list(scopes, Map.of(), MAX_DELIVERIES, null).items()
                .forEach(d -> all.add(Views.delivery(d)));
        all.sort(Comparator.comparing((Map<String, Object> d) -> (String) d.get("updatedAt")).reversed()
                .thenComparing(d -> (String) d.get("deliveryId")));
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (DeliveryStatus s : DeliveryStatus.values()) {
            counts.put(s.name(), 0);
        }
        Map<String, Map<String, Integer>> perEndpoint = new HashMap<>();
        for (Map<String, Object> d : all) {
            counts.merge((String) d.get("status"), 1, Integer::sum);
            perEndpoint.computeIfAbsent((String) d.get("endpointId"), k -> new TreeMap<>())
                    .merge((String) d.get("status"), 1, Integer::sum);
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("generatedAt", clock.instant().toString());
        snapshot.put("tenant", tenant.orElse(null));
        snapshot.put("tenants", List.copyOf(tenants));
        snapshot.put("counts", counts);
        snapshot.put("total", all.size());
        snapshot.put("truncated", all.size() >= MAX_DELIVERIES);
        snapshot.put("deliveries", withTimelines(all));
        Map<String, String> malformed = new TreeMap<>();
        snapshot.put("endpoints", endpoints(scopes, perEndpoint, malformed));
        snapshot.put("malformedEndpoints", malformed);
        return snapshot;
    }

    /** The first {@value #SHOWN}, the first {@value #WITH_TIMELINE} of them with their attempts (read in parallel). */
    private List<Map<String, Object>> withTimelines(List<Map<String, Object>> all) {
        Map<String, CompletableFuture<List<Map<String, Object>>>> timelines = new HashMap<>();
        try (ExecutorService readers = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
            all.stream().limit(WITH_TIMELINE).forEach(d -> timelines.put((String) d.get("deliveryId"),
                    CompletableFuture.supplyAsync(() -> Views.attempts(detail(d).path("attemptHistory")), readers)));
        }
        return all.stream().limit(SHOWN).map(d -> {
            Map<String, Object> v = new LinkedHashMap<>(d);
            var timeline = timelines.get((String) d.get("deliveryId"));
            if (timeline != null) {
                v.put("timeline", timeline.join());
            }
            return v;
        }).toList();
    }

    private JsonNode detail(Map<String, Object> delivery) {
        String scope = delivery.get("tenantId") == null ? Scopes.NONE : (String) delivery.get("tenantId");
        return api.get(Scopes.of(scope).then("deliveries", (String) delivery.get("deliveryId")));
    }

    private List<Map<String, Object>> endpoints(List<String> scopes, Map<String, Map<String, Integer>> perEndpoint,
                                                Map<String, String> malformed) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (String scope : scopes) {
            Pages.All all = Pages.all(api, Scopes.of(scope).then("endpoints"));
            malformed.putAll(all.malformed());
            for (JsonNode e : all.items()) {
                Map<String, Object> v = new LinkedHashMap<>(Views.endpoint(e));
                v.remove("secrets");
                Map<String, Integer> c = perEndpoint.getOrDefault((String) v.get("endpointId"), Map.of());
                v.put("counts", c);
                v.put("health", health(v, c));
                views.add(v);
            }
        }
        views.sort(Comparator.comparing(v -> (String) v.get("endpointId")));
        return views;
    }

    Optional<Map<String, Object>> delivery(String id) {
        try {
            JsonNode detail = new Scopes(api).find(null, "deliveries", id, "no delivery " + id).resource();
            Map<String, Object> v = new LinkedHashMap<>(Views.delivery(detail.path("delivery")));
            v.put("timeline", Views.attempts(detail.path("attemptHistory")));
            return Optional.of(v);
        } catch (CliException e) {
            if (e.exitCode() == ExitCodes.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** healthy | failing | circuit-open | disabled. */
    static String health(Map<String, Object> endpoint, Map<String, Integer> counts) {
        if (!Boolean.TRUE.equals(endpoint.get("enabled"))) {
            return "disabled";
        }
        if (!"CLOSED".equals(endpoint.get("circuit"))) {
            return "circuit-open"; // direct attempts are skipped until the probe succeeds
        }
        if (endpoint.get("failingSince") != null || counts.getOrDefault("RETRYING", 0) > 0) {
            return "failing";
        }
        return "healthy";
    }
}

package dev.ben.cli.statuspage;

import dev.ben.admin.DeliveryQueries;
import dev.ben.admin.EndpointAdmin;
import dev.ben.cli.internal.BenConnection;
import dev.ben.cli.internal.Views;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.settings.BenSettings;
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

/** What the status page shows, read through the sender's adapters (bounded: a local-stack page, not a console). */
final class Snapshots {

    /** Most deliveries read per snapshot. */
    static final int MAX_DELIVERIES = 2000;
    /** Deliveries shown, most recently updated first. */
    static final int SHOWN = 200;
    /** Deliveries whose attempt history (timeline) is included. */
    static final int WITH_TIMELINE = 60;

    private final BenConnection connection;

    Snapshots(BenConnection connection) {
        this.connection = connection;
    }

    Map<String, Object> snapshot() {
        return snapshot(Optional.empty());
    }

    /** @param tenant only this tenant's deliveries and endpoints ("" = tenant-less ones); empty = all */
    Map<String, Object> snapshot(Optional<String> tenant) {
        var queries = new DeliveryQueries(connection.dynamoDb(), connection.table(BenSettings.DELIVERIES_TABLE),
                connection.deliveries());
        List<StoredDelivery> read = queries.list(DeliveryQueries.Filter.none(), MAX_DELIVERIES, Map.of()).items();
        Set<String> tenants = new TreeSet<>();
        read.forEach(s -> tenants.add(s.delivery().tenantId()));
        List<StoredDelivery> all = read.stream()
                .filter(s -> tenant.isEmpty() || s.delivery().tenantId().equals(tenant.get()))
                .sorted(Comparator.comparing((StoredDelivery s) -> s.delivery().updatedAt()).reversed()
                        .thenComparing(StoredDelivery::id)).toList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (DeliveryStatus s : DeliveryStatus.values()) {
            counts.put(s.name(), 0);
        }
        Map<String, Map<String, Integer>> perEndpoint = new HashMap<>();
        for (StoredDelivery s : all) {
            counts.merge(s.delivery().status().name(), 1, Integer::sum);
            perEndpoint.computeIfAbsent(s.delivery().endpointId(), k -> new TreeMap<>())
                    .merge(s.delivery().status().name(), 1, Integer::sum);
        }
        var attempts = connection.attempts();
        Map<String, CompletableFuture<List<Map<String, Object>>>> timelines = new HashMap<>();
        try (ExecutorService readers = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory())) {
            all.stream().limit(WITH_TIMELINE).forEach(s -> timelines.put(s.id(), CompletableFuture.supplyAsync(
                    () -> attempts.list(s.id()).stream().map(Views::attempt).toList(), readers)));
        }
        List<Map<String, Object>> deliveries = all.stream().limit(SHOWN).map(s -> {
            Map<String, Object> v = new LinkedHashMap<>(Views.delivery(s));
            var timeline = timelines.get(s.id());
            if (timeline != null) {
                v.put("timeline", timeline.join());
            }
            return v;
        }).toList();
        Map<String, String> malformed = new TreeMap<>();
        List<Endpoint> everyEndpoint = new EndpointAdmin(connection.dynamoDb(),
                connection.table(BenSettings.ENDPOINTS_TABLE), connection.endpoints()).all(malformed);
        everyEndpoint.forEach(e -> tenants.add(e.tenantId()));
        List<Endpoint> endpoints = everyEndpoint.stream()
                .filter(e -> tenant.isEmpty() || e.tenantId().equals(tenant.get())).toList();
        List<Map<String, Object>> endpointViews = endpoints.stream().map(e -> {
            Map<String, Object> v = new LinkedHashMap<>(Views.endpoint(e, false));
            v.remove("secrets");
            Map<String, Integer> c = perEndpoint.getOrDefault(e.id(), Map.of());
            v.put("counts", c);
            v.put("health", health(e, c));
            return v;
        }).toList();
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("generatedAt", connection.clock().instant().toString());
        snapshot.put("tenant", tenant.orElse(null));
        snapshot.put("tenants", List.copyOf(tenants));
        snapshot.put("counts", counts);
        snapshot.put("total", all.size());
        snapshot.put("truncated", all.size() >= MAX_DELIVERIES);
        snapshot.put("deliveries", deliveries);
        snapshot.put("endpoints", endpointViews);
        snapshot.put("malformedEndpoints", malformed);
        return snapshot;
    }

    Optional<Map<String, Object>> delivery(String id) {
        return connection.deliveries().find(id).map(s -> {
            Map<String, Object> v = new LinkedHashMap<>(Views.delivery(s));
            v.put("timeline", connection.attempts().list(id).stream().map(Views::attempt).toList());
            return v;
        });
    }

    /** healthy | failing | circuit-open | disabled. */
    static String health(Endpoint e, Map<String, Integer> counts) {
        if (!e.enabled()) {
            return "disabled";
        }
        if (!e.circuit().closed()) {
            return "circuit-open"; // direct attempts are skipped until the probe succeeds
        }
        if (e.firstFailureAt() != null || counts.getOrDefault("RETRYING", 0) > 0) {
            return "failing";
        }
        return "healthy";
    }
}

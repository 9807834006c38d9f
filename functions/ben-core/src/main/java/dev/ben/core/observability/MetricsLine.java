package dev.ben.core.observability;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One CloudWatch Embedded Metric Format (EMF) log line. CloudWatch Logs extracts the metrics from lines
 * shaped like:
 * <pre>{@code
 * {"_aws":{"Timestamp":1764417600000,"CloudWatchMetrics":[{"Namespace":"Ben",
 *   "Dimensions":[["Function"]],"Metrics":[{"Name":"Delivered","Unit":"Count"}]}]},
 *  "Function":"notify","Delivered":3,"deliveryId":"dlv_…"}
 * }</pre>
 * Rules kept here (from the EMF specification): {@code Timestamp} in epoch milliseconds; every dimension and
 * metric named in the directive is a root member; dimension values are strings; at most 30 dimensions per
 * set and 100 metrics per directive; a metric value is a number or an array of at most 100 numbers. Extra
 * root members (ids) become searchable log fields, not metrics.
 *
 * <p>Use: {@code MetricsLine.builder("Ben").dimension("Function", "notify").count("Delivered", 3)
 * .millis("Latency", 87).property("requestId", id).toJson(clock.instant())}.
 */
public final class MetricsLine {

    public static final String NAMESPACE = "Ben";
    static final int MAX_DIMENSIONS = 30;
    static final int MAX_METRICS = 100;
    static final int MAX_VALUES = 100;

    /** CloudWatch units used by Ben (a subset of the standard units). */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), SECONDS("Seconds"), BYTES("Bytes"), PERCENT("Percent"),
        NONE("None");

        private final String wire;

        Unit(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    private record Metric(String name, Unit unit, List<Double> values) {
    }

    private final String namespace;
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final Map<String, Object> properties = new LinkedHashMap<>();

    private MetricsLine(String namespace) {
        if (namespace == null || namespace.isBlank() || namespace.length() > 255) {
            throw new IllegalArgumentException("EMF namespace must be 1-255 characters");
        }
        this.namespace = namespace;
    }

    public static MetricsLine builder(String namespace) {
        return new MetricsLine(namespace);
    }

    /** A line in the {@code Ben} namespace. */
    public static MetricsLine ben() {
        return new MetricsLine(NAMESPACE);
    }

    public MetricsLine dimension(String name, String value) {
        requireName(name);
        Objects.requireNonNull(value, "dimension value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("dimension " + name + " needs a non-blank value");
        }
        if (!dimensions.containsKey(name) && dimensions.size() == MAX_DIMENSIONS) {
            throw new IllegalArgumentException("EMF allows at most " + MAX_DIMENSIONS + " dimensions");
        }
        requireUnused(name, dimensions);
        dimensions.put(name, value);
        return this;
    }

    public MetricsLine count(String name, long value) {
        return metric(name, Unit.COUNT, value);
    }

    public MetricsLine millis(String name, double value) {
        return metric(name, Unit.MILLISECONDS, value);
    }

    /** Adds one value to metric {@code name} (repeated calls make a value array, up to 100). */
    public MetricsLine metric(String name, Unit unit, double value) {
        requireName(name);
        Objects.requireNonNull(unit, "unit");
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("metric " + name + " must be a finite number, got " + value);
        }
        Metric m = metrics.get(name);
        if (m == null) {
            if (metrics.size() == MAX_METRICS) {
                throw new IllegalArgumentException("EMF allows at most " + MAX_METRICS + " metrics per line");
            }
            requireUnused(name, metrics);
            m = new Metric(name, unit, new ArrayList<>());
            metrics.put(name, m);
        } else if (m.unit() != unit) {
            throw new IllegalArgumentException("metric " + name + " already has unit " + m.unit());
        }
        if (m.values().size() == MAX_VALUES) {
            throw new IllegalArgumentException("EMF allows at most " + MAX_VALUES + " values per metric");
        }
        m.values().add(value);
        return this;
    }

    /** A non-metric root member (e.g. {@code requestId}, {@code eventId}); not a dimension, no cardinality cost. */
    public MetricsLine property(String name, Object value) {
        requireName(name);
        if (name.equals("_aws")) {
            throw new IllegalArgumentException("_aws is reserved");
        }
        requireUnused(name, properties);
        properties.put(name, JsonLog.redact(name, value));
        return this;
    }

    public boolean isEmpty() {
        return metrics.isEmpty();
    }

    /** The EMF document, timestamped {@code at}. */
    public String toJson(Instant at) {
        if (metrics.isEmpty()) {
            throw new IllegalStateException("an EMF line needs at least one metric");
        }
        List<Map<String, Object>> definitions = new ArrayList<>();
        for (Metric m : metrics.values()) {
            Map<String, Object> def = new LinkedHashMap<>();
            def.put("Name", m.name());
            def.put("Unit", m.unit().wire());
            definitions.add(def);
        }
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", namespace);
        directive.put("Dimensions", List.of(List.copyOf(dimensions.keySet())));
        directive.put("Metrics", definitions);
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", at.toEpochMilli());
        aws.put("CloudWatchMetrics", List.of(directive));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("_aws", aws);
        root.putAll(dimensions);
        for (Metric m : metrics.values()) {
            root.put(m.name(), m.values().size() == 1 ? m.values().get(0) : List.copyOf(m.values()));
        }
        properties.forEach(root::putIfAbsent);
        return Json.write(root);
    }

    private void requireUnused(String name, Map<String, ?> own) {
        for (Map<String, ?> other : List.of(dimensions, metrics, properties)) {
            if (other != own && other.containsKey(name)) {
                throw new IllegalArgumentException("\"" + name + "\" is already used as a dimension, metric or "
                        + "property of this line");
            }
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 255) {
            throw new IllegalArgumentException("EMF member names must be 1-255 characters");
        }
    }
}

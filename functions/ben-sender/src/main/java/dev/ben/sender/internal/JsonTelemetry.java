package dev.ben.sender.internal;

import dev.ben.core.observability.Json;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * JSON log lines and CloudWatch EMF metrics on one stream (Lambda ships stdout to CloudWatch Logs, which extracts
 * EMF lines as metrics). Thread-safe: deliveries run in parallel.
 */
public final class JsonTelemetry implements Telemetry {

    public static final String NAMESPACE = "Ben";

    private final PrintStream out;
    private final Clock clock;
    private final String function;
    private final Map<String, DoubleAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, List<Double>> timings = new ConcurrentHashMap<>();
    private volatile String requestId = "";
    private final int minLevel;
    private volatile boolean metrics = true;

    public JsonTelemetry(PrintStream out, Clock clock, String function) {
        this(out, clock, function, "INFO");
    }

    /** @param level lowest level written: INFO, WARN or ERROR (env {@code BEN_LOG_LEVEL}) */
    public JsonTelemetry(PrintStream out, Clock clock, String function, String level) {
        this.out = out;
        this.clock = clock;
        this.function = function;
        this.minLevel = rank(level);
    }

    /** Turns EMF output off (env {@code BEN_METRICS=false}, e.g. for the console demo); counts are dropped. */
    public JsonTelemetry metrics(boolean on) {
        this.metrics = on;
        return this;
    }

    private static int rank(String level) {
        return switch (level == null ? "INFO" : level.trim().toUpperCase(java.util.Locale.ROOT)) {
            case "ERROR" -> 3;
            case "WARN" -> 2;
            case "OFF", "NONE" -> 4;
            default -> 1;
        };
    }

    /** Sets the Lambda request id carried by following log lines. */
    public void requestId(String id) {
        this.requestId = id == null ? "" : id;
    }

    @Override
    public void info(String message, Map<String, ?> fields) {
        log("INFO", message, fields);
    }

    @Override
    public void warn(String message, Map<String, ?> fields) {
        log("WARN", message, fields);
    }

    @Override
    public void error(String message, Map<String, ?> fields) {
        log("ERROR", message, fields);
    }

    private void log(String level, String message, Map<String, ?> fields) {
        if (rank(level) < minLevel) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", level);
        line.put("function", function);
        if (!requestId.isEmpty()) {
            line.put("requestId", requestId);
        }
        line.put("message", message);
        line.putAll(fields);
        String text = Json.write(line);
        synchronized (out) {
            out.println(text);
        }
    }

    @Override
    public void metric(String name, double value) {
        if (name.endsWith("Ms")) {
            timings.computeIfAbsent(name, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(value);
        } else {
            counts.computeIfAbsent(name, k -> new DoubleAdder()).add(value);
        }
    }

    @Override
    public void flush() {
        if (!metrics) {
            counts.clear();
            timings.clear();
            return;
        }
        if (counts.isEmpty() && timings.isEmpty()) {
            return;
        }
        List<Map<String, Object>> definitions = new ArrayList<>();
        Map<String, Object> line = new LinkedHashMap<>();
        counts.forEach((name, v) -> {
            definitions.add(Map.of("Name", name, "Unit", "Count"));
            line.put(name, v.sum());
        });
        timings.forEach((name, values) -> {
            definitions.add(Map.of("Name", name, "Unit", "Milliseconds"));
            synchronized (values) {
                line.put(name, List.copyOf(values.size() > 100 ? values.subList(0, 100) : values));
            }
        });
        counts.clear();
        timings.clear();
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", clock.millis());
        aws.put("CloudWatchMetrics", List.of(Map.of("Namespace", NAMESPACE,
                "Dimensions", List.of(List.of("function")), "Metrics", definitions)));
        Map<String, Object> emf = new LinkedHashMap<>();
        emf.put("_aws", aws);
        emf.put("function", function);
        emf.putAll(line);
        String text = Json.write(emf);
        synchronized (out) {
            out.println(text);
        }
    }
}

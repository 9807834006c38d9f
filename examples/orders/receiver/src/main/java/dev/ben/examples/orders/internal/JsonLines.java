package dev.ben.examples.orders.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Structured JSON log lines and CloudWatch EMF metric lines on stdout (Lambda ships both to CloudWatch). */
public final class JsonLines {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NAMESPACE = "Ben";

    private final PrintStream out;
    private final Clock clock;
    private final String service;

    public JsonLines(PrintStream out, Clock clock, String service) {
        this.out = out;
        this.clock = clock;
        this.service = service;
    }

    public static JsonLines stdout(String service) {
        return new JsonLines(System.out, Clock.systemUTC(), service);
    }

    /** One log line: level, message, service and the given fields (never secrets or signatures). */
    public void log(String level, String message, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("level", level);
        line.put("service", service);
        line.put("message", message);
        line.putAll(fields);
        write(line);
    }

    /** One EMF line with count metrics, dimension {@code service}. */
    public void metrics(Map<String, ? extends Number> counts) {
        List<Map<String, String>> definitions = new ArrayList<>();
        counts.keySet().forEach(name -> definitions.add(Map.of("Name", name, "Unit", "Count")));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of("Timestamp", clock.millis(), "CloudWatchMetrics", List.of(Map.of(
                "Namespace", NAMESPACE, "Dimensions", List.of(List.of("service")), "Metrics", definitions))));
        line.put("service", service);
        line.putAll(counts);
        write(line);
    }

    private void write(Map<String, Object> line) {
        try {
            out.println(MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            out.println("{\"level\":\"ERROR\",\"message\":\"unloggable line\"}");
        }
    }
}

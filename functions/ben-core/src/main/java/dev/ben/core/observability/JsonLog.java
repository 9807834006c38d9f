package dev.ben.core.observability;

import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Structured JSON log lines, one object per line:
 * {@code {"timestamp":"…","level":"INFO","function":"notify","message":"delivered","requestId":"…",
 * "eventId":"evt_…","deliveryId":"dlv_…",…}}.
 *
 * <p>Never logs secrets: a field whose name looks sensitive (secret, signature, authorization, password,
 * token, cookie, api key) or whose value looks like a signing secret ({@code whsec_…}) or a signature
 * ({@code v1,…}) is written as {@code "[REDACTED]"}. Callers must still not pass request headers or the
 * environment wholesale.
 */
public final class JsonLog {

    public enum Level { DEBUG, INFO, WARN, ERROR }

    public static final String REDACTED = "[REDACTED]";
    private static final Pattern SENSITIVE_KEY = Pattern.compile(
            "(?i).*(secret|signature|authorization|password|passwd|token|cookie|api[-_]?key|credential).*");
    private static final Pattern SENSITIVE_VALUE = Pattern.compile("(?s)(whsec_|v1,|Bearer\\s).*");

    private final String function;
    private final Clock clock;
    private final Consumer<String> sink;
    private final Map<String, Object> context;

    public JsonLog(String function, Clock clock, Consumer<String> sink) {
        this(function, clock, sink, Map.of());
    }

    private JsonLog(String function, Clock clock, Consumer<String> sink, Map<String, Object> context) {
        this.function = Objects.requireNonNull(function, "function");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.context = context;
    }

    /** Lines to {@code out} (Lambda ships stdout to CloudWatch Logs). */
    public static JsonLog to(PrintStream out, String function, Clock clock) {
        return new JsonLog(function, clock, out::println);
    }

    /** A logger whose lines all carry these fields too (e.g. {@code requestId}). */
    public JsonLog with(Map<String, ?> fields) {
        Map<String, Object> merged = new LinkedHashMap<>(context);
        merged.putAll(fields);
        return new JsonLog(function, clock, sink, Map.copyOf(merged));
    }

    public JsonLog with(String key, Object value) {
        return with(Map.of(key, value == null ? "" : value));
    }

    public void debug(String message, Map<String, ?> fields) {
        log(Level.DEBUG, message, fields, null);
    }

    public void info(String message, Map<String, ?> fields) {
        log(Level.INFO, message, fields, null);
    }

    public void info(String message) {
        log(Level.INFO, message, Map.of(), null);
    }

    public void warn(String message, Map<String, ?> fields) {
        log(Level.WARN, message, fields, null);
    }

    public void error(String message, Map<String, ?> fields, Throwable error) {
        log(Level.ERROR, message, fields, error);
    }

    public void log(Level level, String message, Map<String, ?> fields, Throwable error) {
        sink.accept(line(level, message, fields, error));
    }

    /** The line that {@link #log} writes (pure apart from the clock). */
    public String line(Level level, String message, Map<String, ?> fields, Throwable error) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timestamp", clock.instant().toString());
        out.put("level", level.name());
        out.put("function", function);
        out.put("message", message);
        context.forEach((k, v) -> out.putIfAbsent(k, redact(k, v)));
        fields.forEach((k, v) -> out.putIfAbsent(k, redact(k, v)));
        if (error != null) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("type", error.getClass().getName());
            err.put("message", String.valueOf(error.getMessage()));
            StackTraceElement[] stack = error.getStackTrace();
            if (stack.length > 0) {
                err.put("at", stack[0].toString());
            }
            if (error.getCause() != null) {
                err.put("cause", error.getCause().getClass().getName() + ": " + error.getCause().getMessage());
            }
            out.put("error", err);
        }
        return Json.write(out);
    }

    static Object redact(String key, Object value) {
        if (SENSITIVE_KEY.matcher(key).matches()) {
            return REDACTED;
        }
        if (value instanceof CharSequence cs && SENSITIVE_VALUE.matcher(cs).matches()) {
            return REDACTED;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), redact(String.valueOf(k), v)));
            return copy;
        }
        return value;
    }
}

package dev.ben.local.runtime.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;

/** One JSON line per runtime event (not handler output, which goes through {@link LocalLambdaLogger}). */
public final class RuntimeLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;

    public RuntimeLog(PrintStream out) {
        this.out = out;
    }

    public void info(String component, String message) {
        write("INFO", component, null, message, null);
    }

    public void warn(String component, String message) {
        write("WARN", component, null, message, null);
    }

    public void error(String component, String requestId, String message, Throwable error) {
        write("ERROR", component, requestId, message, error);
    }

    private void write(String level, String component, String requestId, String message, Throwable error) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("source", "ben-local-runtime");
        line.put("component", component);
        if (requestId != null) {
            line.put("requestId", requestId);
        }
        line.put("message", message);
        if (error != null) {
            line.put("errorType", error.getClass().getName());
            line.put("errorMessage", String.valueOf(error.getMessage()));
            var trace = line.putArray("stackTrace");
            StackTraceElement[] frames = error.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, 12); i++) {
                trace.add(frames[i].toString());
            }
        }
        synchronized (out) {
            out.println(line);
        }
    }
}

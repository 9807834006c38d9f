package dev.ben.sender.internal;

import java.util.Map;

/** Structured logs and metrics (JSON log lines and CloudWatch EMF). Never pass secrets. */
public interface Telemetry {

    void info(String message, Map<String, ?> fields);

    void warn(String message, Map<String, ?> fields);

    void error(String message, Map<String, ?> fields);

    /** Counts (unit Count) or milliseconds (names ending in {@code Ms}), flushed as one EMF line per invocation. */
    void metric(String name, double value);

    /** Writes pending metrics. */
    void flush();

    /** Telemetry that records nothing: for callers that report problems themselves (the CLI) and for tests. */
    static Telemetry silent() {
        return Silent.INSTANCE;
    }

    /** The one silent implementation behind {@link #silent()}. */
    enum Silent implements Telemetry {
        INSTANCE;

        @Override
        public void info(String message, Map<String, ?> fields) {
        }

        @Override
        public void warn(String message, Map<String, ?> fields) {
        }

        @Override
        public void error(String message, Map<String, ?> fields) {
        }

        @Override
        public void metric(String name, double value) {
        }

        @Override
        public void flush() {
        }
    }
}

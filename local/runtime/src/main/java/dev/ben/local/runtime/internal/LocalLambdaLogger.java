package dev.ben.local.runtime.internal;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The function's {@code context.getLogger()}: writes each message as one line, as CloudWatch would show it. */
final class LocalLambdaLogger implements LambdaLogger {
    private final PrintStream out;

    LocalLambdaLogger(PrintStream out) {
        this.out = out;
    }

    @Override
    public void log(String message) {
        String line = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
        synchronized (out) {
            out.println(line);
        }
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void log(String message, LogLevel level) {
        log(message);
    }
}

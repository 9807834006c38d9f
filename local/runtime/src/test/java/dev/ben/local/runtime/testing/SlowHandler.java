package dev.ben.local.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Sleeps for {@code millis} of the input map; created by class name with its no-arg constructor. */
public final class SlowHandler implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> input, Context context) {
        try {
            Thread.sleep(((Number) input.get("millis")).longValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        return "slept, " + context.getRemainingTimeInMillis() + " ms left";
    }
}

package dev.ben.local.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Its constructor fails the way a handler with missing configuration would. */
public final class BrokenHandler implements RequestHandler<Object, Object> {
    public BrokenHandler(Map<String, String> env) {
        throw new IllegalStateException("BEN_SOMETHING is not set");
    }

    @Override
    public Object handleRequest(Object input, Context context) {
        return null;
    }
}

package dev.ben.infra.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;

/** The cold-start baseline: the least a Java Lambda function can be (no SDK client, no work). */
public final class HelloWorldHandler implements RequestHandler<ScheduledEvent, String> {

    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        return "hello " + event.getDetailType();
    }
}

package dev.ben.local.runtime.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test handler for schedules: records the events, returns a summary map like Ben's sweeper/reconcile. */
public final class RecordingScheduleHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final List<ScheduledEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        events.add(event);
        return Map.of("fired", events.size(), "rule", event.getResources().getFirst());
    }

    public List<ScheduledEvent> events() {
        return List.copyOf(events);
    }
}

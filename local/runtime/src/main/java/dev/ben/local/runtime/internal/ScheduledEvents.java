package dev.ben.local.runtime.internal;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;

/** The {@link ScheduledEvent} EventBridge sends for a schedule rule. */
public final class ScheduledEvents {
    private ScheduledEvents() {
    }

    public static String ruleArn(String region, String ruleName) {
        return "arn:aws:events:" + region + ":" + FunctionIdentity.ACCOUNT + ":rule/" + ruleName;
    }

    public static ScheduledEvent of(String region, String ruleName, Instant time) {
        ScheduledEvent event = new ScheduledEvent();
        event.setVersion("0");
        event.setId(UUID.randomUUID().toString());
        event.setDetailType("Scheduled Event");
        event.setSource("aws.events");
        event.setAccount(FunctionIdentity.ACCOUNT);
        event.setTime(new DateTime(time.toEpochMilli(), DateTimeZone.UTC));
        event.setRegion(region);
        event.setResources(List.of(ruleArn(region, ruleName)));
        event.setDetail(new HashMap<>());
        return event;
    }
}

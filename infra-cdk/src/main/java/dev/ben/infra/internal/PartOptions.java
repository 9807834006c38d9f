package dev.ben.infra.internal;

import dev.ben.infra.FunctionCode;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.ITopic;

/**
 * What every part of a Ben deployment (the sender, the demo's receiver) is built with; the public props records
 * ({@code BenSenderProps}, {@code BenNotificationProps}) document each value.
 */
public record PartOptions(
        FunctionCode code,
        List<Duration> retrySchedule,
        Optional<Duration> retryQueueRetention,
        Optional<Duration> historyRetention,
        List<String> allowedHosts,
        boolean httpsOnly,
        Map<String, Integer> memoryMb,
        RetentionDays logRetention,
        RemovalPolicy tableRemovalPolicy,
        String failedMetricName,
        int failedAlarmThreshold,
        Duration iteratorAgeAlarm,
        Optional<ITopic> alarmTopic) {

    public PartOptions {
        retrySchedule = List.copyOf(retrySchedule);
        allowedHosts = List.copyOf(allowedHosts);
        memoryMb = Map.copyOf(memoryMb);
    }

    /** The same options with only the memory overrides of these functions. */
    public PartOptions forFunctions(Collection<String> functions) {
        Map<String, Integer> memory = new LinkedHashMap<>(memoryMb);
        memory.keySet().retainAll(functions);
        return new PartOptions(code, retrySchedule, retryQueueRetention, historyRetention, allowedHosts, httpsOnly,
                memory, logRetention, tableRemovalPolicy, failedMetricName, failedAlarmThreshold, iteratorAgeAlarm,
                alarmTopic);
    }
}

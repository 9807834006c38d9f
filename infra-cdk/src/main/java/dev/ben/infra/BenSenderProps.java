package dev.ben.infra;

import dev.ben.infra.internal.PartOptions;
import dev.ben.settings.declaration.Declaration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.ITopic;

/**
 * What {@link BenSender} is given: the declaration, the user's existing source tables, and the options every
 * Ben deployment has (the same as {@link BenNotificationProps}'). Build with {@link #builder()}.
 *
 * @param declaration          the sources and rules (required); notify gets it as {@code BEN_DECLARATION}
 * @param sources              source name (as in the declaration) → the existing table, with its stream (required,
 *                             one per declared source; e.g. {@code Table.fromTableAttributes(scope, id,
 *                             TableAttributes.builder().tableName(...).tableStreamArn(...).build())}). Ben only
 *                             reads its stream.
 * @param code                 where each function's jar comes from (required)
 * @param retrySchedule        delays between delivery attempts; empty = the functions' built-in schedule
 * @param retryQueueRetention  how long a pending retry may wait in the retry queue (≤ 14 days); empty = settings
 * @param historyRetention     how long delivery/attempt records are kept (TTL); empty = the functions' default
 * @param allowedHosts         IP addresses or CIDR blocks deliveries may reach although private; empty = none
 * @param httpsOnly            refuse non-HTTPS endpoint URLs (default true)
 * @param memoryMb             per-function memory override by function logical name
 * @param logRetention         function log retention (default one month)
 * @param tableRemovalPolicy   what happens to Ben's own tables when the stack is deleted (default RETAIN)
 * @param failedMetricName     EMF metric counting deliveries that end FAILED (default {@code failed})
 * @param failedAlarmThreshold FAILED deliveries per 5 minutes that raise the alarm (default 1)
 * @param iteratorAgeAlarm     stream iterator age that raises the alarm (default 15 minutes)
 * @param alarmTopic           where alarms notify; empty = alarms only
 */
public record BenSenderProps(
        Declaration declaration,
        Map<String, ITable> sources,
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

    public BenSenderProps {
        Objects.requireNonNull(declaration, "declaration: Ben needs the sources and rules it watches"
                + " (Declaration.read(path) or built in code; see docs/declaration.md)");
        Objects.requireNonNull(code, "code: where the function jars come from (FunctionCode.shadedJars(repoRoot))");
        sources = Map.copyOf(sources);
        retrySchedule = List.copyOf(retrySchedule);
        allowedHosts = List.copyOf(allowedHosts);
        memoryMb = Map.copyOf(memoryMb);
        Objects.requireNonNull(logRetention, "logRetention");
        Objects.requireNonNull(tableRemovalPolicy, "tableRemovalPolicy");
        Objects.requireNonNull(failedMetricName, "failedMetricName");
        Objects.requireNonNull(iteratorAgeAlarm, "iteratorAgeAlarm");
    }

    public static Builder builder() {
        return new Builder();
    }

    PartOptions options() {
        return new PartOptions(code, retrySchedule, retryQueueRetention, historyRetention, allowedHosts, httpsOnly,
                memoryMb, logRetention, tableRemovalPolicy, failedMetricName, failedAlarmThreshold, iteratorAgeAlarm,
                alarmTopic);
    }

    /** Builder with Ben's defaults. */
    public static final class Builder {
        private Declaration declaration;
        private final Map<String, ITable> sources = new LinkedHashMap<>();
        private FunctionCode code;
        private List<Duration> retrySchedule = List.of();
        private Duration retryQueueRetention;
        private Duration historyRetention;
        private List<String> allowedHosts = List.of();
        private boolean httpsOnly = true;
        private final Map<String, Integer> memoryMb = new LinkedHashMap<>();
        private RetentionDays logRetention = RetentionDays.ONE_MONTH;
        private RemovalPolicy tableRemovalPolicy = RemovalPolicy.RETAIN;
        private String failedMetricName = "failed";
        private int failedAlarmThreshold = 1;
        private Duration iteratorAgeAlarm = Duration.ofMinutes(15);
        private ITopic alarmTopic;

        private Builder() {
        }

        public Builder declaration(Declaration value) { this.declaration = value; return this; }
        /** The existing table of the declared source {@code name}; its stream ARN must be known. */
        public Builder source(String name, ITable table) { this.sources.put(name, table); return this; }
        public Builder code(FunctionCode value) { this.code = value; return this; }
        public Builder retrySchedule(List<Duration> value) { this.retrySchedule = new ArrayList<>(value); return this; }
        public Builder retryQueueRetention(Duration value) { this.retryQueueRetention = value; return this; }
        public Builder historyRetention(Duration value) { this.historyRetention = value; return this; }
        public Builder allowedHosts(List<String> value) { this.allowedHosts = new ArrayList<>(value); return this; }
        public Builder httpsOnly(boolean value) { this.httpsOnly = value; return this; }
        public Builder memoryMb(String function, int value) { this.memoryMb.put(function, value); return this; }
        public Builder logRetention(RetentionDays value) { this.logRetention = value; return this; }
        public Builder tableRemovalPolicy(RemovalPolicy value) { this.tableRemovalPolicy = value; return this; }
        public Builder failedMetricName(String value) { this.failedMetricName = value; return this; }
        public Builder failedAlarmThreshold(int value) { this.failedAlarmThreshold = value; return this; }
        public Builder iteratorAgeAlarm(Duration value) { this.iteratorAgeAlarm = value; return this; }
        public Builder alarmTopic(ITopic value) { this.alarmTopic = value; return this; }

        public BenSenderProps build() {
            return new BenSenderProps(declaration, sources, code, retrySchedule,
                    Optional.ofNullable(retryQueueRetention), Optional.ofNullable(historyRetention), allowedHosts,
                    httpsOnly, memoryMb, logRetention, tableRemovalPolicy, failedMetricName, failedAlarmThreshold,
                    iteratorAgeAlarm, Optional.ofNullable(alarmTopic));
        }
    }
}

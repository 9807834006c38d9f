package dev.ben.infra;

import dev.ben.infra.internal.PartOptions;
import dev.ben.infra.internal.Parts;
import dev.ben.settings.BenSettings;
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
 * What users change when they put Ben into their account. Everything else (tables, queues, functions, triggers)
 * comes from {@link BenSettings}. Build with {@link #builder()}; every property but the declaration and the code
 * has a safe default.
 *
 * @param declaration          the sources and rules (required): notify gets it as {@code BEN_DECLARATION}
 * @param settings             the stack (default {@link BenSettings#of BenSettings.of(declaration)})
 * @param sourceTables         existing tables of declared sources, by source name; sources not given here are
 *                             created by the demo construct as its own tables (as the orders demo's table is)
 * @param code                 where each function's jar comes from (required)
 * @param retrySchedule        delays between delivery attempts; empty = the functions' built-in schedule.
 *                             Each step ≤ 12 h (SQS visibility limit), fewer steps than the retry queue's
 *                             maxReceiveCount, total within {@code retryQueueRetention}
 * @param retryQueueRetention  how long a pending retry may wait in the retry queue (≤ 14 days); empty = settings
 * @param historyRetention     how long delivery/attempt records are kept (TTL); empty = the functions' default
 * @param allowedHosts         IP addresses or CIDR blocks deliveries may reach although private (exceptions to
 *                             the SSRF block, env {@code BEN_ALLOWED_HOSTS}); empty = none
 * @param httpsOnly            refuse non-HTTPS endpoint URLs (default true)
 * @param memoryMb             per-function memory override by function logical name (default from settings)
 * @param receiverSecrets      the receiver's {@code whsec_...} secrets, space separated (may be a token, e.g.
 *                             a NoEcho parameter); empty = the receiver rejects every request
 * @param statusApiCallers     functions that call the status API (get its URL and IAM invoke permission); none by
 *                             default (a receiver's reconcile deployed beside Ben, say)
 * @param logRetention         function log retention
 * @param tableRemovalPolicy   what happens to tables when the stack is deleted (default RETAIN)
 * @param failedMetricName     EMF metric (namespace {@value #METRIC_NAMESPACE}, dimension {@value #METRIC_DIMENSION})
 *                             counting deliveries that end FAILED
 * @param failedAlarmThreshold FAILED deliveries per 5 minutes that raise the alarm
 * @param iteratorAgeAlarm     stream iterator age that raises the alarm
 * @param alarmTopic           where alarms notify; empty = alarms only
 */
public record BenNotificationProps(
        Declaration declaration,
        BenSettings settings,
        Map<String, ITable> sourceTables,
        FunctionCode code,
        List<Duration> retrySchedule,
        Optional<Duration> retryQueueRetention,
        Optional<Duration> historyRetention,
        List<String> allowedHosts,
        boolean httpsOnly,
        Map<String, Integer> memoryMb,
        Optional<String> receiverSecrets,
        List<String> statusApiCallers,
        RetentionDays logRetention,
        RemovalPolicy tableRemovalPolicy,
        String failedMetricName,
        int failedAlarmThreshold,
        Duration iteratorAgeAlarm,
        Optional<ITopic> alarmTopic) {

    /** CloudWatch namespace of Ben's EMF metrics. */
    public static final String METRIC_NAMESPACE = Parts.METRIC_NAMESPACE;
    /** EMF dimension the functions put their logical name in. */
    public static final String METRIC_DIMENSION = Parts.METRIC_DIMENSION;

    public BenNotificationProps {
        Objects.requireNonNull(declaration, "declaration: Ben needs the sources and rules it watches"
                + " (Declaration.read(path) or built in code; see docs/declaration.md)");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(code, "code");
        sourceTables = Map.copyOf(sourceTables);
        retrySchedule = List.copyOf(retrySchedule);
        allowedHosts = List.copyOf(allowedHosts);
        memoryMb = Map.copyOf(memoryMb);
        statusApiCallers = List.copyOf(statusApiCallers);
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
        private BenSettings settings;
        private final Map<String, ITable> sourceTables = new LinkedHashMap<>();
        private FunctionCode code;
        private List<Duration> retrySchedule = List.of();
        private Duration retryQueueRetention;
        private Duration historyRetention;
        private List<String> allowedHosts = List.of();
        private boolean httpsOnly = true;
        private final Map<String, Integer> memoryMb = new LinkedHashMap<>();
        private String receiverSecrets;
        private List<String> statusApiCallers = List.of();
        private RetentionDays logRetention = RetentionDays.ONE_MONTH;
        private RemovalPolicy tableRemovalPolicy = RemovalPolicy.RETAIN;
        private String failedMetricName = "failed";
        private int failedAlarmThreshold = 1;
        private Duration iteratorAgeAlarm = Duration.ofMinutes(15);
        private ITopic alarmTopic;

        private Builder() {
        }

        public Builder declaration(Declaration value) { this.declaration = value; return this; }
        public Builder settings(BenSettings value) { this.settings = value; return this; }
        /** An existing table for the declared source {@code name} (with its stream); not created by the demo. */
        public Builder sourceTable(String name, ITable table) { this.sourceTables.put(name, table); return this; }
        public Builder code(FunctionCode value) { this.code = value; return this; }
        public Builder retrySchedule(List<Duration> value) { this.retrySchedule = new ArrayList<>(value); return this; }
        public Builder retryQueueRetention(Duration value) { this.retryQueueRetention = value; return this; }
        public Builder historyRetention(Duration value) { this.historyRetention = value; return this; }
        public Builder allowedHosts(List<String> value) { this.allowedHosts = new ArrayList<>(value); return this; }
        public Builder httpsOnly(boolean value) { this.httpsOnly = value; return this; }
        public Builder memoryMb(String function, int value) { this.memoryMb.put(function, value); return this; }
        public Builder receiverSecrets(String value) { this.receiverSecrets = value; return this; }
        public Builder statusApiCallers(List<String> value) { this.statusApiCallers = new ArrayList<>(value); return this; }
        public Builder logRetention(RetentionDays value) { this.logRetention = value; return this; }
        public Builder tableRemovalPolicy(RemovalPolicy value) { this.tableRemovalPolicy = value; return this; }
        public Builder failedMetricName(String value) { this.failedMetricName = value; return this; }
        public Builder failedAlarmThreshold(int value) { this.failedAlarmThreshold = value; return this; }
        public Builder iteratorAgeAlarm(Duration value) { this.iteratorAgeAlarm = value; return this; }
        public Builder alarmTopic(ITopic value) { this.alarmTopic = value; return this; }

        public BenNotificationProps build() {
            return new BenNotificationProps(declaration,
                    settings != null ? settings : declaration == null ? null : BenSettings.of(declaration),
                    sourceTables, code, retrySchedule, Optional.ofNullable(retryQueueRetention),
                    Optional.ofNullable(historyRetention),
                    allowedHosts, httpsOnly, memoryMb, Optional.ofNullable(receiverSecrets), statusApiCallers,
                    logRetention, tableRemovalPolicy, failedMetricName, failedAlarmThreshold, iteratorAgeAlarm,
                    Optional.ofNullable(alarmTopic));
        }
    }
}

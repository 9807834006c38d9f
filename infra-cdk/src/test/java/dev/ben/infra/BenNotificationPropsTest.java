package dev.ben.infra;

import static dev.ben.infra.CfnResources.at;
import static dev.ben.infra.CfnResources.ofType;
import static dev.ben.infra.CfnResources.properties;
import static dev.ben.infra.CfnResources.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/** What users change through the props reaches the functions, queues and alarms. */
class BenNotificationPropsTest {

    private final BenSettings settings = SynthesizedBen.demoSettings();
    private final Template custom = SynthesizedBen.customized();

    @Test
    void retryScheduleHistoryAllowedHostsAndHttpsOnly_reachEveryFunctionsEnvironment() {
        for (FunctionSpec spec : settings.functions()) {
            Map<String, Object> env = at(properties(resource(custom, "AWS::Lambda::Function", spec.logicalName(),
                    "Function")), "Environment", "Variables");

            assertThat(env).containsEntry(EnvVars.RETRY_SCHEDULE, "10s,5m,2h")
                    .containsEntry(EnvVars.HISTORY_RETENTION, "168h")
                    .containsEntry(EnvVars.ALLOWED_HOSTS, "10.1.2.3,192.168.50.0/24")
                    .containsEntry(EnvVars.HTTPS_ONLY, "false")
                    .doesNotContainKey(EnvVars.STATUS_API_URL);
        }
    }

    @Test
    void defaults_leaveTheFunctionsDefaultsInPlace() {
        Map<String, Object> env = at(properties(resource(SynthesizedBen.template(), "AWS::Lambda::Function", "notify",
                "Function")), "Environment", "Variables");

        assertThat(env).doesNotContainKeys(EnvVars.RETRY_SCHEDULE, EnvVars.HISTORY_RETENTION, EnvVars.ALLOWED_HOSTS)
                .containsEntry(EnvVars.HTTPS_ONLY, "true");
    }

    @Test
    void memoryOverride_appliesToThatFunctionOnly() {
        assertThat(properties(resource(custom, "AWS::Lambda::Function", "notify", "Function")).get("MemorySize"))
                .isEqualTo(2048);
        assertThat(properties(resource(custom, "AWS::Lambda::Function", "retry", "Function")).get("MemorySize"))
                .isEqualTo(settings.function("retry").memoryMb());
    }

    @Test
    void retryQueueRetention_replacesTheSettingsRetentionOfTheRetryQueueOnly() {
        assertThat(properties(resource(custom, "AWS::SQS::Queue", BenSettings.RETRY_QUEUE, "Queue"))
                .get("MessageRetentionPeriod")).isEqualTo((int) Duration.ofDays(2).toSeconds());
        assertThat(properties(resource(custom, "AWS::SQS::Queue", BenSettings.RETRY_DLQ, "Queue"))
                .get("MessageRetentionPeriod")).isEqualTo((int) settings.queue(BenSettings.RETRY_DLQ).retention()
                .toSeconds());
    }

    @Test
    void alarmThresholdsAndLogRetention_followTheProps() {
        List<Map<String, Object>> alarms = ofType(custom, "AWS::CloudWatch::Alarm").values().stream()
                .map(CfnResources::properties).toList();

        assertThat(alarms).anySatisfy(a -> {
            assertThat(a.get("MetricName")).isEqualTo("IteratorAge");
            assertThat(a.get("Threshold")).isEqualTo((int) Duration.ofMinutes(2).toMillis());
        });
        assertThat(alarms).anySatisfy(a -> {
            assertThat(a).containsKey("Metrics");
            assertThat(a.get("Threshold")).isEqualTo(5);
        });
        assertThat(ofType(custom, "AWS::Logs::LogGroup").values()).allSatisfy(g ->
                assertThat(properties(g).get("RetentionInDays")).isEqualTo(7));
    }

    @Test
    void aRetryQueueThatCannotHoldOneHop_isRefusedBeforeAnythingIsBuilt() {
        Stack stack = new Stack(new App(), "Refused");
        BenNotificationProps props = BenNotificationProps.builder().declaration(SynthesizedBen.demoDeclaration())
                .code(SynthesizedBen.placeholderCode())
                .retrySchedule(List.of(Duration.ofHours(12), Duration.ofHours(12)))
                .retryQueueRetention(Duration.ofMinutes(10))
                .build();

        assertThatThrownBy(() -> new BenNotification(stack, "Ben", props))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one hop");
    }

    @Test
    void theDeclaration_reachesTheFunctionsReadingSourceStreams_only() {
        Map<String, Object> notify = at(properties(resource(SynthesizedBen.template(), "AWS::Lambda::Function",
                "notify", "Function")), "Environment", "Variables");
        Map<String, Object> retry = at(properties(resource(SynthesizedBen.template(), "AWS::Lambda::Function",
                "retry", "Function")), "Environment", "Variables");

        assertThat(notify).containsEntry(EnvVars.DECLARATION, SynthesizedBen.demoDeclaration().toJson())
                .containsKey("BEN_SOURCE_TABLE_ORDERS");
        assertThat(retry).doesNotContainKey(EnvVars.DECLARATION);
    }

    @Test
    void withoutADeclaration_theBuildSaysWhatIsMissing() {
        assertThatThrownBy(() -> BenNotificationProps.builder().code(SynthesizedBen.placeholderCode()).build())
                .hasMessageContaining("declaration: Ben needs the sources and rules it watches");
    }

    @Test
    void anOverrideForAnUnknownFunction_isRefusedWithTheKnownNames() {
        Stack stack = new Stack(new App(), "Unknown");
        BenNotificationProps props = BenNotificationProps.builder().declaration(SynthesizedBen.demoDeclaration())
                .code(SynthesizedBen.placeholderCode())
                .memoryMb("notfy", 256).build();

        assertThatThrownBy(() -> new BenNotification(stack, "Ben", props)).hasMessageContaining("notfy");
    }

    @Test
    void existingSourceStreams_nameTheirTableFromTheArn_andAMalformedArnIsRefused() {
        assertThat(BenStack.tableOf(SynthesizedBen.INVOICES_STREAM)).isEqualTo(SynthesizedBen.INVOICES);
        assertThat(BenApp.sourceStreams("invoices=" + SynthesizedBen.INVOICES_STREAM + ", ,"))
                .containsExactly(Map.entry("invoices", SynthesizedBen.INVOICES_STREAM));
        assertThatThrownBy(() -> BenStack.tableOf("arn:aws:sqs:us-east-1:123456789012:invoices"))
                .hasMessageContaining("not a DynamoDB stream ARN");
        assertThatThrownBy(() -> BenApp.sourceStreams("invoices"))
                .hasMessageContaining("must be SOURCE=STREAM_ARN");
    }
}

package dev.ben.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.ben.local.runtime.testing.Await;
import dev.ben.local.runtime.testing.RecordingScheduleHandler;
import dev.ben.local.runtime.testing.TestSettings;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class ScheduleIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final LocalAws aws;

    ScheduleIT(LocalAws aws) {
        this.aws = aws;
    }

    private static BenSettings settings(String expression) {
        return new BenSettings(List.of(), List.of(), List.of(new FunctionSpec("tick", RecordingScheduleHandler.class.getName(),
                "local/runtime", 128, Duration.ofSeconds(5), List.of(new Trigger.ScheduleTrigger("test-tick", expression)),
                List.of(), List.of())));
    }

    private LocalLambdaRuntime.Builder builder(BenSettings settings, RecordingScheduleHandler handler) {
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        return LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources)).handler("tick", handler)
                .output(new PrintStream(new ByteArrayOutputStream(), true));
    }

    @Test
    void rateSchedule_withAnExplicitShortPeriod_firesScheduledEvents() {
        RecordingScheduleHandler handler = new RecordingScheduleHandler();

        try (LocalLambdaRuntime runtime = builder(settings("rate(15 minutes)"), handler)
                .schedule("test-tick", Duration.ofMillis(200)).start()) {
            Await.until("three scheduled events", WAIT, () -> handler.events().size() >= 3);
        }

        List<ScheduledEvent> events = handler.events();
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getSource()).isEqualTo("aws.events");
            assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
            assertThat(event.getResources()).containsExactly("arn:aws:events:us-east-1:000000000000:rule/test-tick");
            assertThat(event.getRegion()).isEqualTo("us-east-1");
            assertThat(event.getAccount()).isEqualTo("000000000000");
            assertThat(event.getId()).isNotBlank();
            assertThat(event.getDetail()).isEmpty();
        });
        // Invocations are asynchronous (they may finish out of order); fire times are anchor + k × period, each once.
        List<Long> times = events.stream().map(e -> e.getTime().getMillis()).sorted().toList();
        assertThat(times).doesNotHaveDuplicates();
        assertThat((times.get(1) - times.get(0)) % 200).isZero();
    }

    @Test
    void compressedTime_runsTheDeclaredRateFaster() {
        RecordingScheduleHandler handler = new RecordingScheduleHandler();

        try (LocalLambdaRuntime runtime = builder(settings("rate(1 minute)"), handler).timeScale(300).start()) {
            Await.until("two scheduled events of a one-minute rate", WAIT, () -> handler.events().size() >= 2);
        }

        List<Long> times = handler.events().stream().map(e -> e.getTime().getMillis()).sorted().toList();
        assertThat(times).doesNotHaveDuplicates();
        assertThat((times.get(1) - times.get(0)) % 60_000).isZero();
    }

    @Test
    void fireSchedule_invokesNow_andReturnsTheFunctionResult() {
        RecordingScheduleHandler handler = new RecordingScheduleHandler();

        try (LocalLambdaRuntime runtime = builder(settings("cron(0 3 * * ? *)"), handler).start()) {
            Instant before = runtime.clock().instant();
            InvocationResult result = runtime.fireSchedule("test-tick");

            assertThat(result).isInstanceOfSatisfying(InvocationResult.Success.class, success -> assertThat(success.response())
                    .isEqualTo(Map.of("fired", 1, "rule", "arn:aws:events:us-east-1:000000000000:rule/test-tick")));
            assertThat(handler.events().getFirst().getTime().getMillis()).isGreaterThanOrEqualTo(before.toEpochMilli());
            assertThat(runtime.nextFireTime("test-tick").toString()).endsWith("T03:00:00Z");
            assertThatThrownBy(() -> runtime.fireSchedule("nope")).hasMessageContaining("no schedule rule named nope");
        }
    }

    @Test
    void defaultSettings_scheduleSweeperAndReconcile_fromTheirDeclaredExpressions() {
        BenSettings settings = TestSettings.ordersStackWithReceiver();
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        RecordingScheduleHandler sweeper = new RecordingScheduleHandler();
        RecordingScheduleHandler reconcile = new RecordingScheduleHandler();

        try (LocalLambdaRuntime runtime = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .only("sweeper", "reconcile").handler("sweeper", sweeper).handler("reconcile", reconcile)
                .output(new PrintStream(new ByteArrayOutputStream(), true)).start()) {
            Instant now = runtime.clock().instant();
            runtime.fireSchedule("ben-reconcile");

            assertThat(Duration.between(now, runtime.nextFireTime("ben-sweeper")))
                    .isBetween(BenSettings.SWEEPER_INTERVAL.minusSeconds(10), BenSettings.SWEEPER_INTERVAL);
            assertThat(Duration.between(now, runtime.nextFireTime("ben-reconcile"))).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));
            assertThat(reconcile.events()).hasSize(1);
            assertThat(sweeper.events()).isEmpty();
        }
    }
}

package dev.ben.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.local.runtime.testing.BrokenHandler;
import dev.ben.local.runtime.testing.SlowHandler;
import dev.ben.local.runtime.testing.TestSettings;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class RuntimeLifecycleIT {
    private final LocalAws aws;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    RuntimeLifecycleIT(LocalAws aws) {
        this.aws = aws;
    }

    private static List<String> runtimeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("ben-esm-") || n.startsWith("ben-fn-") || n.startsWith("ben-schedule")
                        || n.startsWith("ben-http-"))
                .toList();
    }

    @Test
    void defaultSettings_withoutHandlerClasses_skipEveryFunctionWithAReason_andStopWithoutLeakingThreads() throws Exception {
        BenSettings settings = TestSettings.ordersStackWithReceiver();
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());

        LocalLambdaRuntime runtime = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .output(new PrintStream(output, true)).start();
        Map<String, String> skipped = runtime.skippedFunctions();
        HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                runtime.httpEndpoint(BenSettings.SENDER_API).resolve("/events/evt_0123456789abc")).build(), HttpResponse.BodyHandlers.ofString());
        runtime.close();

        assertThat(missing.statusCode()).isEqualTo(503);
        assertThat(missing.body()).contains("function status-api is not deployed locally: handler class "
                + "dev.ben.sender.status.StatusApiHandler is not on the classpath");

        assertThat(skipped).containsOnlyKeys("notify", "retry", "sweeper", "status-api", "management-api", "receiver",
                "reconcile");
        assertThat(skipped.get("notify")).isEqualTo("handler class dev.ben.sender.notify.NotifyHandler is not on the classpath");
        assertThat(runtime.deployedFunctions()).isEmpty();
        assertThat(output.toString()).contains("function skipped: handler class dev.ben.examples.orders.webhook.ReceiverHandler");
        assertThat(runtimeThreads()).isEmpty();
    }

    @Test
    void everyKindOfEventSource_stopsCleanly() {
        BenSettings settings = TestSettings.ordersStackWithReceiver();
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        LocalLambdaRuntime.Builder builder = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .output(new PrintStream(output, true));
        settings.functions().forEach(f -> builder.handler(f.logicalName(), (input, context) -> null));

        LocalLambdaRuntime runtime = builder.start();
        assertThat(runtime.deployedFunctions()).hasSize(7);
        assertThat(runtime.httpEndpoints()).containsOnlyKeys(BenSettings.SENDER_API, BenSettings.MANAGEMENT_API,
                TestSettings.RECEIVER_API);
        assertThat(runtime.httpRoutes(BenSettings.SENDER_API))
                .containsExactlyInAnyOrder("GET /entities/{entityId}/events", "GET /events/{eventId}",
                        "GET /deliveries/{deliveryId}");
        assertThat(runtime.environment("reconcile")).containsEntry("BEN_STATUS_API_URL",
                runtime.httpEndpoint(BenSettings.SENDER_API).toString());
        assertThat(runtimeThreads()).isNotEmpty();
        runtime.close();
        runtime.close();

        assertThat(runtimeThreads()).isEmpty();
    }

    @Test
    void brokenHandlerConstructor_failsTheStartWithItsMessage_andLeavesNothingRunning() {
        BenSettings settings = new BenSettings(List.of(), List.of(), List.of(new FunctionSpec("broken",
                BrokenHandler.class.getName(), "local/runtime", 128, Duration.ofSeconds(3),
                List.of(new Trigger.HttpTrigger("broken-api", "GET", "/x", Trigger.HttpAuth.NONE)), List.of(), List.of())));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());

        assertThatThrownBy(() -> LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .output(new PrintStream(output, true)).start())
                .hasMessageContaining(BrokenHandler.class.getName()).hasMessageContaining("BEN_SOMETHING is not set");
        assertThat(runtimeThreads()).isEmpty();
    }

    @Test
    void invocationPastTheFunctionTimeout_failsAsSandboxTimedout() {
        BenSettings settings = new BenSettings(List.of(), List.of(), List.of(new FunctionSpec("slow",
                SlowHandler.class.getName(), "local/runtime", 128, Duration.ofSeconds(2), List.of(), List.of(), List.of())));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());

        try (LocalLambdaRuntime runtime = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .output(new PrintStream(output, true)).start()) {
            InvocationResult quick = runtime.invoke("slow", Map.of("millis", 10));
            InvocationResult slow = runtime.invoke("slow", Map.of("millis", 8_000));

            assertThat(quick).isInstanceOfSatisfying(InvocationResult.Success.class,
                    s -> assertThat((String) s.response()).startsWith("slept"));
            assertThat(slow).isInstanceOfSatisfying(InvocationResult.Failure.class, f -> {
                assertThat(f.errorType()).isEqualTo("Sandbox.Timedout");
                assertThat(f.errorMessage()).isEqualTo("Task timed out after 2.0 seconds");
            });
            assertThat(output.toString()).contains(slow.requestId());
        }
    }
}

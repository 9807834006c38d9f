package dev.ben.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.core.model.Circuit;
import dev.ben.core.model.Endpoint;
import dev.ben.core.webhooks.VerificationResult;
import dev.ben.core.webhooks.WebhookVerifier;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.SenderComponents;
import dev.ben.sender.internal.aws.DynamoDbEndpointState;
import dev.ben.settings.BenSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalAwsExtension.class)
class EndpointsCommandIT {

    CliHarness ben;

    @BeforeEach
    void setUp(LocalAws aws) {
        ben = new CliHarness(aws);
    }

    @AfterEach
    void tearDown() {
        ben.close();
    }

    @Test
    void add_generatesWhsecSecret_storesEndpoint_andShowsItThroughTheSendersStore() {
        var run = ben.run("endpoints", "add", "http://127.0.0.1:9/hooks", "--allow-private", "-e", "order.paid",
                "--id", "ep_shop", "-o", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode created = run.json();
        assertThat(created.get("endpointId").asText()).isEqualTo("ep_shop");
        assertThat(created.get("secrets").get(0).asText()).startsWith("whsec_").hasSizeGreaterThan(40);
        Endpoint stored = ben.endpoints.find("ep_shop").orElseThrow();
        assertThat(stored.url()).isEqualTo("http://127.0.0.1:9/hooks");
        assertThat(stored.eventTypes()).containsExactly("order.paid");
        assertThat(stored.secrets()).containsExactly(created.get("secrets").get(0).asText());
        assertThat(stored.enabled()).isTrue();

        var shown = ben.run("endpoints", "show", "ep_shop", "-o", "json");
        assertThat(shown.exitCode()).isZero();
        assertThat(shown.json().get("secrets").get(0).asText()).as("redacted by default").endsWith("…")
                .hasSizeLessThan(15);
        var list = ben.run("endpoints", "list", "-o", "json");
        assertThat(list.json().findValuesAsText("endpointId")).containsExactly("ep_shop");
    }

    @Test
    void showAndList_tellTheCircuitState_andEnableClosesIt() {
        Endpoint e = ben.endpoint("ep_cb", "http://127.0.0.1:9/h", "order.paid");
        Instant retryAt = Instant.parse("2030-01-01T00:00:30Z");
        new DynamoDbEndpointState(ben.aws.dynamoDb(), ben.resources.tableName(BenSettings.ENDPOINTS_TABLE),
                ben.endpoints, Clock.systemUTC()).transition(e.id(), Circuit.CLOSED, new Circuit(Circuit.State.OPEN, retryAt, 0,
                retryAt.minusSeconds(30), "HTTP 503"));

        var shown = ben.run("endpoints", "show", "ep_cb", "-o", "json");
        var listed = ben.run("endpoints", "list");

        assertThat(shown.json().get("circuit").asText()).isEqualTo("OPEN");
        assertThat(shown.json().get("circuitRetryAt").asText()).isEqualTo("2030-01-01T00:00:30Z");
        assertThat(shown.json().get("circuitReason").asText()).isEqualTo("HTTP 503");
        assertThat(listed.out()).contains("CIRCUIT").contains("OPEN until 2030-01-01T00:00:30Z");
        assertThat(ben.run("endpoints", "enable", "ep_cb").exitCode()).isZero();
        assertThat(ben.run("endpoints", "show", "ep_cb", "-o", "json").json().get("circuit").asText())
                .isEqualTo("CLOSED");
    }

    @Test
    void add_refusesASecretThatIsNotBase64() {
        var run = ben.run("endpoints", "add", "http://127.0.0.1:9/x", "--allow-private", "-e", "a.b",
                "--secret", "whsec_not*base64!");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--secret").contains("base64").doesNotContain("not*base64");
    }

    @Test
    void add_generatesAnIdWhenNoneIsGiven_andAcceptsAGivenSecret() {
        String secret = dev.ben.core.webhooks.WebhookSecret.generate().encoded();

        var run = ben.run("endpoints", "add", "http://127.0.0.1:9/x", "--allow-private", "-e", "a.b,c.d",
                "--secret", secret, "-o", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String id = run.json().get("endpointId").asText();
        assertThat(id).matches("ep_[0-9a-f]{16}");
        assertThat(ben.endpoints.find(id).orElseThrow().secrets()).containsExactly(secret);
        assertThat(ben.endpoints.find(id).orElseThrow().eventTypes()).containsExactlyInAnyOrder("a.b", "c.d");
    }

    @Test
    void add_refusesBadUrlsWithExitCode2_andStoresNothing() {
        var ftp = ben.run("endpoints", "add", "ftp://example.com/x", "-e", "order.paid");
        var loopback = ben.run("endpoints", "add", "http://127.0.0.1:8080/x", "-e", "order.paid");
        var metadata = ben.run("endpoints", "add", "http://169.254.169.254/latest", "-e", "order.paid",
                "--allow-private");
        var userInfo = ben.run("endpoints", "add", "https://user:pw@example.com/x", "-e", "order.paid");
        var httpsOnly = ben.run("endpoints", "add", "http://127.0.0.1/x", "-e", "order.paid", "--allow-private",
                "--https-only");
        var badType = ben.run("endpoints", "add", "http://127.0.0.1/x", "-e", "order paid", "--allow-private");
        var badSecret = ben.run("endpoints", "add", "http://127.0.0.1/x", "-e", "a", "--allow-private",
                "--secret", "whsec_!!!");

        assertThat(List.of(ftp, loopback, metadata, userInfo, httpsOnly, badType, badSecret))
                .allSatisfy(r -> assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE));
        assertThat(ftp.err()).contains("http:// or https://");
        assertThat(loopback.err()).contains("loopback").contains("--allow-private");
        assertThat(metadata.err()).contains("never allowed");
        assertThat(userInfo.err()).contains("user info");
        assertThat(httpsOnly.err()).contains("only https://");
        assertThat(badType.err()).contains("event type");
        assertThat(badSecret.err()).contains("--secret");
        assertThat(ben.run("endpoints", "list", "-o", "json").json()).isEmpty();
    }

    @Test
    void usageErrors_exit2_notFound_exit3_duplicate_exit5_withJsonErrorsForScripts() {
        ben.endpoint("ep_1", "http://127.0.0.1:9/a", "order.paid");

        var unknownOption = ben.run("endpoints", "list", "--frobnicate");
        var missingType = ben.run("endpoints", "add", "http://127.0.0.1:9/a", "--allow-private");
        var missingReason = ben.run("endpoints", "disable", "ep_1");
        var unknown = ben.run("endpoints", "show", "ep_nope", "-o", "json");
        var duplicate = ben.run("endpoints", "add", "http://127.0.0.1:9/b", "--allow-private", "-e", "x",
                "--id", "ep_1");

        assertThat(unknownOption.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknownOption.err()).contains("Unknown option: '--frobnicate'").contains("Usage:");
        assertThat(missingType.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(missingType.err()).contains("--event-type");
        assertThat(missingReason.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.errorJson().get("exitCode").asInt()).isEqualTo(3);
        assertThat(unknown.errorJson().get("error").asText()).contains("no endpoint ep_nope");
        assertThat(duplicate.exitCode()).as(duplicate.toString()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(duplicate.err()).contains("already exists");
        assertThat(ben.endpoints.find("ep_1").orElseThrow().url()).isEqualTo("http://127.0.0.1:9/a");
    }

    @Test
    void update_disable_enable_changeTheStoredEndpoint_andEnableStartsAFreshFailureRun() {
        ben.endpoint("ep_1", "http://127.0.0.1:9/a", "order.paid");
        ben.endpoints.markFailing("ep_1", Instant.parse("2026-01-01T00:00:00Z"));

        var update = ben.run("endpoints", "update", "ep_1", "--url", "http://127.0.0.1:9/b", "--allow-private",
                "-e", "order.paid,order.shipped", "--rate-limit", "5", "--retry-schedule", "5s,1m");
        var disable = ben.run("endpoints", "disable", "ep_1", "--reason", "receiver migrating", "-o", "json");

        assertThat(update.exitCode()).as(update.toString()).isZero();
        assertThat(disable.exitCode()).as(disable.toString()).isZero();
        Endpoint disabled = ben.endpoints.find("ep_1").orElseThrow();
        assertThat(disabled.url()).isEqualTo("http://127.0.0.1:9/b");
        assertThat(disabled.eventTypes()).containsExactlyInAnyOrder("order.paid", "order.shipped");
        assertThat(disabled.rateLimitPerSecond()).isEqualTo(5);
        assertThat(disabled.retrySchedule().delays()).hasSize(2);
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.disabledReason()).contains("receiver migrating");
        assertThat(disable.json().get("enabled").asBoolean()).isFalse();

        var enable = ben.run("endpoints", "enable", "ep_1");

        assertThat(enable.exitCode()).as(enable.toString()).isZero();
        Endpoint enabled = ben.endpoints.find("ep_1").orElseThrow();
        assertThat(enabled.enabled()).isTrue();
        assertThat(enabled.disabledReason()).isEmpty();
        assertThat(enabled.firstFailureAt()).as("fresh failure run, else the next failure auto-disables").isNull();
        assertThat(ben.run("endpoints", "update", "ep_1").exitCode()).as("nothing to update").isEqualTo(2);
        assertThat(ben.run("endpoints", "enable", "ep_missing").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ben.run("endpoints", "update", "ep_1", "--retry-schedule", "default").exitCode()).isZero();
        assertThat(ben.endpoints.find("ep_1").orElseThrow().retrySchedule()).isNull();
    }

    @Test
    void rotateSecret_oldAndNewBothSign_untilRetireOld() {
        Endpoint original = ben.endpoint("ep_1", "http://127.0.0.1:9/a", "order.paid");
        String oldSecret = original.secrets().getFirst();

        var rotate = ben.run("endpoints", "rotate-secret", "ep_1", "-o", "json");

        assertThat(rotate.exitCode()).as(rotate.toString()).isZero();
        String newSecret = rotate.json().get("newSecret").asText();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        Endpoint rotating = ben.endpoints.find("ep_1").orElseThrow();
        assertThat(rotating.secrets()).containsExactly(oldSecret, newSecret);
        assertThat(verifies(rotating, oldSecret)).as("old secret still verifies").isTrue();
        assertThat(verifies(rotating, newSecret)).as("new secret verifies").isTrue();
        assertThat(ben.run("endpoints", "rotate-secret", "ep_1").exitCode()).as("already rotating")
                .isEqualTo(ExitCodes.CONFLICT);

        var retire = ben.run("endpoints", "rotate-secret", "ep_1", "--retire-old");

        assertThat(retire.exitCode()).as(retire.toString()).isZero();
        Endpoint retired = ben.endpoints.find("ep_1").orElseThrow();
        assertThat(retired.secrets()).containsExactly(newSecret);
        assertThat(verifies(retired, oldSecret)).as("old secret no longer verifies").isFalse();
        assertThat(verifies(retired, newSecret)).isTrue();
        assertThat(ben.run("endpoints", "rotate-secret", "ep_1", "--retire-old").exitCode())
                .isEqualTo(ExitCodes.CONFLICT);
        assertThat(ben.run("endpoints", "rotate-secret", "ep_1", "--retire-old", "--secret", newSecret).exitCode())
                .as("mutually exclusive").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void customHeaders_testEvents_andDelete_goThroughTheApi() {
        var added = ben.run("endpoints", "add", "http://127.0.0.1:9/h", "--allow-private", "-e", "order.paid",
                "--id", "ep_h", "--header", "X-Team=payments", "--header", "X-Env=test", "-o", "json");

        assertThat(added.exitCode()).as(added.toString()).isZero();
        assertThat(added.json().get("headers").get("X-Team").asText()).isEqualTo("payments");
        assertThat(ben.endpoints.find("ep_h").orElseThrow().headers()).containsEntry("X-Env", "test");
        var reserved = ben.run("endpoints", "update", "ep_h", "--header", "webhook-signature=forged");
        assertThat(reserved.exitCode()).as("the API refuses a header Ben sets").isEqualTo(ExitCodes.USAGE);
        assertThat(ben.run("endpoints", "update", "ep_h", "--no-headers").exitCode()).isZero();
        assertThat(ben.endpoints.find("ep_h").orElseThrow().headers()).isEmpty();

        var test = ben.run("endpoints", "test", "ep_h", "-o", "json");

        assertThat(test.exitCode()).as(test.toString()).isZero();
        String deliveryId = test.json().get("deliveryId").asText();
        assertThat(ben.deliveries.find(deliveryId).orElseThrow().eventType()).isEqualTo("ben.test");
        assertThat(ben.run("deliveries", "show", deliveryId, "-o", "json").json().get("eventType").asText())
                .isEqualTo("ben.test");

        var deleted = ben.run("endpoints", "delete", "ep_h");

        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(ben.endpoints.find("ep_h")).isEmpty();
        assertThat(ben.run("endpoints", "show", "ep_h").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ben.run("endpoints", "delete", "ep_h").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    /** Signs as the sender does (its signer factory) and verifies with one secret, as a receiver would. */
    private static boolean verifies(Endpoint endpoint, String secret) {
        String body = "{\"type\":\"order.paid\"}";
        long now = Instant.now().getEpochSecond();
        Map<String, String> headers = SenderComponents.signers().apply(endpoint).headers("evt_1", now, body);
        VerificationResult result = WebhookVerifier.builder().secrets(secret).build()
                .verify(headers, body.getBytes(StandardCharsets.UTF_8));
        return result instanceof VerificationResult.Verified;
    }

    @Test
    void help_isAvailableEverywhere_withExitCode0() {
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[] {"--help"});
        for (String c : List.of("endpoints", "deliveries", "replay", "recover", "dlq", "stats", "status-page")) {
            commands.add(new String[] {c, "--help"});
        }
        for (String c : List.of("add", "list", "show", "update", "disable", "enable", "rotate-secret", "delete",
                "test")) {
            commands.add(new String[] {"endpoints", c, "--help"});
        }
        commands.add(new String[] {"deliveries", "list", "--help"});
        commands.add(new String[] {"dlq", "redrive", "--help"});

        for (String[] args : commands) {
            var run = CliHarness.runWith(Map.of(), args);
            assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run).isZero();
            assertThat(run.out()).as(String.join(" ", args)).contains("Usage: ben");
        }
        assertThat(CliHarness.runWith(Map.of(), "--help").out()).contains("Exit codes:");
    }
}

package dev.ben.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DlqMessagesTest {

    @Test
    void deliveryId_isReadFromEachKindOfDeadLetterMessage() {
        assertThat(DlqCommand.deliveryId(dev.ben.sender.internal.aws.SqsRetryQueue.body("dlv_abc")))
                .as("retry message moved by the redrive policy").contains("dlv_abc");
        assertThat(DlqCommand.deliveryId("dlv_abc")).as("bare id").contains("dlv_abc");
        assertThat(DlqCommand.deliveryId("{\"message\":\"{\\\"deliveryId\\\":\\\"dlv_z\\\"}\",\"reason\":\"x\"}"))
                .as("raw copy of a retry message").contains("dlv_z");
        assertThat(DlqCommand.deliveryId("{\"deliveryId\":\"dlv_x\",\"reason\":\"retries exhausted\"}"))
                .as("FAILED copy").contains("dlv_x");
        assertThat(DlqCommand.deliveryId("{\"message\":\"dlv_y\",\"reason\":\"unknown delivery dlv_y\"}"))
                .as("raw copy naming a delivery").contains("dlv_y");
        assertThat(DlqCommand.deliveryId("{\"message\":\"garbage\",\"reason\":\"not a delivery id\"}")).isEmpty();
        assertThat(DlqCommand.deliveryId("garbage")).isEmpty();
        assertThat(DlqCommand.deliveryId("{not json")).isEmpty();
        assertThat(DlqCommand.deliveryId(null)).isEmpty();
    }

    @Test
    void unknownCommandsAndOptions_exit2_withoutTouchingAws() {
        var unknown = CliHarness.runWith(java.util.Map.of(), "frobnicate");
        var version = CliHarness.runWith(java.util.Map.of(), "--version");
        var badOutput = CliHarness.runWith(java.util.Map.of(), "stats", "-o", "yaml");

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("Unmatched argument");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).contains("ben 0.1.0");
        assertThat(badOutput.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badOutput.err()).contains("text").contains("json");
    }
}

package dev.ben.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Argument errors are found before any call to the management API (no API is configured here). */
class CliArgumentsTest {

    @Test
    void unknownCommandsAndOptions_exit2_withoutCallingTheApi() {
        var unknown = CliHarness.runWith(Map.of(), "frobnicate");
        var version = CliHarness.runWith(Map.of(), "--version");
        var badOutput = CliHarness.runWith(Map.of(), "stats", "-o", "yaml");
        var removed = CliHarness.runWith(Map.of(), "deliveries", "list", "--deliveries-table", "t");

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("Unmatched argument");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).contains("ben 0.1.0");
        assertThat(badOutput.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badOutput.err()).contains("text").contains("json");
        assertThat(removed.exitCode()).as("the CLI no longer talks to the tables").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void badCursorsAndTimes_areRefusedByTheCli_withTheOptionNamed() {
        var cursor = CliHarness.runWith(Map.of(), "recover", "--endpoint", "ep", "--since", "1h", "--cursor", "x!");
        var since = CliHarness.runWith(Map.of(), "stats", "--since", "yesterday-ish");

        assertThat(cursor.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cursor.err()).contains("--cursor is not a cursor printed by this command");
        assertThat(since.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(since.err()).contains("cannot read time");
    }
}

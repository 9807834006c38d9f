package dev.ben.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** With BEN_TARGET=localstack and no Docker, tests using the extension are skipped with a clear reason. */
class LocalStackTargetIT {

    /** Runs only through the EngineTestKit below (static nested classes are not discovered on their own). */
    @ExtendWith(LocalAwsExtension.class)
    static class UsesTheStack {
        @Test
        void needsTheStack(LocalAws aws) {
            aws.dynamoDb().listTables();
        }
    }

    @Test
    void localStackTarget_withoutDocker_skipsTestsWithAClearReason_insteadOfFailingThem() {
        assumeFalse(LocalStackTarget.dockerAvailable(), "Docker is available here: the skip path does not apply");
        String previous = System.getProperty(LocalAwsExtension.TARGET_PROPERTY);
        System.setProperty(LocalAwsExtension.TARGET_PROPERTY, "localstack");
        Events events;
        try {
            events = EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(UsesTheStack.class))
                    .execute()
                    .allEvents();
        } finally {
            if (previous == null) {
                System.clearProperty(LocalAwsExtension.TARGET_PROPERTY);
            } else {
                System.setProperty(LocalAwsExtension.TARGET_PROPERTY, previous);
            }
        }

        assertThat(events.failed().count()).isZero();
        assertThat(events.aborted().count()).isZero();
        assertThat(events.started().filter(e -> e.getTestDescriptor().isTest()).count()).as("tests run").isZero();
        List<Event> skipped = events.skipped().list();
        assertThat(skipped).hasSize(1);
        assertThat(skipped.getFirst().getTestDescriptor().getDisplayName()).endsWith("UsesTheStack");
        assertThat(skipped.getFirst().getPayload(String.class)).get().asString()
                .contains("BEN_TARGET=localstack", "Docker is not available", "localstack/localstack:4.14.0");
    }

    @Test
    void startLocalStack_withoutDocker_failsWithAnExplanation() {
        assumeFalse(LocalStackTarget.dockerAvailable(), "Docker is available here");

        assertThatThrownBy(LocalAws::startLocalStack)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Docker is not available");
    }
}

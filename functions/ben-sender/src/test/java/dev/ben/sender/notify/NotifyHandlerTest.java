package dev.ben.sender.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ben.core.http.HttpOutcome;
import dev.ben.events.SampleEvents;
import dev.ben.sender.internal.NotifyMode;
import dev.ben.sender.testing.UnitRig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NotifyHandlerTest {

    private final UnitRig rig = new UnitRig();

    @Test
    void handler_withEverySampleStreamEvent_reportsNoFailures() {
        var handler = new NotifyHandler(rig.notifyService(NotifyMode.SAFE), rig.telemetry, () -> { });

        for (String sample : new String[] {SampleEvents.STREAM_INSERT, SampleEvents.STREAM_MODIFY_PAID,
                SampleEvents.STREAM_REMOVE}) {
            var response = handler.handleRequest(SampleEvents.load(sample, DynamodbEvent.class), null);
            assertThat(response.getBatchItemFailures()).as(sample).isEmpty();
        }
        assertThat(rig.deliveries.items).hasSize(1);
        assertThat(rig.logText()).contains("\"_aws\"").contains("\"delivered\":1,");
    }

    @Test
    void handler_whenTheStoreFails_reportsTheRecordsSequenceNumber() {
        rig.sender.script(r -> HttpOutcome.status(200, Duration.ofMillis(1)));
        rig.deliveries.failNextTransition = true;
        var handler = new NotifyHandler(rig.notifyService(NotifyMode.SAFE), rig.telemetry, () -> { });

        var response = handler.handleRequest(SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID, DynamodbEvent.class),
                null);

        assertThat(response.getBatchItemFailures()).extracting(f -> f.getItemIdentifier())
                .containsExactly("200000000000000000002");
    }

    @Test
    void handler_withABadDeclaration_failsAtConstruction_withEveryProblem() {
        var env = java.util.Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y",
                "BEN_RETRY_QUEUE_URL", "http://127.0.0.1:9/q", dev.ben.settings.EnvVars.DECLARATION,
                "{\"sources\": [{\"name\": \"t\", \"table\": \"abc\", \"partitionKey\": {\"name\": \"k\","
                        + " \"type\": \"S\"}, \"rules\": [{\"eventType\": \"x\", \"on\": [\"DELETE\"]}]}]}");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NotifyHandler(env))
                .isInstanceOf(dev.ben.settings.declaration.DeclarationException.class)
                .hasMessageContaining("sources[0].rules[0].on[0]: must be INSERT, MODIFY or REMOVE")
                .hasMessageContaining("sources[0].rules[0].payload: is required");
    }

    @Test
    void handler_withAnEmptyOrNullEvent_answersWithNoFailures() {
        var handler = new NotifyHandler(rig.notifyService(NotifyMode.SAFE), rig.telemetry, () -> { });

        assertThat(handler.handleRequest(new DynamodbEvent(), null).getBatchItemFailures()).isEmpty();
        assertThat(handler.handleRequest(null, null).getBatchItemFailures()).isEmpty();
    }
}

package dev.ben.sender.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.ben.events.SampleEvents;
import dev.ben.sender.testing.UnitRig;
import org.junit.jupiter.api.Test;

class SweeperHandlerTest {

    @Test
    void handler_withTheSampleSchedule_returnsASummary() {
        var rig = new UnitRig();
        var handler = new SweeperHandler(rig.sweeperService(), rig.telemetry, () -> { });

        var summary = handler.handleRequest(SampleEvents.load(SampleEvents.SCHEDULE_SWEEPER, ScheduledEvent.class),
                null);

        assertThat(summary).containsEntry("found", 0).containsEntry("reenqueued", 0).containsKey("dueBefore");
    }
}

package dev.ben.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.ben.core.observability.JsonLog;
import dev.ben.events.SampleEvents;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookResponse;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ReconcileHandlerTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private final List<String> out = new CopyOnWriteArrayList<>();

    @Test
    void handleRequest_withTheSampleScheduleEvent_runsOnce_returnsTheSummary_andEmitsOneEmfLineForTheScope() {
        PendingSource one = (after, limit) -> new PendingSource.Page(after.isPresent() ? List.of()
                : List.of(PendingRecord.of("e-1", 1, clock.instant())), false);
        StatusApi api = (entityId, tenantId) -> new StatusApi.Lookup.NotFound();
        IdempotentExecutor executor = IdempotentExecutor.builder().scope("points").store(new MemoryStore()).build();
        Reconciler reconciler = new Reconciler(one, api, executor, message -> WebhookResponse.noContent(),
                CursorStore.inMemory(), Reconciler.Settings.DEFAULTS, clock, new JsonLog("reconcile", clock, out::add));
        ReconcileHandler handler = new ReconcileHandler(reconciler, "points", Duration.ofMinutes(1), clock, out::add);

        Map<String, Object> summary = handler.handleRequest(
                SampleEvents.load(SampleEvents.SCHEDULE_RECONCILE, ScheduledEvent.class), null);

        assertThat(summary).containsEntry("checked", 1).containsEntry("notFound", 1)
                .containsEntry("stop", "END_OF_ROUND");
        assertThat(out.stream().filter(line -> line.contains("\"_aws\""))).singleElement().asString()
                .contains("\"scope\":\"points\"").contains("\"service\":\"reconcile\"").contains("\"pastHorizon\":0");
        assertThat(out).anySatisfy(line -> assertThat(line).contains("reconcile run").contains("\"scope\":\"points\""));
    }

    @Test
    void environment_namesWhatIsMissingOrWrong() {
        assertThatThrownBy(() -> ReconcileHandler.target(Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(ReconcileHandler.TARGET)
                .hasMessageContaining("0 ReconcileTarget service providers");
        assertThatThrownBy(() -> ReconcileHandler.target(Map.of(ReconcileHandler.TARGET, "no.Such")))
                .hasMessageContaining("no such class");
        assertThatThrownBy(() -> ReconcileHandler.target(Map.of(ReconcileHandler.TARGET, String.class.getName())))
                .hasMessageContaining("does not implement");
        assertThatThrownBy(() -> ReconcileHandler.authorizer(Map.of()))
                .hasMessageContaining("AWS_REGION").hasMessageContaining("BEN_STATUS_API_TOKEN");
        assertThat(ReconcileHandler.authorizer(Map.of("BEN_STATUS_API_TOKEN", "t")).headers("GET",
                URI.create("http://a/entities/x/events"))).containsEntry("Authorization", "Bearer t");
        assertThat(ReconcileHandler.authorizer(Map.of("AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKID",
                "AWS_SECRET_ACCESS_KEY", "s"))).isInstanceOf(SigV4RequestSigner.class);
    }
}

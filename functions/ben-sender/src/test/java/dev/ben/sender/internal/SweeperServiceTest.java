package dev.ben.sender.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.model.Circuit;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import dev.ben.sender.testing.InMemoryStores;
import dev.ben.sender.testing.UnitRig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweeperServiceTest {

    private static final Duration GRACE = Duration.ofMinutes(3);

    private final UnitRig rig = new UnitRig();
    private int created;

    /** A live delivery whose next attempt was due {@code overdueBy} ago (negative: not due yet). */
    private StoredDelivery live(DeliveryStatus status, Duration overdueBy) {
        created++;
        Instant now = rig.clock.instant();
        Event event = Event.of("evt_" + created, "order.paid", "ord_" + created, now.minus(Duration.ofHours(1)),
                "{\"n\":" + created + "}");
        Delivery pending = Delivery.pending(event, "ep-1", now.minus(Duration.ofHours(1)));
        Delivery d = status == DeliveryStatus.PENDING
                ? pending.withStatus(status, 0, now.minus(overdueBy), 0, "", now.minus(Duration.ofHours(1)))
                : pending.withStatus(status, 1, now.minus(overdueBy), 503, "HTTP 503", now.minus(Duration.ofHours(1)));
        StoredDelivery stored = StoredDelivery.of(event, d, "").with(d, "n1");
        rig.deliveries.createIfAbsent(stored);
        return stored;
    }

    /** A delivery to {@code endpointId} parked until a minute ago (its circuit has closed since). */
    private StoredDelivery parkedFor(String endpointId) {
        created++;
        Instant now = rig.clock.instant();
        Event event = Event.of("evt_p" + created, "order.paid", "ord_" + created, now.minus(Duration.ofHours(1)),
                "{\"n\":" + created + "}");
        Delivery d = Delivery.pending(event, endpointId, now.minus(Duration.ofHours(1)))
                .park(now.minusSeconds(60), "parked: circuit open", now.minus(Duration.ofHours(1)));
        StoredDelivery stored = StoredDelivery.of(event, d, "");
        rig.deliveries.createIfAbsent(stored);
        return stored;
    }

    private SweeperService sweeper(DeliveryStore store, int maxPerRun) {
        return rig.sweeperService(store, maxPerRun);
    }

    private StoredDelivery current(StoredDelivery d) {
        return rig.deliveries.items.get(d.id());
    }

    @Test
    void sweep_reenqueuesOverduePendingAndRetryingDeliveries_atOnce_underANewToken() {
        StoredDelivery crashedBeforePost = live(DeliveryStatus.PENDING, GRACE.plusSeconds(1));
        StoredDelivery lostMessage = live(DeliveryStatus.RETRYING, Duration.ofHours(2));
        StoredDelivery withinGrace = live(DeliveryStatus.RETRYING, GRACE.minusSeconds(1));

        Map<String, Object> summary = sweeper(rig.deliveries, 100).sweep();

        assertThat(summary).containsEntry("found", 2).containsEntry("reenqueued", 2).containsEntry("skipped", 0)
                .containsEntry("errors", 0).containsEntry("limited", false)
                .containsEntry("dueBefore", rig.clock.instant().minus(GRACE).toString());
        assertThat(rig.queue.sent).extracting(InMemoryStores.Queue.Sent::deliveryId)
                .containsExactly(crashedBeforePost.id(), lostMessage.id());
        for (StoredDelivery d : new StoredDelivery[] {crashedBeforePost, lostMessage}) {
            StoredDelivery now = current(d);
            assertThat(now.queueToken()).startsWith("s").isNotEqualTo(d.queueToken());
            assertThat(now.delivery().status()).isEqualTo(d.delivery().status());
            assertThat(now.delivery().nextAttemptAt()).isEqualTo(rig.clock.instant());
            assertThat(rig.queue.sent).filteredOn(s -> s.deliveryId().equals(d.id())).singleElement()
                    .satisfies(s -> {
                        assertThat(s.token()).isEqualTo(now.queueToken());
                        assertThat(s.delay()).isZero();
                    });
        }
        assertThat(current(withinGrace)).isEqualTo(withinGrace);
        assertThat(rig.logLines("delivery re-enqueued by the sweeper")).hasSize(2)
                .anySatisfy(l -> assertThat(l).contains(lostMessage.id()).contains("\"status\":\"RETRYING\""));
        assertThat(rig.metric("sweptReenqueued")).isEqualTo(2);
    }

    @Test
    void sweep_secondRunRightAfter_findsNothing() {
        live(DeliveryStatus.RETRYING, Duration.ofHours(2));
        sweeper(rig.deliveries, 100).sweep();

        Map<String, Object> again = sweeper(rig.deliveries, 100).sweep();

        assertThat(again).containsEntry("found", 0).containsEntry("reenqueued", 0);
        assertThat(rig.queue.sent).hasSize(1);
    }

    @Test
    void sweep_isBoundedPerRun_countingPendingAndRetryingTogether_andSaysItWasLimited() {
        live(DeliveryStatus.PENDING, Duration.ofHours(1));
        StoredDelivery older = live(DeliveryStatus.RETRYING, Duration.ofHours(3));
        StoredDelivery newer = live(DeliveryStatus.RETRYING, Duration.ofHours(2));

        Map<String, Object> first = sweeper(rig.deliveries, 2).sweep();
        var sentByTheFirst = InMemoryStores.copy(rig.queue.sent);
        Map<String, Object> second = sweeper(rig.deliveries, 2).sweep();

        assertThat(first).containsEntry("found", 2).containsEntry("reenqueued", 2).containsEntry("limited", true);
        assertThat(sentByTheFirst).extracting(InMemoryStores.Queue.Sent::deliveryId).hasSize(2).contains(older.id())
                .doesNotContain(newer.id());
        assertThat(second).containsEntry("found", 1).containsEntry("limited", false);
        assertThat(rig.queue.sent.getLast().deliveryId()).isEqualTo(newer.id());
    }

    @Test
    void sweep_aBacklogOfPendingDeliveries_doesNotStarveTheRetryingOnes() {
        for (int i = 0; i < 1_200; i++) {
            live(DeliveryStatus.PENDING, Duration.ofMinutes(10 + i));
        }
        StoredDelivery retrying = live(DeliveryStatus.RETRYING, Duration.ofMinutes(10));

        Map<String, Object> summary = sweeper(rig.deliveries, 1_000).sweep();

        assertThat(summary).containsEntry("found", 1_000).containsEntry("limited", true);
        assertThat(rig.queue.sent).extracting(InMemoryStores.Queue.Sent::deliveryId).contains(retrying.id());
    }

    @Test
    void sweep_pagesThroughMoreThanOnePage() {
        for (int i = 0; i < 150; i++) {
            live(DeliveryStatus.RETRYING, Duration.ofMinutes(10 + i));
        }

        Map<String, Object> summary = sweeper(rig.deliveries, 1000).sweep();

        assertThat(summary).containsEntry("found", 150).containsEntry("reenqueued", 150).containsEntry("pages", 3)
                .containsEntry("limited", false);
        assertThat(rig.queue.sent).extracting(InMemoryStores.Queue.Sent::deliveryId).doesNotHaveDuplicates()
                .hasSize(150);
    }

    @Test
    void sweep_deliveryThatMovedOnSinceTheQuery_isSkipped_notReenqueued() {
        StoredDelivery moved = live(DeliveryStatus.RETRYING, Duration.ofHours(2));
        StoredDelivery lost = live(DeliveryStatus.RETRYING, Duration.ofHours(1));
        InMemoryStores.Deliveries racing = new InMemoryStores.Deliveries() {
            @Override
            public synchronized boolean transition(StoredDelivery expected, Delivery next, String nextToken) {
                return !expected.id().equals(moved.id()) && rig.deliveries.transition(expected, next, nextToken);
            }

            @Override
            public Page overdue(DeliveryStatus status, Instant dueBefore, int limit, Map<String, String> cursor) {
                return rig.deliveries.overdue(status, dueBefore, limit, cursor);
            }
        };

        Map<String, Object> summary = sweeper(racing, 100).sweep();

        assertThat(summary).containsEntry("found", 2).containsEntry("reenqueued", 1).containsEntry("skipped", 1);
        assertThat(rig.queue.sent).extracting(InMemoryStores.Queue.Sent::deliveryId).containsExactly(lost.id());
    }

    @Test
    void sweep_whenTheQueueFails_countsTheError_andTheNextRunReenqueuesTheDelivery() {
        StoredDelivery lost = live(DeliveryStatus.RETRYING, Duration.ofHours(2));
        rig.queue.failSends = true;

        Map<String, Object> failed = sweeper(rig.deliveries, 100).sweep();
        rig.queue.failSends = false;
        rig.clock.advance(GRACE.plusSeconds(1));
        Map<String, Object> next = sweeper(rig.deliveries, 100).sweep();

        assertThat(failed).containsEntry("errors", 1).containsEntry("reenqueued", 0);
        assertThat(rig.logLines("sweeper could not re-enqueue")).singleElement().asString().contains(lost.id())
                .contains("injected SQS failure");
        assertThat(rig.metric("sweptErrors")).isEqualTo(1);
        assertThat(next).containsEntry("reenqueued", 1);
        assertThat(rig.queue.sent).singleElement().satisfies(s -> {
            assertThat(s.deliveryId()).isEqualTo(lost.id());
            assertThat(s.token()).isEqualTo(current(lost).queueToken());
        });
    }

    @Test
    void sweep_whenOneEndpointsParkedDeliveriesCannotBeRead_releasesTheOthers_andCountsTheError() {
        Circuit closed = new Circuit(Circuit.State.CLOSED, null, 0, rig.clock.instant().minusSeconds(10), "");
        rig.endpoints.items.computeIfPresent("ep-1", (id, e) -> e.withCircuit(closed));
        rig.endpoints.items.put("ep-2", Endpoint.of("ep-2", "https://hooks.example.com/2", Set.of("order.paid"),
                List.of(UnitRig.SECRET)).withCircuit(closed));
        parkedFor("ep-1");
        StoredDelivery readable = parkedFor("ep-2");
        InMemoryStores.Deliveries throttled = new InMemoryStores.Deliveries() {
            @Override
            public Page parked(String endpointId, int limit, Map<String, String> cursor) {
                if (endpointId.equals("ep-1")) {
                    throw new IllegalStateException("injected Query throttling");
                }
                return rig.deliveries.parked(endpointId, limit, cursor);
            }

            @Override
            public synchronized boolean transition(StoredDelivery expected, Delivery next, String nextToken) {
                return rig.deliveries.transition(expected, next, nextToken);
            }
        };

        Map<String, Object> summary = sweeper(throttled, 100).sweep();

        assertThat(summary).containsEntry("parkedEndpoints", 2).containsEntry("parkedReleased", 1)
                .containsEntry("parkedErrors", 1);
        assertThat(rig.queue.sent).extracting(InMemoryStores.Queue.Sent::deliveryId).containsExactly(readable.id());
        assertThat(rig.logLines("sweeper could not read parked deliveries")).singleElement().asString()
                .contains("ep-1").contains("injected Query throttling");
        assertThat(rig.logLines("parked deliveries released")).singleElement().asString()
                .contains("\"endpointId\":\"ep-2\"").contains("\"released\":\"1\"").contains("BACKLOG");
        assertThat(rig.metric("parkedReleased")).isEqualTo(1);
    }
}

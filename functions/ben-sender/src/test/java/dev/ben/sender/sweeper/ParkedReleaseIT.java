package dev.ben.sender.sweeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.core.delivery.CircuitPolicy;
import dev.ben.core.model.Circuit;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Event;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.JsonTelemetry;
import dev.ben.sender.internal.ParkedRelease;
import dev.ben.sender.internal.RetryQueue;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.internal.SweeperService;
import dev.ben.sender.internal.aws.DynamoDbDeliveryStore;
import dev.ben.sender.internal.aws.DynamoDbEndpointState;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.sender.internal.aws.SqsRetryQueue;
import dev.ben.sender.testing.InMemoryStores.Queue.Sent;
import dev.ben.sender.testing.UnitRig.MutableClock;
import dev.ben.settings.BenSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sweeper's release of parked deliveries against the real stores on the local stack (dynalite's deliveries and
 * endpoints tables, ElasticMQ's retry queue): probe carriers, a closed circuit's backlog at its drain rate, deliveries
 * past their max age, fairness between endpoints, and no delivery released twice.
 */
@ExtendWith(LocalAwsExtension.class)
class ParkedReleaseIT {

    private static final Duration MAX_AGE = Duration.ofHours(1);
    /** 5/s over a 2 s sweep interval: at most 10 released per run. */
    private static final CircuitPolicy DRAIN_5_PER_SECOND = new CircuitPolicy(5, 0.5, 20, 10, Duration.ofSeconds(30),
            Duration.ofMinutes(10), Duration.ofSeconds(30), 5, Duration.ofMinutes(1), 2);
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private final LocalAws aws;
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final JsonTelemetry telemetry = new JsonTelemetry(new PrintStream(OutputStream.nullOutputStream()), clock,
            "test");
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private ProvisionedResources resources;
    private DynamoDbDeliveryStore deliveries;
    private DynamoDbEndpointStore endpoints;
    private RetryQueue queue;
    private int created;

    ParkedReleaseIT(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeEach
    void provision() {
        resources = aws.provision(BenSettings.own(), "park" + UUID.randomUUID().toString().substring(0, 6) + "-");
        deliveries = new DynamoDbDeliveryStore(aws.dynamoDb(), resources.tableName(BenSettings.DELIVERIES_TABLE),
                Duration.ofDays(1));
        endpoints = new DynamoDbEndpointStore(aws.dynamoDb(), resources.tableName(BenSettings.ENDPOINTS_TABLE), clock,
                Duration.ZERO, telemetry);
        queue = noting(new SqsRetryQueue(aws.sqs(), resources.queueUrl(BenSettings.RETRY_QUEUE),
                resources.queueUrl(BenSettings.RETRY_DLQ)));
    }

    /** The real queue, each send's delay noted (SQS does not tell a message's DelaySeconds back). */
    private RetryQueue noting(SqsRetryQueue real) {
        return new RetryQueue() {
            @Override
            public void send(String deliveryId, String queueToken, Duration delay) {
                real.send(deliveryId, queueToken, delay);
                sent.add(new Sent(deliveryId, queueToken, delay));
            }

            @Override
            public void deadLetter(StoredDelivery delivery, String reason) {
                real.deadLetter(delivery, reason);
            }

            @Override
            public void deadLetterRaw(String body, String reason) {
                real.deadLetterRaw(body, reason);
            }
        };
    }

    private SweeperService sweeper(DeliveryStore store, int maxPerRun) {
        RetrySchedule schedule = RetrySchedule.parse("1m,5m").withMaxAge(MAX_AGE);
        return new SweeperService(store, queue, clock, Duration.ofMinutes(3), maxPerRun, telemetry,
                new ParkedRelease(endpoints, store, queue, DRAIN_5_PER_SECOND, schedule, INTERVAL, maxPerRun,
                        telemetry));
    }

    private Map<String, Object> sweep() {
        return sweeper(deliveries, 1_000).sweep();
    }

    private void endpoint(String id, Circuit circuit, RetrySchedule schedule) {
        Endpoint e = new Endpoint(id, "https://hooks.example.com/" + id, Set.of("order.paid"), List.of(SECRET), true,
                "", 0, schedule, null, "");
        aws.dynamoDb().putItem(b -> b.tableName(resources.tableName(BenSettings.ENDPOINTS_TABLE))
                .item(DynamoDbEndpointStore.toItem(e)));
        new DynamoDbEndpointState(aws.dynamoDb(), resources.tableName(BenSettings.ENDPOINTS_TABLE), endpoints, clock)
                .transition(id, Circuit.CLOSED, circuit);
    }

    private Circuit openUntil(Instant retryAt) {
        return new Circuit(Circuit.State.OPEN, retryAt, 1, clock.instant().minusSeconds(60), "HTTP 503");
    }

    private Circuit closedSince(Instant at) {
        return new Circuit(Circuit.State.CLOSED, null, 0, at, "");
    }

    /** A delivery to {@code endpointId} created {@code age} ago, parked until {@code until}. */
    private StoredDelivery parked(String endpointId, Duration age, Instant until) {
        created++;
        Instant createdAt = clock.instant().minus(age);
        Event event = Event.of("evt_" + UUID.randomUUID().toString().substring(0, 8) + "_" + created, "order.paid",
                "ord_" + created, createdAt, "{\"n\":" + created + "}");
        Delivery d = Delivery.pending(event, endpointId, createdAt).park(until, "CIRCUIT_OPEN: HTTP 503", createdAt);
        StoredDelivery stored = StoredDelivery.of(event, d, "");
        deliveries.createIfAbsent(stored);
        return stored;
    }

    /** {@code n} parked deliveries, the i-th due i seconds after {@code from} (so the first is the oldest). */
    private List<StoredDelivery> backlog(String endpointId, int n, Instant from) {
        return IntStream.range(0, n).mapToObj(i -> parked(endpointId, Duration.ofMinutes(10), from.plusSeconds(i)))
                .toList();
    }

    private StoredDelivery current(StoredDelivery d) {
        return deliveries.find(d.id()).orElseThrow();
    }

    private int messagesInTheQueue() {
        var attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(resources.queueUrl(BenSettings.RETRY_QUEUE))
                .attributeNamesWithStrings("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                        "ApproximateNumberOfMessagesDelayed")).attributesAsStrings();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    private List<String> sentIds() {
        return sent.stream().map(Sent::deliveryId).toList();
    }

    @Test
    void openCircuit_releasesOneProbeCarrier_theOldest_onlyOnceRetryAtHasPassed() {
        Instant retryAt = clock.instant().plusSeconds(30);
        endpoint("ep-open", openUntil(retryAt), null);
        StoredDelivery oldest = parked("ep-open", Duration.ofMinutes(20), clock.instant().minusSeconds(120));
        parked("ep-open", Duration.ofMinutes(5), clock.instant().minusSeconds(60));
        parked("ep-open", Duration.ofMinutes(1), retryAt);

        Map<String, Object> beforeRetryAt = sweep();
        clock.advance(Duration.ofSeconds(31));
        Map<String, Object> afterRetryAt = sweep();

        assertThat(beforeRetryAt).containsEntry("parkedEndpoints", 1).containsEntry("parkedReleased", 0);
        assertThat(afterRetryAt).containsEntry("parkedReleased", 1).containsEntry("parkedProbeCarriers", 1);
        assertThat(sent).singleElement().satisfies(s -> {
            assertThat(s.deliveryId()).isEqualTo(oldest.id());
            assertThat(s.delay()).isZero();
            assertThat(s.token()).isEqualTo(current(oldest).queueToken());
        });
        assertThat(current(oldest).delivery()).satisfies(d -> {
            assertThat(d.parked()).isFalse();
            assertThat(d.status()).isEqualTo(DeliveryStatus.RETRYING);
            assertThat(d.attempts()).isZero();
        });
        assertThat(messagesInTheQueue()).isEqualTo(1);
    }

    @Test
    void closedCircuit_releasesItsBacklogAtTheDrainRate_oneIntervalsWorthPerRun_withGrowingDelays() {
        endpoint("ep-healed", closedSince(clock.instant().minusSeconds(5)), null);
        List<StoredDelivery> backlog = backlog("ep-healed", 25, clock.instant().minusSeconds(300));

        Map<String, Object> first = sweep();
        List<Sent> firstRun = List.copyOf(sent);
        Map<String, Object> second = sweep();
        Map<String, Object> third = sweep();
        Map<String, Object> fourth = sweep();

        assertThat(List.of(first, second, third, fourth)).extracting(s -> s.get("parkedReleased"))
                .containsExactly(10, 10, 5, 0);
        assertThat(firstRun).extracting(Sent::deliveryId)
                .containsExactlyElementsOf(backlog.subList(0, 10).stream().map(StoredDelivery::id).toList());
        assertThat(firstRun).extracting(Sent::delay).containsExactlyElementsOf(IntStream.range(0, 10)
                .mapToObj(i -> Duration.ofMillis(i * 200L)).toList());
        assertThat(sentIds()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(backlog.stream().map(StoredDelivery::id).toList());
        assertThat(backlog).allSatisfy(d -> assertThat(current(d).delivery().parked()).isFalse());
        assertThat(messagesInTheQueue()).isEqualTo(25);
    }

    @Test
    void openCircuit_beforeRetryAt_releasesOnlyTheDeliveriesPastTheirMaxAge_byTheEndpointsOwnScheduleToo() {
        Instant retryAt = clock.instant().plus(Duration.ofMinutes(5));
        endpoint("ep-global", openUntil(retryAt), null);
        // max age 3 h: twice the schedule (the store keeps an endpoint's delays, its max age follows from them)
        endpoint("ep-own", openUntil(retryAt), RetrySchedule.parse("90m"));
        StoredDelivery tooOld = parked("ep-global", Duration.ofHours(2), clock.instant().minus(Duration.ofMinutes(70)));
        StoredDelivery young = parked("ep-global", Duration.ofMinutes(30), clock.instant().minusSeconds(600));
        StoredDelivery waiting = parked("ep-global", Duration.ofMinutes(10), retryAt);
        StoredDelivery withinItsOwnMaxAge = parked("ep-own", Duration.ofHours(2),
                clock.instant().minus(Duration.ofMinutes(70)));

        Map<String, Object> summary = sweep();

        assertThat(summary).containsEntry("parkedEndpoints", 2).containsEntry("parkedReleased", 1)
                .containsEntry("parkedPastMaxAge", 1).containsEntry("parkedProbeCarriers", 0);
        assertThat(sentIds()).containsExactly(tooOld.id());
        assertThat(List.of(young, waiting, withinItsOwnMaxAge))
                .allSatisfy(d -> assertThat(current(d).delivery().parked()).isTrue());
    }

    @Test
    void twoEndpointsBacklogs_bothProgressInOneRun_whenMaxPerRunIsSmall() {
        endpoint("ep-a", closedSince(clock.instant().minusSeconds(5)), null);
        endpoint("ep-b", closedSince(clock.instant().minusSeconds(5)), null);
        backlog("ep-a", 8, clock.instant().minusSeconds(300));
        backlog("ep-b", 8, clock.instant().minusSeconds(300));

        Map<String, Object> summary = sweeper(deliveries, 6).sweep();

        List<String> released = sentIds();
        assertThat(summary).containsEntry("parkedReleased", 6).containsEntry("parkedLimited", true);
        assertThat(released.stream().filter(id -> current(id).delivery().endpointId().equals("ep-a"))).hasSize(3);
        assertThat(released.stream().filter(id -> current(id).delivery().endpointId().equals("ep-b"))).hasSize(3);
    }

    private StoredDelivery current(String deliveryId) {
        return deliveries.find(deliveryId).orElseThrow();
    }

    @Test
    void aDeliveryIsNeverReleasedTwice_whenTwoSweepersRace() {
        endpoint("ep-healed", closedSince(clock.instant().minusSeconds(5)), null);
        List<StoredDelivery> backlog = backlog("ep-healed", 4, clock.instant().minusSeconds(300));
        List<Map<String, Object>> otherRuns = new ArrayList<>();
        // the other run releases everything between this run's read of the page and its releases
        DeliveryStore racing = new DelegatingStore(deliveries) {
            @Override
            public Page parked(String endpointId, int limit, Map<String, String> cursor) {
                Page page = super.parked(endpointId, limit, cursor);
                otherRuns.add(sweep());
                return page;
            }
        };

        Map<String, Object> summary = sweeper(racing, 1_000).sweep();

        assertThat(otherRuns).singleElement().satisfies(s -> assertThat(s).containsEntry("parkedReleased", 4));
        assertThat(summary).containsEntry("parkedRead", 4).containsEntry("parkedReleased", 0)
                .containsEntry("parkedSkipped", 4);
        assertThat(sentIds()).hasSize(4).doesNotHaveDuplicates();
        assertThat(messagesInTheQueue()).isEqualTo(4);
        assertThat(backlog).allSatisfy(d -> assertThat(sent).filteredOn(s -> s.deliveryId().equals(d.id()))
                .singleElement().satisfies(s -> assertThat(s.token()).isEqualTo(current(d).queueToken())));
    }

    /** A store that passes every call through (tests override the one they interleave with). */
    private static class DelegatingStore implements DeliveryStore {
        private final DeliveryStore real;

        DelegatingStore(DeliveryStore real) {
            this.real = real;
        }

        @Override
        public Optional<StoredDelivery> createIfAbsent(StoredDelivery delivery) {
            return real.createIfAbsent(delivery);
        }

        @Override
        public Optional<StoredDelivery> find(String deliveryId) {
            return real.find(deliveryId);
        }

        @Override
        public Map<String, StoredDelivery> findAll(Collection<String> deliveryIds) {
            return real.findAll(deliveryIds);
        }

        @Override
        public boolean transition(StoredDelivery expected, Delivery next, String nextToken) {
            return real.transition(expected, next, nextToken);
        }

        @Override
        public Page overdue(DeliveryStatus status, Instant dueBefore, int limit, Map<String, String> cursor) {
            return real.overdue(status, dueBefore, limit, cursor);
        }

        @Override
        public Page parked(String endpointId, int limit, Map<String, String> cursor) {
            return real.parked(endpointId, limit, cursor);
        }

        @Override
        public List<StoredDelivery> byEntity(String entityId, int limit) {
            return real.byEntity(entityId, limit);
        }
    }
}

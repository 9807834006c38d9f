package dev.ben.sender.testing;

import dev.ben.core.delivery.CircuitPolicy;
import dev.ben.core.delivery.DeliveryPolicy;
import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.Jitter;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.sender.internal.CircuitBreakers;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.DeliveryRunner;
import dev.ben.sender.internal.EndpointGate;
import dev.ben.sender.internal.EndpointSlots;
import dev.ben.sender.internal.EventMapper;
import dev.ben.sender.internal.JsonTelemetry;
import dev.ben.sender.internal.NotifyLimits;
import dev.ben.sender.internal.NotifyMode;
import dev.ben.sender.internal.NotifyService;
import dev.ben.sender.internal.ParkedRelease;
import dev.ben.sender.internal.RetryService;
import dev.ben.sender.internal.SenderComponents;
import dev.ben.sender.internal.SweeperService;
import dev.ben.sender.internal.UrlEndpoints;
import dev.ben.settings.declaration.Declaration;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Services wired with in-memory stores, a scripted sender and a settable clock. */
public final class UnitRig {

    public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    public final InMemoryStores.Deliveries deliveries = new InMemoryStores.Deliveries();
    public final InMemoryStores.Endpoints endpoints;
    public final InMemoryStores.Attempts attempts = new InMemoryStores.Attempts();
    public final InMemoryStores.Tenants tenants = new InMemoryStores.Tenants();
    public final InMemoryStores.Events events = new InMemoryStores.Events();
    public final InMemoryStores.Queue queue = new InMemoryStores.Queue();
    public final ScriptedSender sender = ScriptedSender.status(200);
    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T22:00:00Z"));
    public final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    public final JsonTelemetry telemetry;
    public final DeliveryPolicy policy = new DeliveryPolicy(RetrySchedule.parse("15s,30s,1m").withMaxAge(Duration.ofDays(10)),
            Duration.ofMinutes(5), Duration.ofDays(5), Jitter.none());

    public UnitRig() {
        this(Endpoint.of("ep-1", "https://hooks.example.com/ben", Set.of("order.paid"), List.of(SECRET)));
    }

    public UnitRig(Endpoint... endpoints) {
        this.endpoints = new InMemoryStores.Endpoints(endpoints);
        this.telemetry = new JsonTelemetry(new PrintStream(logs, true, StandardCharsets.UTF_8), clock, "test");
    }

    public DeliveryRunner runner() {
        return new DeliveryRunner(attempts, endpoints, queue, sender, SenderComponents.signers(), policy, clock,
                telemetry);
    }

    /** The orders demo's declaration (examples/orders/ben.json): what the sample stream events are about. */
    public static Declaration demoDeclaration() {
        return Declaration.parse(dev.ben.events.SampleEvents.demoDeclarationJson());
    }

    public NotifyService notifyService(NotifyMode mode) {
        return notifyService(mode, demoDeclaration());
    }

    public NotifyService notifyService(NotifyMode mode, Declaration declaration) {
        return notifyService(mode, declaration, 8, 350_000);
    }

    /** With {@code concurrency} parallel deliveries and {@code maxPayloadBytes} the largest payload stored. */
    public NotifyService notifyService(NotifyMode mode, Declaration declaration, int concurrency, int maxPayloadBytes) {
        return new NotifyService(new EventMapper(declaration, Map.of()), endpoints, new UrlEndpoints(tenants), events,
                deliveries, queue, runner(), mode, concurrency, maxPayloadBytes, telemetry);
    }

    /** A runner whose endpoints have circuit breakers (default policy) kept on the in-memory endpoints. */
    public DeliveryRunner gatedRunner() {
        var breakers = new CircuitBreakers(CircuitPolicy.defaults(), new InMemoryCircuits(endpoints), clock, telemetry);
        return new DeliveryRunner(attempts, endpoints, queue, sender, SenderComponents.signers(), policy, clock,
                telemetry, new EndpointGate(breakers, (id, perSecond, now) -> Duration.ZERO, clock, telemetry));
    }

    /** notify (SAFE) with circuit breakers, a time budget and {@code perEndpoint} slots per endpoint. */
    public NotifyService isolatedNotifyService(Duration budget, int perEndpoint) {
        return isolatedNotifyService(NotifyMode.SAFE, budget, perEndpoint);
    }

    /** As {@link #isolatedNotifyService(Duration, int)} in {@code mode}. */
    public NotifyService isolatedNotifyService(NotifyMode mode, Duration budget, int perEndpoint) {
        return new NotifyService(new EventMapper(demoDeclaration(), Map.of()), endpoints, new UrlEndpoints(tenants),
                events, deliveries, queue, gatedRunner(), mode, 8, 350_000, telemetry,
                new NotifyLimits(budget, Duration.ZERO, new EndpointSlots(perEndpoint), Duration.ZERO));
    }

    /** SAFE notify with a budget and a straggler grace (no per-endpoint cap to speak of). */
    public NotifyService stragglerNotifyService(Duration budget, Duration grace) {
        return new NotifyService(new EventMapper(demoDeclaration(), Map.of()), endpoints, new UrlEndpoints(tenants),
                events, deliveries, queue, gatedRunner(), NotifyMode.SAFE, 8, 350_000, telemetry,
                new NotifyLimits(budget, Duration.ZERO, new EndpointSlots(16), grace));
    }

    public RetryService retryService() {
        return new RetryService(deliveries, endpoints, new UrlEndpoints(tenants), queue, runner(), telemetry);
    }

    /** retry with circuit breakers (default policy) kept on the in-memory endpoints. */
    public RetryService isolatedRetryService() {
        return new RetryService(deliveries, endpoints, new UrlEndpoints(tenants), queue, gatedRunner(), telemetry);
    }

    public SweeperService sweeperService() {
        return sweeperService(deliveries, 100);
    }

    /** The sweeper on {@code store} (the rig's queue and endpoints), taking over and releasing up to {@code maxPerRun}. */
    public SweeperService sweeperService(DeliveryStore store, int maxPerRun) {
        return new SweeperService(store, queue, clock, Duration.ofMinutes(3), maxPerRun, telemetry,
                new ParkedRelease(endpoints, store, queue, CircuitPolicy.defaults(), policy.schedule(),
                        Duration.ofMinutes(1), maxPerRun, telemetry));
    }

    public String logText() {
        return logs.toString(StandardCharsets.UTF_8);
    }

    /** The total of a count metric so far (flushes the pending EMF line first, as a handler does per invocation). */
    public double metric(String name) {
        telemetry.flush();
        Pattern value = Pattern.compile("\"" + Pattern.quote(name) + "\":([0-9.eE+-]+)");
        double total = 0;
        for (String line : logText().split("\n")) {
            if (line.contains("\"_aws\"")) {
                Matcher m = value.matcher(line);
                if (m.find()) {
                    total += Double.parseDouble(m.group(1));
                }
            }
        }
        return total;
    }

    /** The values of a timing metric (name ending in {@code Ms}) so far, in milliseconds. */
    public List<Double> timings(String name) {
        telemetry.flush();
        Pattern values = Pattern.compile("\"" + Pattern.quote(name) + "\":\\[([^\\]]*)]");
        List<Double> out = new ArrayList<>();
        for (String line : logText().split("\n")) {
            Matcher m = values.matcher(line);
            if (line.contains("\"_aws\"") && m.find() && !m.group(1).isBlank()) {
                for (String v : m.group(1).split(",")) {
                    out.add(Double.parseDouble(v.trim()));
                }
            }
        }
        return out;
    }

    /** The log lines (JSON) whose message is {@code message}. */
    public List<String> logLines(String message) {
        return logText().lines().filter(l -> l.contains("\"message\":\"" + message + "\"")).toList();
    }

    /** A clock tests move by hand. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant start) {
            this.now = start;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}

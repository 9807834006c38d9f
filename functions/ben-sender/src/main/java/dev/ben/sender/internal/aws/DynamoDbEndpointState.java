package dev.ben.sender.internal.aws;

import static dev.ben.sender.internal.aws.Items.s;

import dev.ben.core.model.Circuit;
import dev.ben.sender.internal.CircuitStore;
import dev.ben.sender.internal.RateLimitStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The state every invocation shares about an endpoint, on its own item in {@code ben-endpoints} (no other table):
 *
 * <ul>
 * <li>circuit breaker: {@code circuitState} (absent = CLOSED), {@code circuitRetryAt}, {@code circuitFailedProbes},
 *     {@code circuitChangedAt}, {@code circuitReason}; every change is a conditional write on the state it expects.
 * <li>rate limit: {@code rateLog} (L of N: epoch milliseconds of the last {@code rateLimitPerSecond} sends) and
 *     {@code rateVersion} (optimistic lock). A send is allowed while fewer than the limit were sent in the last
 *     {@link #RATE_WINDOW}: a sliding log, so at most N sends in any window, not only in calendar seconds.
 * </ul>
 *
 * Successful writes are applied to the endpoint cache of {@code endpoints} too, so this container sees them at once;
 * other containers see them when their cache refreshes ({@code BEN_ENDPOINT_CACHE}).
 */
public final class DynamoDbEndpointState implements CircuitStore, RateLimitStore {

    /**
     * One second plus room for the time between taking a slot and the request reaching the receiver (its clock may
     * see two sends closer than we did): N sends per 1.4 s here are at most N per any second at the receiver while
     * that time varies by less than 400 ms (the conditional write and the connect, on a loaded store).
     */
    public static final Duration RATE_WINDOW = Duration.ofMillis(1400);
    /** Conditional-write races lost in a row before a send is deferred rather than tried again. */
    private static final int RATE_TRIES = 4;

    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoDbEndpointStore endpoints;
    private final Clock clock;

    public DynamoDbEndpointState(DynamoDbClient dynamo, String table, DynamoDbEndpointStore endpoints, Clock clock) {
        this.clock = clock;
        this.dynamo = dynamo;
        this.table = table;
        this.endpoints = endpoints;
    }

    @Override
    public boolean transition(String endpointId, Circuit expected, Circuit next) {
        Map<String, AttributeValue> values = new HashMap<>();
        String condition = "attribute_exists(endpointId) AND " + expectation(expected, values);
        values.put(":state", s(next.state().name()));
        values.put(":probes", Items.n(next.failedProbes()));
        values.put(":reason", s(next.reason()));
        List<String> set = new ArrayList<>(List.of("circuitState = :state", "circuitFailedProbes = :probes",
                "circuitReason = :reason"));
        List<String> remove = new ArrayList<>();
        optional(set, remove, values, "circuitRetryAt", ":retry", next.retryAt());
        optional(set, remove, values, "circuitChangedAt", ":changed", next.changedAt());
        String update = "SET " + String.join(", ", set)
                + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        String u = update;
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("endpointId", s(endpointId))).updateExpression(u)
                    .conditionExpression(condition).expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException moved) {
            endpoints.reload(endpointId); // someone else moved it: see their state, not ours
            return false;
        }
        endpoints.patch(endpointId, e -> e.withCircuit(next));
        return true;
    }

    private static void optional(List<String> set, List<String> remove, Map<String, AttributeValue> values,
                                 String attribute, String placeholder, Instant value) {
        if (value == null) {
            remove.add(attribute);
        } else {
            values.put(placeholder, Items.t(value));
            set.add(attribute + " = " + placeholder);
        }
    }

    private static String expectation(Circuit expected, Map<String, AttributeValue> values) {
        if (expected.closed()) {
            values.put(":closed", s(Circuit.State.CLOSED.name()));
            return "(attribute_not_exists(circuitState) OR circuitState = :closed)";
        }
        values.put(":was", s(expected.state().name()));
        values.put(":wasRetry", Items.t(expected.retryAt()));
        return "circuitState = :was AND circuitRetryAt = :wasRetry";
    }

    @Override
    public Duration tryAcquire(String endpointId, int perSecond, Instant now) {
        Duration wait = Duration.ofMillis(Math.max(1, 1000 / perSecond));
        for (int i = 0; i < RATE_TRIES; i++) {
            var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("endpointId", s(endpointId)))
                    .consistentRead(true).projectionExpression("endpointId, rateLog, rateVersion")).item();
            if (item == null || item.isEmpty()) {
                return Duration.ZERO; // deleted meanwhile: the attempt finds out
            }
            // the time of this try, not of the call: a slot is booked as close to its send as it can be
            Instant at = latest(now, clock.instant());
            List<Long> recent = recent(item, at);
            if (recent.size() >= perSecond) {
                long frees = recent.get(recent.size() - perSecond) + RATE_WINDOW.toMillis();
                return Duration.ofMillis(Math.max(1, frees - at.toEpochMilli()));
            }
            recent.add(at.toEpochMilli());
            if (write(endpointId, item.get("rateVersion"), recent)) {
                return Duration.ZERO;
            }
        }
        return wait;
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** Sends still inside the window at {@code now}, oldest first. */
    private static List<Long> recent(Map<String, AttributeValue> item, Instant now) {
        long from = now.toEpochMilli() - RATE_WINDOW.toMillis();
        List<Long> recent = new ArrayList<>();
        AttributeValue log = item.get("rateLog");
        if (log != null && log.hasL()) {
            log.l().stream().map(v -> Long.parseLong(v.n())).filter(t -> t > from).sorted().forEach(recent::add);
        }
        return recent;
    }

    private boolean write(String endpointId, AttributeValue version, List<Long> log) {
        long v = version == null || version.n() == null ? 0 : Long.parseLong(version.n());
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":log", AttributeValue.fromL(log.stream().map(Items::n).toList()));
        values.put(":next", Items.n(v + 1));
        String condition = "attribute_exists(endpointId) AND ";
        if (version == null) {
            condition += "attribute_not_exists(rateVersion)";
        } else {
            values.put(":v", version);
            condition += "rateVersion = :v";
        }
        String c = condition;
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("endpointId", s(endpointId)))
                    .updateExpression("SET rateLog = :log, rateVersion = :next").conditionExpression(c)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException raced) {
            return false;
        }
    }
}

package dev.ben.sender.testing;

import dev.ben.core.model.Attempt;
import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Endpoint;
import dev.ben.core.model.Tenant;
import dev.ben.sender.internal.AttemptLog;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.EndpointStore;
import dev.ben.sender.internal.EventLog;
import dev.ben.sender.internal.EventRecord;
import dev.ben.sender.internal.RetryQueue;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.internal.TenantStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-memory stores and queue with the same conditional semantics as the DynamoDB/SQS adapters (unit tests). */
public final class InMemoryStores {

    private InMemoryStores() {
    }

    public static class Deliveries implements DeliveryStore {
        public final Map<String, StoredDelivery> items = new ConcurrentHashMap<>();
        /** When set, the next transition throws (a crash before the status write). */
        public volatile boolean failNextTransition;

        @Override
        public synchronized Optional<StoredDelivery> createIfAbsent(StoredDelivery d) {
            StoredDelivery existing = items.putIfAbsent(d.id(), d);
            return Optional.ofNullable(existing);
        }

        @Override
        public Optional<StoredDelivery> find(String id) {
            return Optional.ofNullable(items.get(id));
        }

        @Override
        public Map<String, StoredDelivery> findAll(Collection<String> ids) {
            Map<String, StoredDelivery> out = new java.util.HashMap<>();
            ids.forEach(id -> find(id).ifPresent(d -> out.put(id, d)));
            return out;
        }

        @Override
        public synchronized boolean transition(StoredDelivery expected, Delivery next, String nextToken) {
            if (failNextTransition) {
                failNextTransition = false;
                throw new IllegalStateException("injected crash before the status write");
            }
            StoredDelivery current = items.get(expected.id());
            if (current == null || current.delivery().status() != expected.delivery().status()
                    || current.delivery().attempts() != expected.delivery().attempts()
                    || !current.queueToken().equals(expected.queueToken())) {
                return false;
            }
            items.put(expected.id(), current.with(next, nextToken));
            return true;
        }

        @Override
        public Page overdue(DeliveryStatus status, Instant dueBefore, int limit, Map<String, String> cursor) {
            List<StoredDelivery> due = items.values().stream().filter(d -> d.delivery().status() == status)
                    .filter(d -> d.delivery().nextAttemptAt() != null && d.delivery().nextAttemptAt().isBefore(dueBefore))
                    .sorted(Comparator.comparing((StoredDelivery d) -> d.delivery().nextAttemptAt())).limit(limit)
                    .toList();
            return new Page(due, Map.of());
        }

        @Override
        public List<StoredDelivery> byEntity(String entityId, int limit) {
            return items.values().stream().filter(d -> d.delivery().entityId().equals(entityId))
                    .sorted(Comparator.comparing((StoredDelivery d) -> d.delivery().createdAt()).reversed())
                    .limit(limit).toList();
        }
    }

    public static final class Endpoints implements EndpointStore {
        public final Map<String, Endpoint> items = new ConcurrentHashMap<>();

        public Endpoints(Endpoint... endpoints) {
            for (Endpoint e : endpoints) {
                items.put(e.id(), e);
            }
        }

        @Override
        public List<Endpoint> subscribedTo(String eventType, String tenantId) {
            return items.values().stream().filter(e -> e.receives(eventType, tenantId)).toList();
        }

        @Override
        public Optional<Endpoint> find(String id) {
            return Optional.ofNullable(items.get(id));
        }

        @Override
        public void disable(String id, String reason, Instant at) {
            items.computeIfPresent(id, (k, e) -> e.disabled(reason));
        }

        @Override
        public void markFailing(String id, Instant since) {
            items.computeIfPresent(id, (k, e) -> e.firstFailureAt() == null ? e.withFirstFailureAt(since) : e);
        }

        @Override
        public void clearFailing(String id) {
            items.computeIfPresent(id, (k, e) -> e.withFirstFailureAt(null));
        }
    }

    public static final class Tenants implements TenantStore {
        public final Map<String, Tenant> items = new ConcurrentHashMap<>();

        @Override
        public Optional<Tenant> find(String tenantId) {
            return Optional.ofNullable(items.get(tenantId));
        }
    }

    public static final class Events implements EventLog {
        public final Map<String, EventRecord> items = new ConcurrentHashMap<>();
        /** When set, the next write throws (events table unavailable). */
        public volatile boolean failNextWrite;

        @Override
        public void recordAll(Collection<EventRecord> events) {
            if (failNextWrite) {
                failNextWrite = false;
                throw new IllegalStateException("injected events table failure");
            }
            events.forEach(e -> items.put(e.eventId(), e));
        }

        @Override
        public Optional<EventRecord> find(String eventId) {
            return Optional.ofNullable(items.get(eventId));
        }
    }

    public static final class Attempts implements AttemptLog {
        public final List<Attempt> items = new CopyOnWriteArrayList<>();

        @Override
        public void record(Attempt attempt) {
            items.add(attempt);
        }

        @Override
        public List<Attempt> list(String deliveryId) {
            return items.stream().filter(a -> a.deliveryId().equals(deliveryId)).toList();
        }
    }

    public static final class Queue implements RetryQueue {
        public record Sent(String deliveryId, String token, Duration delay) {
        }

        public final List<Sent> sent = new CopyOnWriteArrayList<>();
        public final List<Duration> rescheduled = new CopyOnWriteArrayList<>();
        public final List<String> deadLetters = new CopyOnWriteArrayList<>();
        public volatile boolean failSends;

        @Override
        public void send(String deliveryId, String token, Duration delay) {
            if (failSends) {
                throw new IllegalStateException("injected SQS failure");
            }
            sent.add(new Sent(deliveryId, token, delay));
        }

        @Override
        public void reschedule(String receiptHandle, Duration delay) {
            rescheduled.add(delay);
        }

        @Override
        public void deadLetter(StoredDelivery delivery, String reason) {
            deadLetters.add(delivery.id() + ": " + reason);
        }

        @Override
        public void deadLetterRaw(String body, String reason) {
            deadLetters.add("raw: " + reason);
        }
    }

    /** A list that can be reset between phases. */
    public static <T> List<T> copy(List<T> list) {
        return new ArrayList<>(list);
    }
}

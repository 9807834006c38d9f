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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** In-memory stores and queue with the same conditional semantics as the DynamoDB/SQS adapters (unit tests). */
public final class InMemoryStores {

    private InMemoryStores() {
    }

    public static class Deliveries implements DeliveryStore {
        public final Map<String, StoredDelivery> items = new ConcurrentHashMap<>();
        /** When set, the next transition throws (a crash before the status write). */
        public volatile boolean failNextTransition;
        /** When set, batch reads throw (the table is throttled). */
        public volatile boolean failFindAll;

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
            if (failFindAll) {
                throw new IllegalStateException("injected BatchGetItem failure");
            }
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
                    || !current.queueToken().equals(expected.queueToken())
                    || current.delivery().parked() != expected.delivery().parked()) {
                return false;
            }
            items.put(expected.id(), current.with(next, nextToken));
            return true;
        }

        @Override
        public Page overdue(DeliveryStatus status, Instant dueBefore, int limit, Map<String, String> cursor) {
            return page(d -> d.status() == status && !d.parked() && d.nextAttemptAt() != null
                    && d.nextAttemptAt().isBefore(dueBefore), limit, cursor);
        }

        @Override
        public Page parked(String endpointId, int limit, Map<String, String> cursor) {
            return page(d -> d.parked() && d.endpointId().equals(endpointId), limit, cursor);
        }

        /**
         * Oldest first, {@code limit} per page; the cursor is the last item's position (due time and id), as
         * DynamoDB's {@code ExclusiveStartKey}: items moved on since the last page do not shift the next one.
         */
        private Page page(Predicate<Delivery> matches, int limit, Map<String, String> cursor) {
            if (limit < 1) {
                throw new IllegalArgumentException("Limit must be at least 1 (DynamoDB refuses " + limit + ")");
            }
            Comparator<StoredDelivery> order = Comparator.comparing((StoredDelivery d) -> d.delivery().nextAttemptAt())
                    .thenComparing(StoredDelivery::id);
            List<StoredDelivery> due = items.values().stream().filter(d -> matches.test(d.delivery()))
                    .filter(d -> cursor.isEmpty() || d.delivery().nextAttemptAt().isAfter(Instant.parse(cursor.get("at")))
                            || (d.delivery().nextAttemptAt().equals(Instant.parse(cursor.get("at")))
                            && d.id().compareTo(cursor.get("id")) > 0))
                    .sorted(order).toList();
            List<StoredDelivery> page = due.stream().limit(limit).toList();
            if (page.size() == due.size()) {
                return new Page(page, Map.of());
            }
            StoredDelivery last = page.getLast();
            return new Page(page, Map.of("at", last.delivery().nextAttemptAt().toString(), "id", last.id()));
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
        /** When set, {@link #find} throws it (e.g. an endpoint item the store cannot parse). */
        public volatile RuntimeException failFind;
        /** When set, the next {@link #subscribedTo} throws (the endpoints table is throttled). */
        public volatile boolean failNextSubscribedTo;
        /** When set, health updates (failing, healthy, disabled) throw. */
        public volatile boolean failUpdates;

        public Endpoints(Endpoint... endpoints) {
            for (Endpoint e : endpoints) {
                items.put(e.id(), e);
            }
        }

        @Override
        public List<Endpoint> subscribedTo(String eventType, String tenantId) {
            if (failNextSubscribedTo) {
                failNextSubscribedTo = false;
                throw new IllegalStateException("injected endpoints table throttling");
            }
            return items.values().stream().filter(e -> e.subscribedTo(eventType, tenantId)).toList();
        }

        @Override
        public List<Endpoint> all() {
            return List.copyOf(items.values());
        }

        @Override
        public Optional<Endpoint> find(String id) {
            if (failFind != null) {
                throw failFind;
            }
            return Optional.ofNullable(items.get(id));
        }

        @Override
        public void disable(String id, String reason, Instant at) {
            failIfAsked();
            items.computeIfPresent(id, (k, e) -> e.disabled(reason));
        }

        @Override
        public void markFailing(String id, Instant since) {
            failIfAsked();
            items.computeIfPresent(id, (k, e) -> e.firstFailureAt() == null ? e.withFirstFailureAt(since) : e);
        }

        private void failIfAsked() {
            if (failUpdates) {
                throw new IllegalStateException("injected endpoint update failure");
            }
        }

        @Override
        public void clearFailing(String id) {
            failIfAsked();
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
        /** When set, writes throw (the attempts table is unavailable). */
        public volatile boolean failWrites;
        /** How many write calls reached the store. */
        public final AtomicInteger writes = new AtomicInteger();

        @Override
        public void recordAll(List<Attempt> attempts) {
            writes.incrementAndGet();
            if (failWrites) {
                throw new IllegalStateException("injected attempts table failure");
            }
            items.addAll(attempts);
        }

        @Override
        public void record(Attempt attempt) {
            recordAll(List.of(attempt));
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
        public final List<String> deadLetters = new CopyOnWriteArrayList<>();
        public volatile boolean failSends;
        public volatile boolean failDeadLetters;

        @Override
        public void send(String deliveryId, String token, Duration delay) {
            if (failSends) {
                throw new IllegalStateException("injected SQS failure");
            }
            sent.add(new Sent(deliveryId, token, delay));
        }

        @Override
        public void deadLetter(StoredDelivery delivery, String reason) {
            if (failDeadLetters) {
                throw new IllegalStateException("injected DLQ failure");
            }
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

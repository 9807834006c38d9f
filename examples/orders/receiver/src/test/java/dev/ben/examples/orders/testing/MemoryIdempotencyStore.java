package dev.ben.examples.orders.testing;

import dev.ben.receiver.kit.IdempotencyStore;
import dev.ben.receiver.kit.WebhookResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Unit-test idempotency store with the kit's claim rules (ITs use the DynamoDB table). */
public final class MemoryIdempotencyStore implements IdempotencyStore {

    private record Row(boolean completed, String token, Instant until, Instant expiresAt, WebhookResponse response) {
    }

    private final Map<String, Row> rows = new HashMap<>();

    @Override
    public synchronized BeginOutcome begin(String key, String payloadHash, String token, Instant now, Instant until,
            Instant expiresAt) {
        Row row = rows.get(key);
        if (row == null || row.expiresAt().isBefore(now) || (!row.completed() && row.until().isBefore(now))) {
            rows.put(key, new Row(false, token, until, expiresAt, null));
            return new BeginOutcome.Acquired();
        }
        return row.completed() ? new BeginOutcome.Completed(row.response()) : new BeginOutcome.HeldInProgress(row.until());
    }

    @Override
    public synchronized boolean complete(String key, String token, WebhookResponse response, Instant now,
            Instant expiresAt) {
        Row row = rows.get(key);
        if (row == null || row.completed() || !row.token().equals(token)) {
            return false;
        }
        rows.put(key, new Row(true, token, null, expiresAt, response));
        return true;
    }

    @Override
    public synchronized void release(String key, String token) {
        Row row = rows.get(key);
        if (row != null && !row.completed() && row.token().equals(token)) {
            rows.remove(key);
        }
    }
}

package dev.ben.reconcile;

import dev.ben.receiver.kit.IdempotencyStore;
import dev.ben.receiver.kit.WebhookResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Unit-test idempotency store with the DynamoDB store's claim rules (the ITs use the real one on dynalite). */
final class MemoryStore implements IdempotencyStore {

    private record Row(boolean completed, String token, Instant until, WebhookResponse response, String hash) {
    }

    private final Map<String, Row> rows = new HashMap<>();

    @Override
    public synchronized BeginOutcome begin(String key, String hash, String token, Instant now, Instant until,
            Instant expiresAt) {
        Row row = rows.get(key);
        if (row == null || (!row.completed() && row.until().isBefore(now))) {
            rows.put(key, new Row(false, token, until, null, hash));
            return new BeginOutcome.Acquired();
        }
        return row.completed() ? new BeginOutcome.Completed(row.response(), row.hash())
                : new BeginOutcome.HeldInProgress(row.until(), row.hash());
    }

    @Override
    public synchronized boolean complete(String key, String token, WebhookResponse response, Instant now,
            Instant expiresAt) {
        Row row = rows.get(key);
        if (row == null || row.completed() || !row.token().equals(token)) {
            return false;
        }
        rows.put(key, new Row(true, token, null, response, row.hash()));
        return true;
    }

    @Override
    public synchronized void release(String key, String token) {
        Row row = rows.get(key);
        if (row != null && !row.completed() && row.token().equals(token)) {
            rows.remove(key);
        }
    }

    synchronized boolean has(String key) {
        return rows.containsKey(key);
    }
}

package dev.ben.receiver.kit;

import dev.ben.receiver.kit.WebhookResponse;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Unit-test store with the same claim rules as the DynamoDB one (ITs cover the real table). */
final class InMemoryStore implements IdempotencyStore {

    record Row(String status, String token, Instant until, Instant expiresAt, WebhookResponse response, String hash) {
    }

    final Map<String, Row> rows = new HashMap<>();
    RuntimeException failBegin;
    RuntimeException failComplete;
    RuntimeException failRelease;

    @Override
    public synchronized BeginOutcome begin(String key, String hash, String token, Instant now, Instant until,
            Instant expiresAt) {
        if (failBegin != null) {
            throw failBegin;
        }
        Row row = rows.get(key);
        if (row == null || row.expiresAt().isBefore(now)
                || (row.status().equals("IN_PROGRESS") && row.until().isBefore(now))) {
            rows.put(key, new Row("IN_PROGRESS", token, until, expiresAt, null, hash));
            return new BeginOutcome.Acquired();
        }
        return row.status().equals("COMPLETED") ? new BeginOutcome.Completed(row.response(), row.hash())
                : new BeginOutcome.HeldInProgress(row.until(), row.hash());
    }

    @Override
    public synchronized boolean complete(String key, String token, WebhookResponse response, Instant now,
            Instant expiresAt) {
        if (failComplete != null) {
            throw failComplete;
        }
        Row row = rows.get(key);
        if (row == null || !row.status().equals("IN_PROGRESS") || !row.token().equals(token)) {
            return false;
        }
        rows.put(key, new Row("COMPLETED", token, null, expiresAt, response, row.hash()));
        return true;
    }

    @Override
    public synchronized void release(String key, String token) {
        if (failRelease != null) {
            throw failRelease;
        }
        Row row = rows.get(key);
        if (row != null && row.status().equals("IN_PROGRESS") && row.token().equals(token)) {
            rows.remove(key);
        }
    }
}

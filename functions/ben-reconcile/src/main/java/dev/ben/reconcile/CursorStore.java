package dev.ben.reconcile;

import dev.ben.reconcile.internal.DynamoDbCursorStore;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Where reconciliation stands in B's {@link PendingSource}: the position of the last record checked, saved after
 * every page so that a run cut short by its time limit resumes there instead of re-checking the same prefix.
 */
public interface CursorStore {

    /** The saved position; empty to start from the first pending record. */
    Optional<String> load();

    /** Remembers that every record up to {@code position} was checked in this round. */
    void save(String position);

    /** The round is complete: the next run starts from the first record. */
    void clear();

    /**
     * One item {@code id = <name>#reconcile-cursor} (no {@code expiresAt}, so TTL keeps it) in a table with partition
     * key {@code id} (S) — the receiver's idempotency table does.
     */
    static CursorStore dynamoDb(DynamoDbClient client, String table, String name) {
        return new DynamoDbCursorStore(client, table, name + "#reconcile-cursor");
    }

    /** In memory (tests, a single long-lived process). */
    static CursorStore inMemory() {
        return new CursorStore() {
            private volatile String position;

            @Override
            public Optional<String> load() {
                return Optional.ofNullable(position);
            }

            @Override
            public void save(String position) {
                this.position = position;
            }

            @Override
            public void clear() {
                position = null;
            }
        };
    }
}

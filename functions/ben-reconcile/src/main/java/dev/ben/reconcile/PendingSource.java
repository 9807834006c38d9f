package dev.ben.reconcile;

import java.util.List;
import java.util.Optional;

/**
 * B's own records that await confirmation from A, in a stable order (e.g. a DynamoDB index on status, or a SQL
 * query ordered by key). The library reads it page by page, from the saved cursor, and starts over at the beginning
 * once it reached the end — so successive runs go round all pending records and none is checked twice before every
 * one was checked once.
 */
@FunctionalInterface
public interface PendingSource {

    /**
     * Up to {@code limit} pending records after {@code after} (a {@link PendingRecord#position()}), in order; from the
     * first when empty.
     */
    Page page(Optional<String> after, int limit);

    /**
     * @param records the records, in source order
     * @param more    whether records follow the last one
     */
    record Page(List<PendingRecord> records, boolean more) {
        public Page {
            records = List.copyOf(records);
        }
    }
}

package dev.ben.examples.orders.reconcile;

import dev.ben.examples.orders.store.OrderState;
import java.util.Optional;

/**
 * Where the previous reconcile run stopped in the pending index, so that successive runs go round all pending
 * orders instead of re-checking the oldest {@code maxPerRun} forever (e.g. orders A itself keeps PENDING).
 */
public interface ScanCursor {

    /** The last order the previous run checked; empty to start from the oldest. */
    Optional<OrderState> load();

    /** Remembers the position; empty when the run reached the end of the index. */
    void save(Optional<OrderState> position);

    /** No memory: every run starts from the oldest. */
    ScanCursor NONE = new ScanCursor() {
        @Override
        public Optional<OrderState> load() {
            return Optional.empty();
        }

        @Override
        public void save(Optional<OrderState> position) {
        }
    };
}

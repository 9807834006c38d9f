package dev.ben.examples.orders.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Unit-test order store with the version guard of the real one (ITs use the real table). */
public final class RecordingOrderStore implements OrderStore {

    public final Map<String, OrderState> orders = new LinkedHashMap<>();
    public final List<OrderState> applies = new ArrayList<>();

    @Override
    public synchronized ApplyOutcome apply(OrderState state) {
        applies.add(state);
        OrderState current = orders.get(state.orderId());
        if (current != null && current.version() >= state.version()) {
            return ApplyOutcome.STALE;
        }
        orders.put(state.orderId(), state);
        return ApplyOutcome.APPLIED;
    }

    @Override
    public synchronized PendingScan pendingBefore(Instant cutoff, int max, int pageSize,
            java.util.Optional<OrderState> after) {
        java.util.Comparator<OrderState> order = java.util.Comparator.comparing(OrderState::updatedAt)
                .thenComparing(OrderState::orderId);
        List<OrderState> pending = orders.values().stream().filter(OrderState::pending)
                .filter(o -> o.updatedAt().compareTo(cutoff.toString()) < 0)
                .filter(o -> after.isEmpty() || order.compare(o, after.get()) > 0)
                .sorted(order).toList();
        return new PendingScan(pending.subList(0, Math.min(max, pending.size())),
                Math.max(1, (Math.min(max, pending.size()) + pageSize - 1) / pageSize), pending.size() > max);
    }
}

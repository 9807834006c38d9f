package dev.ben.examples.orders.reconcile;

import dev.ben.examples.orders.OrdersExample;
import dev.ben.examples.orders.store.OrderState;
import dev.ben.examples.orders.store.OrderStore;
import dev.ben.examples.orders.store.internal.DynamoDbOrderStore;
import dev.ben.examples.orders.webhook.OrderPaidWebhook;
import dev.ben.examples.orders.webhook.ReceiverHandler;
import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.receiver.kit.WebhookHandler;
import dev.ben.reconcile.CursorStore;
import dev.ben.reconcile.PendingRecord;
import dev.ben.reconcile.PendingSource;
import dev.ben.reconcile.ReceiverClients;
import dev.ben.reconcile.ReconcileTarget;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The orders example's part of reconciliation, for the reconcile library's generic function (the jar's
 * {@code ReconcileTarget} service provider, or {@code BEN_RECONCILE_TARGET}): B's orders still PENDING for longer than
 * {@code BEN_RECONCILE_PENDING_AFTER} (default 15 minutes, so webhooks get their chance first), oldest first from
 * the {@code byStatus} index, and the webhook's own {@link OrderPaidWebhook} and executor. The cursor is an item of
 * the idempotency table.
 */
public final class OrdersReconcileTarget implements ReconcileTarget {

    public static final String PENDING_AFTER = "BEN_RECONCILE_PENDING_AFTER";

    private final PendingSource pending;
    private final WebhookHandler handler;
    private final IdempotentExecutor executor;
    private final CursorStore cursor;

    /** The service provider's constructor (Lambda): configuration from the process environment. */
    public OrdersReconcileTarget() {
        this(System.getenv());
    }

    public OrdersReconcileTarget(Map<String, String> env) {
        this(env, ReceiverClients.dynamoDb(env, OrdersExample.RECONCILE_FUNCTION));
    }

    private OrdersReconcileTarget(Map<String, String> env, DynamoDbClient dynamoDb) {
        OrderStore orders = new DynamoDbOrderStore(dynamoDb,
                OrdersExample.tableName(env, OrdersExample.RECEIVER_ORDERS_TABLE), Clock.systemUTC());
        String idempotencyTable = OrdersExample.tableName(env, OrdersExample.RECEIVER_IDEMPOTENCY_TABLE);
        this.pending = pendingOrders(orders, pendingAfter(env), Clock.systemUTC());
        this.handler = new OrderPaidWebhook(orders);
        this.executor = ReceiverHandler.executor(dynamoDb, idempotencyTable);
        this.cursor = CursorStore.dynamoDb(dynamoDb, idempotencyTable, OrdersExample.SCOPE);
    }

    /** Orders PENDING at B since before now − {@code pendingAfter}; position {@code <updatedAt>|<orderId>}. */
    static PendingSource pendingOrders(OrderStore orders, Duration pendingAfter, Clock clock) {
        return (after, limit) -> {
            Optional<OrderState> start = after.map(position -> {
                int bar = position.indexOf('|');
                return new OrderState(position.substring(bar + 1), OrderState.PENDING, 0, position.substring(0, bar));
            });
            OrderStore.PendingScan scan = orders.pendingBefore(clock.instant().minus(pendingAfter), limit, limit,
                    start);
            return new PendingSource.Page(scan.orders().stream().map(order -> new PendingRecord(order.orderId(), "",
                    BigInteger.valueOf(order.version()), Instant.parse(order.updatedAt()),
                    order.updatedAt() + "|" + order.orderId())).toList(), scan.truncated());
        };
    }

    private static Duration pendingAfter(Map<String, String> env) {
        String value = env.get(PENDING_AFTER);
        try {
            return value == null || value.isBlank() ? Duration.ofMinutes(15) : Duration.parse(value.strip());
        } catch (RuntimeException e) {
            throw new IllegalStateException(PENDING_AFTER + " must be an ISO-8601 duration such as PT15M, was '"
                    + value + "'", e);
        }
    }

    @Override
    public PendingSource pendingSource() {
        return pending;
    }

    @Override
    public WebhookHandler handler() {
        return handler;
    }

    @Override
    public IdempotentExecutor executor() {
        return executor;
    }

    @Override
    public Optional<CursorStore> cursor() {
        return Optional.of(cursor);
    }
}

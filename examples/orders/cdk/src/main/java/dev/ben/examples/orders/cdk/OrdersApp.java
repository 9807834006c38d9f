package dev.ben.examples.orders.cdk;

import dev.ben.examples.orders.OrdersExample;
import dev.ben.infra.BenApp;
import dev.ben.infra.BenNotificationProps;
import java.util.List;
import software.amazon.awscdk.App;

/**
 * The orders example as a CDK app ({@code cd examples/orders/cdk && cdk synth|deploy}, see {@code cdk.json}): Ben's
 * construct on the example's declaration, plus system B's side from {@link OrdersExample#settings()} (B's tables,
 * the webhook receiver, scheduled reconcile, which may call the status API). The same context keys as Ben's own app
 * ({@link BenApp}) apply, except {@code ben:declaration}: the example brings {@code examples/orders/ben.json}.
 */
public final class OrdersApp {

    private OrdersApp() {
    }

    public static void main(String[] args) {
        BenApp.synth(new App(), props());
    }

    /** The example's props: its declaration, its settings, reconcile as the status API's caller. */
    public static BenNotificationProps.Builder props() {
        return BenNotificationProps.builder()
                .declaration(OrdersExample.declaration())
                .settings(OrdersExample.settings())
                .statusApiCallers(List.of(OrdersExample.RECONCILE_FUNCTION));
    }
}

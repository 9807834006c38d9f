package dev.ben.local.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.settings.Trigger.HttpAuth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpRouteTest {

    private static HttpRoute route(String method, String path) {
        return new HttpRoute(method, path, HttpAuth.NONE, null, "not deployed");
    }

    @Test
    void pathParameters_matchOneSegmentEach() {
        HttpRoute route = route("GET", "/orders/{orderId}/deliveries/{deliveryId}");

        assertThat(route.match("GET", List.of("orders", "o-1", "deliveries", "d-2")))
                .contains(Map.of("orderId", "o-1", "deliveryId", "d-2"));
        assertThat(route.match("GET", List.of("orders", "o-1", "deliveries"))).isEmpty();
        assertThat(route.match("GET", List.of("orders", "", "deliveries", "d"))).isEmpty();
        assertThat(route.match("POST", List.of("orders", "o-1", "deliveries", "d-2"))).isEmpty();
    }

    @Test
    void greedyParameter_takesTheRest_andAnyMatchesEveryMethod() {
        HttpRoute route = route("ANY", "/files/{path+}");

        assertThat(route.match("PUT", List.of("files", "a", "b"))).contains(Map.of("path", "a/b"));
        assertThat(route.match("GET", List.of("files"))).isEqualTo(Optional.empty());
    }

    @Test
    void literalRoutes_areMoreSpecificThanParameters() {
        List<HttpRoute> routes = List.of(route("GET", "/orders/{orderId}"), route("ANY", "/{proxy+}"),
                route("GET", "/orders/summary"));

        List<String> byPriority = routes.stream().sorted(Comparator.comparingInt(HttpRoute::specificity).reversed())
                .map(HttpRoute::routeKey).toList();

        assertThat(byPriority).containsExactly("GET /orders/summary", "GET /orders/{orderId}", "ANY /{proxy+}");
    }
}

package dev.ben.sender.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.model.Circuit;
import dev.ben.core.model.Endpoint;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.sender.testing.UnitRig;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** What the store refuses to write, and the circuit attributes it reads back. */
class EndpointItemTest {

    private static Endpoint endpoint(List<String> secrets, RetrySchedule schedule) {
        return new Endpoint("ep-1", "https://hooks.example.com/h", Set.of("*"), secrets, true, "", 0, schedule, null,
                "");
    }

    @Test
    void toItem_refusesASecretThatIsNotBase64_withoutPrintingIt() {
        assertThatThrownBy(() -> DynamoDbEndpointStore.toItem(endpoint(List.of("whsec_not*base64!"), null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint ep-1").hasMessageContaining("base64")
                .hasMessageNotContaining("not*base64");
    }

    @Test
    void circuitAttributes_roundTripThroughTheItem() {
        var item = new HashMap<>(DynamoDbEndpointStore.toItem(endpoint(List.of(UnitRig.SECRET), null)));
        item.put("circuitState", Items.s("OPEN"));
        item.put("circuitRetryAt", Items.t(Instant.parse("2026-12-01T10:00:30Z")));
        item.put("circuitFailedProbes", Items.n(2));
        item.put("circuitChangedAt", Items.t(Instant.parse("2026-12-01T10:00:00Z")));
        item.put("circuitReason", Items.s("HTTP 503"));

        Circuit circuit = DynamoDbEndpointStore.fromItem(item).circuit();

        assertThat(circuit).isEqualTo(new Circuit(Circuit.State.OPEN, Instant.parse("2026-12-01T10:00:30Z"), 2,
                Instant.parse("2026-12-01T10:00:00Z"), "HTTP 503"));
        assertThat(DynamoDbEndpointStore.fromItem(DynamoDbEndpointStore.toItem(endpoint(List.of(UnitRig.SECRET),
                null))).circuit()).isEqualTo(Circuit.CLOSED);
    }

    @Test
    void customHeaders_roundTripThroughTheItem_andAnUnreadableOneMakesTheRowMalformed() {
        Endpoint withHeaders = endpoint(List.of(UnitRig.SECRET), null).withHeaders(Map.of("X-Partner", "acme",
                "Authorization", "Bearer t"));

        var item = DynamoDbEndpointStore.toItem(withHeaders);
        var bad = new HashMap<>(item);
        bad.put(DynamoDbEndpointStore.HEADERS, AttributeValue.fromM(Map.of("X-N", AttributeValue.fromN("1"))));

        assertThat(DynamoDbEndpointStore.fromItem(item).headers()).isEqualTo(withHeaders.headers());
        assertThat(DynamoDbEndpointStore.toItem(endpoint(List.of(UnitRig.SECRET), null)))
                .doesNotContainKey(DynamoDbEndpointStore.HEADERS);
        assertThatThrownBy(() -> DynamoDbEndpointStore.fromItem(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("X-N");
    }
}

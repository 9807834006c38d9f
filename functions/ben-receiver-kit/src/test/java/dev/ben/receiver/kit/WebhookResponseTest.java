package dev.ben.receiver.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookResponseTest {

    @Test
    void statusCode_from100To599_isAccepted_outsideIsRefused() {
        assertThat(new WebhookResponse(100, "", Map.of()).statusCode()).isEqualTo(100);
        assertThat(new WebhookResponse(599, "", Map.of()).statusCode()).isEqualTo(599);
        assertThatThrownBy(() -> new WebhookResponse(99, "", Map.of())).hasMessageContaining("100..599, was 99");
        assertThatThrownBy(() -> new WebhookResponse(600, "", Map.of())).hasMessageContaining("100..599, was 600");
    }

    @Test
    void successful_isExactly2xx() {
        assertThat(WebhookResponse.json(199, "{}").successful()).isFalse();
        assertThat(WebhookResponse.json(200, "{}").successful()).isTrue();
        assertThat(WebhookResponse.json(299, "{}").successful()).isTrue();
        assertThat(WebhookResponse.json(300, "{}").successful()).isFalse();
    }

    @Test
    void withHeader_addsALowerCaseHeader_keepingTheOthers() {
        WebhookResponse response = WebhookResponse.ok("{}").withHeader("Retry-After", "5");

        assertThat(response.headers()).containsOnly(Map.entry("content-type", "application/json"),
                Map.entry("retry-after", "5"));
    }
}

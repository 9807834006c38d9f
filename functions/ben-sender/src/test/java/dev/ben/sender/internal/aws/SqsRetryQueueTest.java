package dev.ben.sender.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqsRetryQueueTest {

    @Test
    void seconds_roundsUpToWholeSeconds_neverNegative_cappedAtTheSqsLimit() {
        assertThat(SqsRetryQueue.seconds(Duration.ZERO, 900)).isZero();
        assertThat(SqsRetryQueue.seconds(Duration.ofMillis(1), 900)).isEqualTo(1);
        assertThat(SqsRetryQueue.seconds(Duration.ofMillis(1000), 900)).isEqualTo(1);
        assertThat(SqsRetryQueue.seconds(Duration.ofMillis(1001), 900)).isEqualTo(2);
        assertThat(SqsRetryQueue.seconds(Duration.ofSeconds(-5), 900)).isZero();
        assertThat(SqsRetryQueue.seconds(Duration.ofSeconds(900), 900)).isEqualTo(900);
        assertThat(SqsRetryQueue.seconds(Duration.ofSeconds(901), 900)).isEqualTo(900);
        assertThat(SqsRetryQueue.seconds(Duration.ofDays(400), SqsRetryQueue.MAX_DELAY_SECONDS)).isEqualTo(900);
    }

    @Test
    void body_isTheDeliveryIdAsJson() {
        assertThat(SqsRetryQueue.body("dlv_abc")).isEqualTo("{\"deliveryId\":\"dlv_abc\"}");
    }
}

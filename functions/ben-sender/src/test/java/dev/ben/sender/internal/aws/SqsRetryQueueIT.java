package dev.ben.sender.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.core.model.Delivery;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.Event;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The retry queue on ElasticMQ: message body and token attribute, delays and visibility changes (observed as a
 * message being or not being receivable right now: 0 s against the 15 min and 12 h caps), the dead-letter copies.
 */
@ExtendWith(LocalAwsExtension.class)
class SqsRetryQueueIT {

    private SqsClient sqs;
    private String queueUrl;
    private String dlqUrl;
    private SqsRetryQueue queue;

    /** Two fresh queues per test, named as the settings name them (the adapter needs nothing else of them). */
    @BeforeEach
    void createQueues(LocalAws aws) {
        String prefix = "q" + UUID.randomUUID().toString().substring(0, 8) + "-";
        sqs = aws.sqs();
        queueUrl = sqs.createQueue(c -> c.queueName(prefix + BenSettings.RETRY_QUEUE)).queueUrl();
        dlqUrl = sqs.createQueue(c -> c.queueName(prefix + BenSettings.RETRY_DLQ)).queueUrl();
        queue = new SqsRetryQueue(sqs, queueUrl, dlqUrl);
    }

    /** What becomes receivable within a second's long poll: nothing when every message is delayed or hidden. */
    private List<Message> receive(String url) {
        return sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageAttributeNames("All")).messages();
    }

    /** {@code count} messages, long-polling until they are all in (a receive may return fewer than are there). */
    private List<Message> receive(String url, int count) {
        List<Message> out = new ArrayList<>();
        for (int round = 0; out.size() < count && round < 20; round++) {
            out.addAll(sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageAttributeNames("All")).messages());
        }
        return out;
    }

    private static StoredDelivery failed() {
        Event e = new Event("evt_1", "invoice.Settled", "invoices", "tenant-a|7", "tenant-a", 3, "", Instant.EPOCH,
                "{}", "");
        Delivery d = Delivery.pending(e, "ep-a1", Instant.EPOCH).withStatus(DeliveryStatus.FAILED, 16, null, 503,
                "retries exhausted", Instant.EPOCH);
        return StoredDelivery.of(e, d, "");
    }

    @Test
    void send_withoutDelay_isReceivableAtOnce_withTheDeliveryIdAndItsToken() {
        queue.send("dlv_abc", "n1", Duration.ZERO);

        assertThat(receive(queueUrl, 1)).singleElement().satisfies(m -> {
            assertThat(m.body()).isEqualTo("{\"deliveryId\":\"dlv_abc\"}");
            assertThat(m.messageAttributes().get(SqsRetryQueue.TOKEN).stringValue()).isEqualTo("n1");
        });
    }

    @Test
    void send_withADelay_isNotReceivableYet_evenBeyondTheSqsMaximum() {
        queue.send("dlv_later", "n1", Duration.ofHours(2));

        assertThat(receive(queueUrl)).isEmpty();
    }

    @Test
    void deadLetter_copiesWhatAnOperatorNeeds_toTheDeadLetterQueue() {
        queue.deadLetter(failed(), "retries exhausted after 16 attempts");

        assertThat(receive(dlqUrl, 1)).singleElement().extracting(Message::body).isEqualTo("{\"deliveryId\":\""
                + failed().id() + "\",\"eventId\":\"evt_1\",\"eventType\":\"invoice.Settled\",\"endpointId\":\"ep-a1\","
                + "\"entityId\":\"tenant-a|7\",\"attempts\":16,\"lastStatusCode\":503,"
                + "\"reason\":\"retries exhausted after 16 attempts\"}");
        assertThat(receive(queueUrl)).isEmpty();
    }

    @Test
    void deadLetterRaw_keepsTheUnusableMessageAndWhy() {
        queue.deadLetterRaw("not a delivery", "retry message body is not a delivery id");
        queue.deadLetterRaw(null, "empty body");

        assertThat(receive(dlqUrl, 2)).extracting(Message::body).hasSize(2)
                .anySatisfy(b -> assertThat(b).startsWith("{").endsWith("}").contains("\"message\":\"not a delivery\"")
                        .contains("\"reason\":\"retry message body is not a delivery id\""))
                .anySatisfy(b -> assertThat(b).contains("\"message\":\"\"").contains("\"reason\":\"empty body\""));
    }

    @Test
    void deadLetter_withoutADeadLetterQueue_isRefusedNamingTheSetting() {
        SqsRetryQueue noDlq = new SqsRetryQueue(sqs, queueUrl, "");

        assertThatThrownBy(() -> noDlq.deadLetter(failed(), "x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BEN_RETRY_DLQ_URL");
        assertThatThrownBy(() -> noDlq.deadLetterRaw("x", "y")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BEN_RETRY_DLQ_URL");
    }
}

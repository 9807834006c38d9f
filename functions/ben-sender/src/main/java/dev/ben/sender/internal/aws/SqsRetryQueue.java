package dev.ben.sender.internal.aws;

import dev.ben.core.observability.Json;
import dev.ben.sender.internal.RetryQueue;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The retry queue on SQS. The body is {@code {"deliveryId":"dlv_..."}} and nothing else; the attribute {@value #TOKEN} names the live message so
 * duplicates (e.g. after a sweeper re-enqueue) can be recognised and dropped.
 */
public final class SqsRetryQueue implements RetryQueue {

    public static final String TOKEN = "ben-token";
    /** SQS maximum DelaySeconds. */
    public static final int MAX_DELAY_SECONDS = 900;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;

    public SqsRetryQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
    }

    @Override
    public void send(String deliveryId, String queueToken, Duration delay) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body(deliveryId))
                .delaySeconds(seconds(delay, MAX_DELAY_SECONDS))
                .messageAttributes(Map.of(TOKEN,
                        MessageAttributeValue.builder().dataType("String").stringValue(queueToken).build())));
    }

    @Override
    public void deadLetter(StoredDelivery stored, String reason) {
        requireDeadLetterQueue();
        var d = stored.delivery();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveryId", d.id());
        body.put("eventId", d.eventId());
        body.put("eventType", stored.eventType());
        body.put("endpointId", d.endpointId());
        body.put("entityId", d.entityId());
        body.put("attempts", d.attempts());
        body.put("lastStatusCode", d.lastStatusCode());
        body.put("reason", reason);
        sqs.sendMessage(b -> b.queueUrl(deadLetterQueueUrl).messageBody(Json.write(body)));
    }

    @Override
    public void deadLetterRaw(String messageBody, String reason) {
        requireDeadLetterQueue();
        String body = Json.write(Map.of("message", messageBody == null ? "" : messageBody, "reason", reason));
        sqs.sendMessage(b -> b.queueUrl(deadLetterQueueUrl).messageBody(body));
    }

    private void requireDeadLetterQueue() {
        if (deadLetterQueueUrl.isEmpty()) {
            throw new IllegalStateException("no dead-letter queue configured for this function (BEN_RETRY_DLQ_URL)");
        }
    }

    /** The message body: {@code {"deliveryId":"dlv_..."}}. */
    public static String body(String deliveryId) {
        return Json.write(Map.of("deliveryId", deliveryId));
    }

    /** Whole seconds, rounded up (SQS has one-second granularity), capped. */
    static int seconds(Duration delay, int cap) {
        long millis = Math.max(0, delay.toMillis());
        long s = (millis + 999) / 1000;
        return (int) Math.min(cap, s);
    }
}

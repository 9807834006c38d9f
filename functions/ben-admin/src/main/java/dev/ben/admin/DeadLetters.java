package dev.ben.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.EventIds;
import dev.ben.sender.internal.DeliveryStore;
import dev.ben.sender.internal.StoredDelivery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The retry dead-letter queue for operators: peek at its messages without consuming them (received with a short
 * visibility timeout, then released), and redrive them — each message's delivery replayed through the retry queue
 * and the message deleted; a delivery DELIVERED since only loses its message; messages naming no delivery, unknown
 * deliveries and failed replays stay in the queue, reported.
 */
public final class DeadLetters {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long inspected messages stay hidden if the caller dies before releasing them. */
    private static final int INSPECT_HOLD_SECONDS = 30;
    /** Redriven messages are hidden until the end of the call, so none is received twice. */
    private static final int REDRIVE_HOLD_SECONDS = 300;

    private final SqsClient sqs;
    private final String url;
    private final DeliveryStore deliveries;
    private final Replayer replayer;

    public DeadLetters(SqsClient sqs, String url, DeliveryStore deliveries, Replayer replayer) {
        this.sqs = sqs;
        this.url = url;
        this.deliveries = deliveries;
        this.replayer = replayer;
    }

    /** Up to {@code max} messages with the queue's approximate depth; every message is visible again afterwards. */
    public Map<String, Object> inspect(int max) {
        int depth = depth();
        List<Message> messages = receive(max, INSPECT_HOLD_SECONDS);
        try {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("approximateDepth", depth);
            view.put("messages", messages.stream().map(DeadLetters::view).toList());
            return view;
        } finally {
            release(messages);
        }
    }

    /** Redrives up to {@code limit} messages (a dry run decides without writing or deleting). */
    public Map<String, Object> redrive(int limit, boolean dryRun) {
        List<Map<String, Object>> results = new ArrayList<>();
        List<Message> keep = new ArrayList<>();
        try {
            while (results.size() < limit) {
                List<Message> batch = receive(Math.min(10, limit - results.size()), REDRIVE_HOLD_SECONDS);
                if (batch.isEmpty()) {
                    break;
                }
                for (Message m : batch) {
                    Map<String, Object> r = redriveOne(m, dryRun);
                    if (!Boolean.TRUE.equals(r.remove("deleted"))) {
                        keep.add(m);
                    }
                    results.add(r);
                }
            }
        } finally {
            release(keep);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("processed", results.size());
        view.put("redriven", (int) results.stream().filter(r -> r.get("outcome").equals("REPLAYED")
                || r.get("outcome").equals("EXPEDITED")).count());
        view.put("keptInQueue", dryRun ? 0 : keep.size());
        view.put("dryRun", dryRun);
        view.put("results", results);
        return view;
    }

    private Map<String, Object> redriveOne(Message m, boolean dryRun) {
        Optional<String> id = deliveryId(m.body());
        Optional<StoredDelivery> stored = id.flatMap(deliveries::find);
        String outcome;
        String detail;
        boolean delete;
        if (id.isEmpty()) {
            outcome = "UNRECOGNISED";
            detail = "names no delivery; left in the queue";
            delete = false;
        } else if (stored.isEmpty()) {
            outcome = "NOT_FOUND";
            detail = "delivery not found (expired?); left in the queue";
            delete = false;
        } else if (stored.get().delivery().status() == DeliveryStatus.DELIVERED) {
            outcome = "ALREADY_DELIVERED";
            detail = dryRun ? "dry run: would remove the message" : "delivered since; message removed";
            delete = true;
        } else {
            Replayer.Result replayed = replayer.replay(stored.get(), null, dryRun);
            outcome = replayed.outcome().name();
            detail = replayed.detail();
            // ENQUEUE_FAILED: the delivery is live and due, the sweeper owns it now
            delete = replayed.outcome().ok() || replayed.outcome() == Replayer.Outcome.ENQUEUE_FAILED;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", m.messageId());
        r.put("deliveryId", id.orElse(null));
        r.put("outcome", outcome);
        r.put("detail", detail);
        if (delete && !dryRun) {
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            r.put("deleted", true);
        }
        return r;
    }

    /** The delivery id a dead-letter message refers to, if any. */
    public static Optional<String> deliveryId(String body) {
        if (body == null) {
            return Optional.empty();
        }
        String b = body.trim();
        if (b.startsWith(EventIds.DELIVERY_PREFIX) && !b.contains(" ")) {
            return Optional.of(b); // a bare delivery id (retry messages of earlier versions)
        }
        JsonNode node = json(b);
        if (node != null && node.hasNonNull("deliveryId")) {
            // a FAILED copy written by the sender, or a retry message moved by the queue's redrive policy
            return Optional.of(node.get("deliveryId").asText());
        }
        if (node != null && node.hasNonNull("message")) {
            return deliveryId(node.get("message").asText()); // a raw copy: only if it names a delivery
        }
        return Optional.empty();
    }

    private static Map<String, Object> view(Message m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("messageId", m.messageId());
        String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        v.put("sentAt", sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)).toString());
        String receives = m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
        v.put("receiveCount", receives == null ? null : Integer.parseInt(receives));
        v.put("deliveryId", deliveryId(m.body()).orElse(null));
        JsonNode node = json(m.body());
        v.put("endpointId", node != null && node.hasNonNull("endpointId") ? node.get("endpointId").asText() : null);
        v.put("reason", node != null && node.hasNonNull("reason") ? node.get("reason").asText()
                : "moved by the retry queue's redrive policy (too many receives)");
        v.put("body", m.body());
        return v;
    }

    private static JsonNode json(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (Exception notJson) {
            return null;
        }
    }

    private List<Message> receive(int max, int visibilitySeconds) {
        Map<String, Message> seen = new LinkedHashMap<>();
        int empty = 0;
        while (seen.size() < max && empty < 2) {
            var batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(Math.min(10, max - seen.size()))
                    .visibilityTimeout(visibilitySeconds).waitTimeSeconds(1)
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL).messageAttributeNames("All"))
                    .messages();
            empty = batch.isEmpty() ? empty + 1 : 0;
            batch.forEach(m -> seen.putIfAbsent(m.messageId(), m));
        }
        return new ArrayList<>(seen.values());
    }

    /** One call per message: at most a hundred here, and ChangeMessageVisibility alone is what the role grants. */
    private void release(List<Message> messages) {
        for (Message m : messages) {
            sqs.changeMessageVisibility(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
    }

    private int depth() {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(attributes.getOrDefault(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }
}

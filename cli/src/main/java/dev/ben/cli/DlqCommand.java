package dev.ben.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ben.admin.Replayer;
import dev.ben.cli.internal.BenConnection;
import dev.ben.cli.internal.Output;
import dev.ben.core.model.DeliveryStatus;
import dev.ben.core.model.EventIds;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.settings.BenSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "The retry dead-letter queue: FAILED deliveries (copies, with the reason), unprocessable "
                + "messages, and messages SQS moved after too many receives.",
        subcommands = {DlqCommand.Inspect.class, DlqCommand.Redrive.class})
final class DlqCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The delivery id a dead-letter message refers to, if any. */
    static Optional<String> deliveryId(String body) {
        if (body == null) {
            return Optional.empty();
        }
        String b = body.trim();
        if (b.startsWith(EventIds.DELIVERY_PREFIX) && !b.contains(" ")) {
            return Optional.of(b); // a bare delivery id (retry messages of earlier versions)
        }
        try {
            JsonNode node = JSON.readTree(b);
            if (node != null && node.hasNonNull("deliveryId")) {
                // a FAILED copy written by the sender, or a retry message moved by the queue's redrive policy
                return Optional.of(node.get("deliveryId").asText());
            }
            if (node != null && node.hasNonNull("message")) {
                return deliveryId(node.get("message").asText()); // a raw copy: only if it names a delivery
            }
        } catch (Exception notJson) {
            // not JSON and not a delivery id
        }
        return Optional.empty();
    }

    static Map<String, Object> view(Message m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("messageId", m.messageId());
        String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
        v.put("sentAt", sent == null ? null : Instant.ofEpochMilli(Long.parseLong(sent)).toString());
        v.put("receiveCount", m.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT));
        v.put("deliveryId", deliveryId(m.body()).orElse(null));
        String reason = null;
        try {
            JsonNode node = JSON.readTree(m.body());
            if (node != null && node.hasNonNull("reason")) {
                reason = node.get("reason").asText();
            } else if (node != null && node.hasNonNull("deliveryId")) {
                reason = "moved by the retry queue's redrive policy (too many receives)";
            }
            if (node != null && node.hasNonNull("endpointId")) {
                v.put("endpointId", node.get("endpointId").asText());
            }
        } catch (Exception notJson) {
            reason = "moved by the retry queue's redrive policy (too many receives)";
        }
        v.put("reason", reason);
        v.put("body", m.body());
        return v;
    }

    static List<Message> receive(SqsClient sqs, String url, int max, int visibilitySeconds) {
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

    static void release(SqsClient sqs, String url, List<Message> messages) {
        for (int i = 0; i < messages.size(); i += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            List<Message> chunk = messages.subList(i, Math.min(messages.size(), i + 10));
            for (int j = 0; j < chunk.size(); j++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(j))
                        .receiptHandle(chunk.get(j).receiptHandle()).visibilityTimeout(0).build());
            }
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(url).entries(entries));
        }
    }

    /** Visible plus in-flight messages (approximate, as SQS reports them). */
    static int depth(SqsClient sqs, String url) {
        var attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(attributes.getOrDefault(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Peek at dead-letter messages without consuming them: they are received with a short "
                    + "visibility timeout and released (made visible again) before the command returns.")
    static final class Inspect implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--max", paramLabel = "N", defaultValue = "20", description = "At most N messages (default 20).")
        int max;
        @Option(names = "--hold", paramLabel = "SECONDS", defaultValue = "30",
                description = "Visibility timeout while reading, in case the command dies before releasing (default 30).")
        int hold;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            if (max < 1 || max > 1000 || hold < 1 || hold > 43_200) {
                throw CliException.usage("--max must be 1..1000 and --hold 1..43200");
            }
            BenConnection c = cli.connection();
            String url = c.queueUrl(BenSettings.RETRY_DLQ);
            int depth = depth(c.sqs(), url);
            List<Message> messages = receive(c.sqs(), url, max, hold);
            try {
                List<Map<String, Object>> views = messages.stream().map(DlqCommand::view).toList();
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("queueUrl", url);
                json.put("approximateDepth", depth);
                json.put("messages", views);
                cli.output().result(json, out -> {
                    out.println("dead-letter queue " + url + ": ~" + depth + " messages; showing "
                            + views.size() + " (released again)");
                    List<List<String>> rows = new ArrayList<>();
                    for (Map<String, Object> v : views) {
                        rows.add(List.of(String.valueOf(v.get("messageId")), cell(v.get("sentAt")),
                                cell(v.get("deliveryId")), cell(v.get("endpointId")),
                                DeliveriesCommand.abbreviate((String) v.get("reason"), 80)));
                    }
                    Output.table(out, List.of("MESSAGE", "SENT", "DELIVERY", "ENDPOINT", "REASON"), rows);
                });
            } finally {
                release(c.sqs(), url, messages);
            }
            return ExitCodes.OK;
        }

        private static String cell(Object o) {
            return o == null ? "-" : o.toString();
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = {"Send dead-lettered deliveries back through the retry queue: each message's delivery is "
                    + "replayed (see ben replay) and the message deleted.",
                    "Already DELIVERED deliveries: message deleted, nothing sent. Messages naming no delivery, unknown "
                            + "deliveries or failed replays stay in the queue (reported)."})
    static final class Redrive implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N messages (default 100).")
        int limit;
        @Option(names = "--dry-run", description = "Show what would be redriven; messages are released untouched.")
        boolean dryRun;

        @Override
        public Integer call() {
            BenCli cli = BenCli.of(spec);
            if (limit < 1 || limit > 100_000) {
                throw CliException.usage("--limit must be between 1 and 100000");
            }
            BenConnection c = cli.connection();
            String url = c.queueUrl(BenSettings.RETRY_DLQ);
            Replayer replayer = new Replayer(c.deliveries(), c.retryQueue(), c.clock());
            var out = cli.output();
            List<Map<String, Object>> results = new ArrayList<>();
            List<Message> keep = new ArrayList<>(); // hidden until the end so they are not received twice
            int done = 0;
            try {
                while (done < limit) {
                    List<Message> batch = receive(c.sqs(), url, Math.min(10, limit - done), 300);
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (Message m : batch) {
                        done++;
                        Map<String, Object> r = redriveOne(c, replayer, url, m);
                        if (!Boolean.TRUE.equals(r.remove("deleted"))) {
                            keep.add(m);
                        }
                        results.add(r);
                        out.progress("[" + done + "] " + m.messageId() + " " + r.get("deliveryId") + " "
                                + r.get("outcome") + " " + r.get("detail"));
                    }
                }
            } finally {
                release(c.sqs(), url, keep);
            }
            int kept = dryRun ? 0 : keep.size();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("processed", results.size());
            json.put("keptInQueue", kept);
            json.put("dryRun", dryRun);
            json.put("results", results);
            int keptFinal = kept;
            out.result(json, w -> w.println((dryRun ? "dry run: " : "") + "processed " + results.size()
                    + " dead-letter messages; " + keptFinal + " left in the queue"));
            return kept == 0 ? ExitCodes.OK : ExitCodes.PARTIAL;
        }

        private Map<String, Object> redriveOne(BenConnection c, Replayer replayer, String url, Message m) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("messageId", m.messageId());
            Optional<String> id = deliveryId(m.body());
            r.put("deliveryId", id.orElse(null));
            String outcome;
            String detail;
            boolean delete;
            if (id.isEmpty()) {
                outcome = "UNRECOGNISED";
                detail = "names no delivery; left in the queue";
                delete = false;
            } else {
                Optional<StoredDelivery> stored = c.deliveries().find(id.get());
                if (stored.isEmpty()) {
                    outcome = "NOT_FOUND";
                    detail = "delivery not found (expired?); left in the queue";
                    delete = false;
                } else if (stored.get().delivery().status() == DeliveryStatus.DELIVERED) {
                    outcome = "ALREADY_DELIVERED";
                    detail = dryRun ? "dry run: would remove the message" : "delivered since; message removed";
                    delete = true;
                } else {
                    Replayer.Result rr = replayer.replay(stored.get(), null, dryRun);
                    outcome = rr.outcome().name();
                    detail = rr.detail();
                    // ENQUEUE_FAILED: the delivery is live and due, the sweeper owns it now
                    delete = rr.outcome().ok() || rr.outcome() == Replayer.Outcome.ENQUEUE_FAILED;
                }
            }
            r.put("outcome", outcome);
            r.put("detail", detail);
            if (delete && !dryRun) {
                c.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
                r.put("deleted", true);
            }
            return r;
        }
    }
}

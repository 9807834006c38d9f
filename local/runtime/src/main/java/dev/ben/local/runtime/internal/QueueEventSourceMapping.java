package dev.ben.local.runtime.internal;

import dev.ben.local.runtime.InvocationResult;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ben.settings.Trigger.QueueTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SQS event source mapping: {@code maximumConcurrency} pollers long-poll ReceiveMessage (all system and
 * message attributes), gather up to the batch size within the batching window, invoke the function and then:
 * <ul>
 *   <li>success: delete the batch, except the messages named in a ReportBatchItemFailures response (those
 *       are left alone, so a visibility change the handler made to them stands);</li>
 *   <li>function error or an invalid partial response: delete nothing; the messages reappear after their
 *       visibility timeout (and the queue's redrive policy applies).</li>
 * </ul>
 */
public final class QueueEventSourceMapping implements EventSource {
    private static final int RECEIVE_WAIT_SECONDS = 1;

    private final QueueTrigger trigger;
    private final String queueUrl;
    private final LambdaFunction function;
    private final SqsClient sqs;
    private final String region;
    private final RuntimeLog log;
    private final List<Thread> pollers = new ArrayList<>();
    private final AtomicLong deleted = new AtomicLong();
    private String queueArn;

    public QueueEventSourceMapping(QueueTrigger trigger, String queueUrl, LambdaFunction function, SqsClient sqs,
                                   String region, RuntimeLog log) {
        if (trigger.batchSize() < 1 || trigger.batchSize() > 10_000) {
            throw new IllegalArgumentException("queue trigger of " + function.name() + ": batch size must be 1..10000, got "
                    + trigger.batchSize());
        }
        if (trigger.batchSize() > 10 && trigger.maxBatchingWindow().isZero()) {
            throw new IllegalArgumentException("queue trigger of " + function.name()
                    + ": a batch size above 10 needs a maximum batching window of at least 1 second (as in AWS)");
        }
        this.trigger = trigger;
        this.queueUrl = queueUrl;
        this.function = function;
        this.sqs = sqs;
        this.region = region;
        this.log = log;
    }

    @Override
    public synchronized void start() {
        queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        int concurrency = Math.max(1, trigger.maximumConcurrency());
        for (int i = 0; i < concurrency; i++) {
            pollers.add(Thread.ofPlatform().daemon().name("ben-esm-" + function.name() + "-poller-" + i).start(this::poll));
        }
        log.info(function.name(), "polling " + queueUrl + " (batch size " + trigger.batchSize() + ", concurrency "
                + concurrency + ", partial batch responses " + trigger.reportBatchItemFailures() + ")");
    }

    /** Messages deleted after successful processing so far. */
    public long deletedCount() {
        return deleted.get();
    }

    private void poll() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<Message> batch = gather();
                if (Thread.currentThread().isInterrupted()) {
                    return; // received but not invoked: they become visible again, nothing is lost
                }
                if (!batch.isEmpty()) {
                    process(batch);
                }
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                log.warn(function.name(), "polling " + queueUrl + " failed, will retry: " + e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @SuppressWarnings("deprecation")
    private List<Message> gather() {
        List<Message> batch = new ArrayList<>();
        long deadline = System.nanoTime() + trigger.maxBatchingWindow().toNanos();
        do {
            int wanted = Math.min(10, trigger.batchSize() - batch.size());
            List<Message> received = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(wanted)
                    .waitTimeSeconds(RECEIVE_WAIT_SECONDS)
                    .attributeNamesWithStrings("All")
                    .messageSystemAttributeNamesWithStrings("All")
                    .messageAttributeNames("All")).messages();
            batch.addAll(received);
        } while (batch.size() < trigger.batchSize() && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted());
        return batch;
    }

    private void process(List<Message> batch) {
        SQSEvent event = new SQSEvent();
        event.setRecords(batch.stream().map(m -> SqsMessages.toEvent(m, queueArn, region)).toList());
        InvocationResult result = function.invoke(event);
        List<Message> toDelete = switch (result) {
            case InvocationResult.Failure failure -> List.of();
            case InvocationResult.Success success -> {
                if (!trigger.reportBatchItemFailures()) {
                    yield batch;
                }
                BatchItemFailures failures = BatchItemFailures.of(success.response(),
                        batch.stream().map(Message::messageId).toList());
                yield switch (failures) {
                    case BatchItemFailures.None none -> batch;
                    case BatchItemFailures.Items items -> batch.stream()
                            .filter(m -> !items.identifiers().contains(m.messageId())).toList();
                    case BatchItemFailures.Invalid invalid -> {
                        log.error(function.name(), success.requestId(), "invalid partial batch response ("
                                + invalid.reason() + "); the whole batch will be retried", null);
                        yield List.of();
                    }
                };
            }
        };
        delete(toDelete);
    }

    private void delete(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + 10));
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(entries));
            deleted.addAndGet(response.successful().size());
            response.failed().forEach(f -> log.warn(function.name(), "could not delete a processed message ("
                    + f.code() + ": " + f.message() + "); it will be delivered again"));
        }
    }

    @Override
    public void close() {
        List<Thread> all;
        synchronized (this) {
            all = List.copyOf(pollers);
        }
        all.forEach(Thread::interrupt);
        Threads.join(all, log, function.name());
    }
}

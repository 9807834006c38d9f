package dev.ben.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.ben.local.runtime.testing.Await;
import dev.ben.local.runtime.testing.RecordingQueueHandler;
import dev.ben.local.runtime.testing.TestSettings;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.local.stack.ProvisionedResources;
import dev.ben.settings.BenSettings;
import dev.ben.settings.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(LocalAwsExtension.class)
class QueueEventSourceMappingIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FUNCTION = "queue-test";

    private final LocalAws aws;
    private final List<LocalLambdaRuntime> runtimes = new ArrayList<>();

    QueueEventSourceMappingIT(LocalAws aws) {
        this.aws = aws;
    }

    @AfterEach
    void stop() {
        runtimes.forEach(LocalLambdaRuntime::close);
    }

    private record Deployment(ProvisionedResources resources, String queueUrl, LocalLambdaRuntime runtime) {
    }

    private Deployment deploy(Duration visibility, int concurrency, RecordingQueueHandler handler) {
        BenSettings settings = TestSettings.queueFunction(
                new Trigger.QueueTrigger(TestSettings.WORK, 10, Duration.ZERO, true, concurrency), visibility);
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        LocalLambdaRuntime runtime = LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources))
                .handler(FUNCTION, handler).output(new PrintStream(new ByteArrayOutputStream(), true)).start();
        runtimes.add(runtime);
        return new Deployment(resources, resources.queueUrl(TestSettings.WORK), runtime);
    }

    private void send(String queueUrl, String... bodies) {
        for (String body : bodies) {
            aws.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).messageAttributes(Map.of(
                    "kind", MessageAttributeValue.builder().dataType("String").stringValue("test").build())));
        }
    }

    private long visibleAndInFlight(String queueUrl) {
        Map<QueueAttributeName, String> attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Fails the given bodies on their first delivery only. */
    private static Function<List<SQSEvent.SQSMessage>, SQSBatchResponse> failFirstTime(Set<String> bodies) {
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        return messages -> RecordingQueueHandler.failing(messages.stream()
                .filter(m -> bodies.contains(m.getBody()) && failedOnce.add(m.getBody()))
                .map(SQSEvent.SQSMessage::getMessageId).toList());
    }

    @Test
    void partialBatchFailure_deletesTheOthers_andRedeliversOnlyTheReportedOnes() {
        RecordingQueueHandler handler = new RecordingQueueHandler(failFirstTime(Set.of("m2", "m4")));
        Deployment d = deploy(Duration.ofSeconds(4), 1, handler);

        send(d.queueUrl(), "m1", "m2", "m3", "m4", "m5");
        Await.until("m2 and m4 redelivered", WAIT, () -> handler.deliveriesOf("m2") == 2 && handler.deliveriesOf("m4") == 2);
        Await.until("queue drained", WAIT, () -> visibleAndInFlight(d.queueUrl()) == 0);
        Await.pause(Duration.ofMillis(1500));

        assertThat(List.of("m1", "m3", "m5")).allSatisfy(body -> assertThat(handler.deliveriesOf(body)).isEqualTo(1));
        assertThat(handler.deliveriesOf("m2")).isEqualTo(2);
        SQSEvent.SQSMessage second = handler.messages().stream().filter(m -> m.getBody().equals("m2")).toList().get(1);
        assertThat(second.getAttributes()).containsEntry("ApproximateReceiveCount", "2").containsKey("SentTimestamp");
        assertThat(d.runtime().queueMessagesDeleted(FUNCTION)).isEqualTo(5);
    }

    @Test
    void messages_carryTheSqsEventFields() {
        RecordingQueueHandler handler = new RecordingQueueHandler(messages -> null);
        Deployment d = deploy(Duration.ofSeconds(30), 1, handler);

        send(d.queueUrl(), "hello");
        Await.until("delivery", WAIT, () -> handler.deliveriesOf("hello") == 1);

        SQSEvent.SQSMessage message = handler.messages().getFirst();
        String queueArn = aws.sqs().getQueueAttributes(b -> b.queueUrl(d.queueUrl()).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        assertThat(message.getEventSourceArn()).isEqualTo(queueArn);
        assertThat(message.getEventSource()).isEqualTo("aws:sqs");
        assertThat(message.getAwsRegion()).isEqualTo(aws.region());
        assertThat(message.getReceiptHandle()).isNotBlank();
        assertThat(message.getMd5OfBody()).isNotBlank();
        assertThat(message.getAttributes()).containsEntry("ApproximateReceiveCount", "1").containsKey("SentTimestamp")
                .containsKey("ApproximateFirstReceiveTimestamp");
        assertThat(message.getMessageAttributes().get("kind").getStringValue()).isEqualTo("test");
        assertThat(message.getMessageAttributes().get("kind").getDataType()).isEqualTo("String");
    }

    @Test
    void thrownError_leavesTheWholeBatch_forRedeliveryAfterTheVisibilityTimeout() {
        // Any batch holding a first delivery fails: nothing of it may be deleted, so every message comes back once.
        RecordingQueueHandler handler = new RecordingQueueHandler(messages -> {
            if (messages.stream().anyMatch(m -> m.getAttributes().get("ApproximateReceiveCount").equals("1"))) {
                throw new IllegalStateException("first delivery fails");
            }
            return null;
        });
        Deployment d = deploy(Duration.ofSeconds(4), 1, handler);

        send(d.queueUrl(), "a", "b", "c");
        Await.until("queue drained", WAIT, () -> d.runtime().queueMessagesDeleted(FUNCTION) == 3
                && visibleAndInFlight(d.queueUrl()) == 0);

        assertThat(List.of("a", "b", "c")).allSatisfy(body -> assertThat(handler.deliveriesOf(body)).isEqualTo(2));
        assertThat(handler.messages()).filteredOn(m -> m.getAttributes().get("ApproximateReceiveCount").equals("2"))
                .hasSize(3);
    }

    @Test
    void visibilityChangedByTheHandler_isRespected_forReportedMessages() {
        // The queue hides received messages for 60 s; the handler makes m1 visible again at once (as the retry
        // function does with its backoff) and reports it failed: the runtime must not touch it.
        String[] queueUrl = new String[1];
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        RecordingQueueHandler handler = new RecordingQueueHandler(messages -> {
            List<String> failed = new ArrayList<>();
            for (SQSEvent.SQSMessage m : messages) {
                if (m.getBody().equals("m1") && failedOnce.add("m1")) {
                    aws.sqs().changeMessageVisibility(b -> b.queueUrl(queueUrl[0]).receiptHandle(m.getReceiptHandle())
                            .visibilityTimeout(0));
                    failed.add(m.getMessageId());
                }
                if (m.getBody().equals("m2")) {
                    aws.sqs().changeMessageVisibility(b -> b.queueUrl(queueUrl[0]).receiptHandle(m.getReceiptHandle())
                            .visibilityTimeout(600));
                    failed.add(m.getMessageId());
                }
            }
            return RecordingQueueHandler.failing(failed);
        });
        BenSettings settings = TestSettings.queueFunction(
                new Trigger.QueueTrigger(TestSettings.WORK, 10, Duration.ZERO, true, 2), Duration.ofSeconds(60));
        ProvisionedResources resources = aws.provision(settings, TestSettings.prefix());
        queueUrl[0] = resources.queueUrl(TestSettings.WORK);
        runtimes.add(LocalLambdaRuntime.builder(settings, AwsTarget.of(aws, resources)).handler(FUNCTION, handler)
                .output(new PrintStream(new ByteArrayOutputStream(), true)).start());

        send(queueUrl[0], "m1", "m2");
        // Without the handler's change m1 would stay hidden for 60 s; the wait is shorter than that.
        Await.until("m1 redelivered before the queue's visibility timeout", Duration.ofSeconds(20),
                () -> handler.deliveriesOf("m1") == 2);
        Await.pause(Duration.ofSeconds(2));

        assertThat(handler.deliveriesOf("m2")).isEqualTo(1); // hidden for 600 s by the handler, not deleted
        assertThat(visibleAndInFlight(queueUrl[0])).isEqualTo(1);
    }
}

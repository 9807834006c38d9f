package dev.ben.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.settings.BenSettings;
import dev.ben.settings.QueueSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

@ExtendWith(LocalAwsExtension.class)
class SqsIT {

    private final LocalAws aws;
    private final SqsClient sqs;
    private ProvisionedResources queues;

    SqsIT(LocalAws aws) {
        this.aws = aws;
        this.sqs = aws.sqs();
    }

    @BeforeEach
    void provisionQueues() {
        BenSettings settings = new BenSettings(List.of(), List.of(
                new QueueSpec("work", "WORK_QUEUE_URL", Duration.ofSeconds(30), Duration.ofDays(1), "work-dlq", 2),
                new QueueSpec("work-dlq", "WORK_DLQ_URL", Duration.ofSeconds(30), Duration.ofDays(14), "", 0)),
                List.of());
        queues = aws.provision(settings, StreamTables.uniqueName("sqs") + "-");
    }

    private Optional<Message> receive(String queueUrl, Integer visibilitySeconds, int waitSeconds) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(1).waitTimeSeconds(waitSeconds)
                        .visibilityTimeout(visibilitySeconds)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages().stream().findFirst();
    }

    private static String receiveCount(Message message) {
        return message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
    }

    @Test
    void queueUrls_pointAtTheSqsEndpoint_andEnvironmentCarriesThem() {
        if (!aws.isLocalStack()) {
            assertThat(queues.queueUrl("work")).startsWith(aws.sqsEndpoint().toString());
        }
        assertThat(queues.environment()).containsEntry("WORK_QUEUE_URL", queues.queueUrl("work"))
                .containsEntry("WORK_DLQ_URL", queues.queueUrl("work-dlq"));
        assertThat(queues.queueArn("work")).startsWith("arn:aws:sqs:us-east-1:000000000000:");
    }

    @Test
    void receivedMessage_isInvisibleUntilItsVisibilityTimeoutEnds() {
        String url = queues.queueUrl("work");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("hidden"));

        Message first = receive(url, 1, 0).orElseThrow();
        Optional<Message> whileInvisible = receive(url, null, 0);
        Message again = receive(url, null, 5).orElseThrow();

        assertThat(whileInvisible).isEmpty();
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(receiveCount(first)).isEqualTo("1");
        assertThat(receiveCount(again)).isEqualTo("2");
    }

    @Test
    void changeMessageVisibility_toZero_makesTheMessageVisibleAgainAtOnce() {
        String url = queues.queueUrl("work");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("retry me"));
        Message first = receive(url, null, 0).orElseThrow();

        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(0));

        assertThat(receive(url, null, 0)).hasValueSatisfying(m -> assertThat(m.body()).isEqualTo("retry me"));
    }

    @Test
    void changeMessageVisibility_extendsTheTimeout() {
        String url = queues.queueUrl("work");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("later"));
        Message first = receive(url, 1, 0).orElseThrow();

        sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(first.receiptHandle()).visibilityTimeout(60));

        assertThat(receive(url, null, 3)).as("still invisible after the original 1 s").isEmpty();
    }

    @Test
    void delaySeconds_holdsTheMessageBackUntilTheDelayPasses() {
        String url = queues.queueUrl("work");

        sqs.sendMessage(r -> r.queueUrl(url).messageBody("delayed").delaySeconds(2));

        assertThat(receive(url, null, 0)).isEmpty();
        assertThat(receive(url, null, 10)).hasValueSatisfying(m -> assertThat(m.body()).isEqualTo("delayed"));
    }

    @Test
    void messageReceivedMoreThanMaxReceiveCount_isRedrivenToTheDeadLetterQueue() {
        String url = queues.queueUrl("work");
        String dlq = queues.queueUrl("work-dlq");
        sqs.sendMessage(r -> r.queueUrl(url).messageBody("poison"));

        for (int receive = 1; receive <= 2; receive++) {
            Message message = receive(url, null, 2).orElseThrow();
            assertThat(receiveCount(message)).isEqualTo(Integer.toString(receive));
            sqs.changeMessageVisibility(r -> r.queueUrl(url).receiptHandle(message.receiptHandle())
                    .visibilityTimeout(0));
        }
        Optional<Message> third = receive(url, null, 1);

        assertThat(third).as("moved instead of delivered a third time").isEmpty();
        Message dead = receive(dlq, null, 5).orElseThrow();
        assertThat(dead.body()).isEqualTo("poison");
        assertThat(Integer.parseInt(receiveCount(dead))).isGreaterThanOrEqualTo(2);
    }
}

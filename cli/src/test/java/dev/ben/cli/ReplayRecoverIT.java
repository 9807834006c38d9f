package dev.ben.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ben.core.model.DeliveryStatus;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.ben.core.model.Endpoint;
import dev.ben.events.SampleEvents;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.internal.RetryService;
import dev.ben.sender.internal.SenderComponents;
import dev.ben.sender.internal.SenderConfig;
import dev.ben.sender.internal.StoredDelivery;
import dev.ben.sender.internal.Telemetry;
import dev.ben.sender.internal.aws.AwsClients;
import dev.ben.sender.internal.aws.SqsRetryQueue;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(LocalAwsExtension.class)
class ReplayRecoverIT {

    CliHarness ben;
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    HttpServer receiver;
    final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    volatile int receiverStatus = 204;

    @BeforeEach
    void setUp(LocalAws aws) throws Exception {
        ben = new CliHarness(aws);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(Map.of("webhook-id", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id")),
                    "webhook-signature", String.valueOf(exchange.getRequestHeaders().getFirst("webhook-signature")),
                    "body", body));
            exchange.sendResponseHeaders(receiverStatus, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void tearDown() {
        receiver.stop(0);
        ben.close();
    }

    private String receiverUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private List<Message> retryMessages() {
        return ben.aws.sqs().receiveMessage(b -> b.queueUrl(ben.resources.queueUrl(BenSettings.RETRY_QUEUE))
                .maxNumberOfMessages(10).waitTimeSeconds(1).messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    private int depth(String logicalQueue) {
        return Integer.parseInt(ben.aws.sqs().getQueueAttributes(b -> b.queueUrl(ben.resources.queueUrl(logicalQueue))
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    /** The sender's real retry service, as the retry function builds it, with loopback allowed. */
    private RetryService retryService() {
        Map<String, String> env = ben.stackEnvironment();
        env.put(EnvVars.ALLOW_PRIVATE_ADDRESSES, "true");
        env.put(EnvVars.RETRY_SCHEDULE, "1s,1s");
        return new SenderComponents(new SenderConfig(env), AwsClients.fromEnv(env, List.of()), Clock.systemUTC(),
                Telemetry.silent()).retryService();
    }

    @Test
    void replay_ofAFailedDelivery_isEnqueuedAsTheSenderExpects_andTheRetryFunctionDeliversIt() {
        ben.endpoint("ep_r", receiverUrl(), "order.paid");
        StoredDelivery failed = ben.delivery("evt_r1", "ep_r", "order.paid", DeliveryStatus.FAILED,
                now.minus(2, ChronoUnit.HOURS), 3);

        var run = ben.run("replay", failed.id(), "-o", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode result = run.json().get("results").get(0);
        assertThat(result.get("outcome").asText()).isEqualTo("REPLAYED");
        assertThat(result.get("before").asText()).isEqualTo("FAILED");
        StoredDelivery pending = ben.deliveries.find(failed.id()).orElseThrow();
        assertThat(pending.delivery().status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(pending.delivery().attempts()).as("history continues").isEqualTo(3);
        List<Message> messages = retryMessages();
        assertThat(messages).hasSize(1);
        Message m = messages.getFirst();
        assertThat(m.body()).as("the sender's message format").isEqualTo(SqsRetryQueue.body(failed.id()));
        String token = m.messageAttributes().get(SqsRetryQueue.TOKEN).stringValue();
        assertThat(token).isEqualTo(pending.queueToken()).isNotEmpty();

        RetryService.Ack ack = retryService().process(m.body(), token);

        assertThat(ack).isEqualTo(RetryService.Ack.DONE);
        assertThat(received).hasSize(1);
        assertThat(received.getFirst().get("webhook-id")).as("receivers dedupe on the event id").isEqualTo("evt_r1");
        assertThat(received.getFirst().get("webhook-signature")).startsWith("v1,");
        assertThat(received.getFirst().get("body")).isEqualTo(failed.payload());
        StoredDelivery delivered = ben.deliveries.find(failed.id()).orElseThrow();
        assertThat(delivered.delivery().status()).isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(delivered.delivery().attempts()).isEqualTo(4);
        assertThat(ben.attempts.list(failed.id())).hasSize(4);
    }

    @Test
    void replay_ofAnEvent_replaysItsDeliveryToEveryEndpoint_deterministicIds() {
        ben.endpoint("ep_1", receiverUrl(), "order.paid");
        ben.endpoint("ep_2", receiverUrl(), "order.paid");
        ben.endpoint("ep_3", receiverUrl(), "order.paid");
        StoredDelivery one = ben.delivery("evt_e", "ep_1", "order.paid", DeliveryStatus.FAILED, now, 2);
        StoredDelivery two = ben.delivery("evt_e", "ep_2", "order.paid", DeliveryStatus.DELIVERED, now, 0);
        ben.delivery("evt_other", "ep_3", "order.paid", DeliveryStatus.FAILED, now, 2);

        var run = ben.run("replay", "--event", "evt_e", "-o", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> replayed = new ArrayList<>();
        run.json().get("results").forEach(r -> replayed.add(r.get("deliveryId").asText()));
        assertThat(replayed).containsExactlyInAnyOrder(one.id(), two.id());
        assertThat(retryMessages()).extracting(Message::body)
                .containsExactlyInAnyOrder(SqsRetryQueue.body(one.id()), SqsRetryQueue.body(two.id()));
        assertThat(ben.run("replay", "--event", "evt_unknown").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ben.run("replay", "--event", "dlv_x").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(ben.run("replay").exitCode()).as("a target is required").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void replay_ofALiveDelivery_expeditesIt_withANewToken_soTheOldMessageIsStale() {
        ben.endpoint("ep_r", receiverUrl(), "order.paid");
        StoredDelivery retrying = ben.delivery("evt_l", "ep_r", "order.paid", DeliveryStatus.RETRYING, now, 1);

        var run = ben.run("replay", retrying.id(), "-o", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.json().get("results").get(0).get("outcome").asText()).isEqualTo("EXPEDITED");
        StoredDelivery after = ben.deliveries.find(retrying.id()).orElseThrow();
        assertThat(after.delivery().status()).isEqualTo(DeliveryStatus.RETRYING);
        assertThat(after.queueToken()).isNotEqualTo(retrying.queueToken()).isNotEmpty();
        assertThat(after.delivery().nextAttemptAt()).isBefore(retrying.delivery().nextAttemptAt());
    }

    @Test
    void replay_refusals_haveClearReasonsAndExitCodes() {
        ben.endpoint("ep_r", receiverUrl(), "order.paid");
        var unknown = ben.run("replay", "dlv_unknown");
        var notAnId = ben.run("replay", "evt_123");
        StoredDelivery ok = ben.delivery("evt_m", "ep_r", "order.paid", DeliveryStatus.FAILED, now, 1);
        var mixed = ben.run("replay", ok.id(), "dlv_unknown", "-o", "json");
        var dry = ben.run("replay", ok.id(), "--dry-run");

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(notAnId.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(mixed.exitCode()).as("one of two failed").isEqualTo(ExitCodes.PARTIAL);
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out()).contains("dry run");
    }

    @Test
    void recover_replaysFailedDeliveriesSinceT_boundedByLimit_resumableWithTheCursor() {
        ben.endpoint("ep_x", receiverUrl(), "order.paid");
        List<String> inWindow = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            inWindow.add(ben.delivery("evt_w" + i, "ep_x", "order.paid", DeliveryStatus.FAILED,
                    now.minus(10 + i, ChronoUnit.MINUTES), 3).id());
        }
        StoredDelivery tooOld = ben.delivery("evt_old", "ep_x", "order.paid", DeliveryStatus.FAILED,
                now.minus(2, ChronoUnit.DAYS), 3);
        StoredDelivery delivered = ben.delivery("evt_ok", "ep_x", "order.paid", DeliveryStatus.DELIVERED,
                now.minus(5, ChronoUnit.MINUTES), 0);
        ben.delivery("evt_w0", "ep_other", "order.paid", DeliveryStatus.FAILED, now.minus(5, ChronoUnit.MINUTES), 1);

        var first = ben.run("recover", "--endpoint", "ep_x", "--since", "1h", "--limit", "3", "-o", "json");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.json().get("processed").asInt()).isEqualTo(3);
        assertThat(first.json().get("outcomes").get("REPLAYED").asInt()).isEqualTo(3);
        assertThat(first.json().get("complete").asBoolean()).isFalse();
        String cursor = first.json().get("nextCursor").asText();
        // progress per batch of the API's recover call (it reports counts, not each delivery)
        assertThat(first.err()).contains("[3/3]").contains("REPLAYED=3");

        var second = ben.run("recover", "--endpoint", "ep_x", "--since", "1h", "--limit", "3", "--cursor", cursor,
                "-o", "json");
        String cursor2 = second.json().get("nextCursor").asText();
        var third = ben.run("recover", "--endpoint", "ep_x", "--since", "1h", "--limit", "3", "--cursor", cursor2,
                "-o", "json");

        assertThat(second.json().get("processed").asInt()).isEqualTo(3);
        assertThat(third.exitCode()).as(third.toString()).isZero();
        assertThat(third.json().get("processed").asInt()).isEqualTo(1);
        assertThat(third.json().get("complete").asBoolean()).isTrue();
        assertThat(third.json().get("nextCursor").isNull()).isTrue();
        for (String id : inWindow) {
            assertThat(ben.deliveries.find(id).orElseThrow().delivery().status()).as(id)
                    .isEqualTo(DeliveryStatus.PENDING);
        }
        assertThat(ben.deliveries.find(tooOld.id()).orElseThrow().delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(ben.deliveries.find(delivered.id()).orElseThrow().delivery().status())
                .isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(depth(BenSettings.RETRY_QUEUE)).isEqualTo(7);

        var again = ben.run("recover", "--endpoint", "ep_x", "--since", "1h", "-o", "json");
        assertThat(again.json().get("processed").asInt()).as("rerunning finds nothing left FAILED").isZero();
    }

    @Test
    void recover_afterADisabledEndpointIsEnabledAgain_deliversTheEventsCancelledMeanwhile() {
        Endpoint e = ben.endpoint("ep_paused", receiverUrl(), "order.paid");
        ben.endpoints.disable(e.id(), "operator: receiver migration", now);
        Map<String, String> env = ben.stackEnvironment();
        env.put(EnvVars.ALLOW_PRIVATE_ADDRESSES, "true");
        env.put(EnvVars.DECLARATION, SampleEvents.demoDeclarationJson());
        var notify = new SenderComponents(new SenderConfig(env), AwsClients.fromEnv(env, List.of()), Clock.systemUTC(),
                Telemetry.silent()).notifyService();

        List<String> reported = notify.process(SampleEvents.load(SampleEvents.STREAM_MODIFY_PAID,
                DynamodbEvent.class).getRecords());

        assertThat(reported).isEmpty();
        String deliveryId = onlyDeliveryOf("ep_paused");
        StoredDelivery cancelled = ben.deliveries.find(deliveryId).orElseThrow();
        assertThat(cancelled.delivery().status()).isEqualTo(DeliveryStatus.CANCELLED);
        assertThat(cancelled.delivery().lastError()).contains("is disabled (operator: receiver migration)");
        assertThat(received).isEmpty();
        assertThat(ben.run("endpoints", "enable", "ep_paused").exitCode()).isZero();

        var run = ben.run("recover", "--endpoint", "ep_paused", "--since", "1h", "-o", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.json().get("outcomes").get("REPLAYED").asInt()).isEqualTo(1);
        Message m = retryMessages().getFirst();
        String token = m.messageAttributes().get(SqsRetryQueue.TOKEN).stringValue();
        assertThat(retryService().process(m.body(), token)).isEqualTo(RetryService.Ack.DONE);
        assertThat(ben.deliveries.find(deliveryId).orElseThrow().delivery().status())
                .isEqualTo(DeliveryStatus.DELIVERED);
        assertThat(received).hasSize(1);
        assertThat(received.getFirst().get("body")).isEqualTo(cancelled.payload());
    }

    private String onlyDeliveryOf(String endpointId) {
        var items = ben.aws.dynamoDb().scan(b -> b.tableName(ben.resources.tableName(BenSettings.DELIVERIES_TABLE))
                .consistentRead(true)).items().stream()
                .filter(i -> endpointId.equals(i.get("endpointId").s())).toList();
        assertThat(items).hasSize(1);
        return items.getFirst().get("deliveryId").s();
    }

    @Test
    void recover_refusesADisabledEndpoint_unlessForced_andValidatesArguments() {
        Endpoint e = ben.endpoint("ep_off", receiverUrl(), "order.paid");
        ben.endpoints.disable(e.id(), "HTTP 410 Gone", now);
        ben.delivery("evt_1", "ep_off", "order.paid", DeliveryStatus.FAILED, now.minusSeconds(60), 1);

        var refused = ben.run("recover", "--endpoint", "ep_off", "--since", "1h");
        var dry = ben.run("recover", "--endpoint", "ep_off", "--since", "1h", "--dry-run", "-o", "json");
        var forced = ben.run("recover", "--endpoint", "ep_off", "--since", "1h", "--force", "-o", "json");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(refused.err()).contains("disabled").contains("ben endpoints enable ep_off");
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.json().get("processed").asInt()).isEqualTo(1);
        assertThat(forced.json().get("outcomes").get("REPLAYED").asInt()).isEqualTo(1);
        assertThat(ben.run("recover", "--endpoint", "ep_missing", "--since", "1h").exitCode())
                .isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(ben.run("recover", "--endpoint", "ep_off").exitCode()).as("--since is required")
                .isEqualTo(ExitCodes.USAGE);
        assertThat(ben.run("recover", "--endpoint", "ep_off", "--since", "1h", "--limit", "0").exitCode())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void dlq_inspect_peeksWithoutConsuming_andRedriveReplaysDeliveries_keepingWhatItCannotRedrive() {
        ben.endpoint("ep_r", receiverUrl(), "order.paid");
        StoredDelivery failed = ben.delivery("evt_d", "ep_r", "order.paid", DeliveryStatus.FAILED, now, 3);
        StoredDelivery deliveredSince = ben.delivery("evt_d2", "ep_r", "order.paid", DeliveryStatus.DELIVERED, now, 0);
        ben.queue.deadLetter(failed, failed.delivery().lastError());
        ben.queue.deadLetter(deliveredSince, "retries exhausted");
        ben.queue.deadLetterRaw("garbage", "retry message body is not a delivery id");
        StoredDelivery stuck = ben.delivery("evt_d3", "ep_r", "order.paid", DeliveryStatus.RETRYING, now, 1);
        ben.aws.sqs().sendMessage(b -> b.queueUrl(ben.resources.queueUrl(BenSettings.RETRY_DLQ))
                .messageBody(SqsRetryQueue.body(stuck.id()))); // as the redrive policy moves a retry message

        var inspect = ben.run("dlq", "inspect", "-o", "json");
        var inspectAgain = ben.run("dlq", "inspect", "-o", "json");

        assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
        assertThat(inspect.json().get("messages")).hasSize(4);
        assertThat(inspect.json().get("approximateDepth").asInt()).isEqualTo(4);
        assertThat(inspect.json().get("messages").findValuesAsText("reason"))
                .anySatisfy(r -> assertThat(r).contains("retries exhausted after 3 attempts"));
        assertThat(inspectAgain.json().get("messages")).as("nothing consumed").hasSize(4);
        assertThat(inspect.json().get("messages").findValuesAsText("reason"))
                .anySatisfy(r -> assertThat(r).contains("redrive policy"));

        var redrive = ben.run("dlq", "redrive", "-o", "json");

        assertThat(redrive.exitCode()).as(redrive.toString()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(redrive.json().get("processed").asInt()).isEqualTo(4);
        assertThat(redrive.json().get("keptInQueue").asInt()).isEqualTo(1);
        assertThat(redrive.json().get("results").findValuesAsText("outcome"))
                .containsExactlyInAnyOrder("REPLAYED", "EXPEDITED", "ALREADY_DELIVERED", "UNRECOGNISED");
        assertThat(ben.deliveries.find(failed.id()).orElseThrow().delivery().status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(retryMessages()).extracting(Message::body)
                .containsExactlyInAnyOrder(SqsRetryQueue.body(failed.id()), SqsRetryQueue.body(stuck.id()));
        var left = ben.run("dlq", "inspect", "-o", "json");
        assertThat(left.json().get("messages")).hasSize(1);
        assertThat(left.json().get("messages").get(0).get("body").asText()).contains("garbage");
    }
}

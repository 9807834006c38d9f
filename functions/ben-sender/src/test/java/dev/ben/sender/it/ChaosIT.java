package dev.ben.sender.it;

import static dev.ben.sender.testing.SenderStack.await;
import static dev.ben.sender.testing.SenderStack.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.notify.NotifyHandler;
import dev.ben.sender.retry.RetryHandler;
import dev.ben.sender.sweeper.SweeperHandler;
import dev.ben.sender.testing.FaultInjector;
import dev.ben.sender.testing.SenderStack;
import dev.ben.sender.testing.TestReceiver;
import dev.ben.sender.testing.TestReceiver.Reply;
import dev.ben.settings.BenSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ≥ 2,000 notifications through the real functions on the local stack while receivers misbehave (5xx, timeouts,
 * connection resets, 429 + Retry-After, 410) and faults are injected (DynamoDB throttling on every kind of call
 * — including the status write after a successful POST —, SQS send failures, whole invocations crashing after
 * their work). Every delivery must end DELIVERED or FAILED with a reason; none may be missing.
 */
@ExtendWith(LocalAwsExtension.class)
class ChaosIT {

    private static final int ORDERS = 720;
    private static final long SEED = 20261129L;

    private final LocalAws aws;

    ChaosIT(LocalAws aws) {
        this.aws = aws;
    }

    @Test
    void chaos_everyNotificationEndsDeliveredOrFailedWithAReason() throws Exception {
        Random random = new Random(SEED);
        TestReceiver flaky = TestReceiver.start((id, before) -> {
            int r;
            synchronized (random) {
                r = random.nextInt(100);
            }
            if (r < 55) {
                return Reply.ok();
            } else if (r < 70) {
                return Reply.status(r % 2 == 0 ? 500 : 503);
            } else if (r < 78) {
                return new Reply.Status(200, Map.of(), "too late", 1_500); // beyond the 1 s timeout
            } else if (r < 86) {
                return new Reply.Reset();
            } else {
                return new Reply.Status(429, Map.of("Retry-After", "1"), "slow down", 0);
            }
        });
        // one event in five is refused for good (the receiver "is down" for it): its retries are exhausted
        TestReceiver down = TestReceiver.start((id, before) -> Math.floorMod(id.hashCode(), 5) == 0
                ? Reply.status(503) : Reply.ok());
        // answers 2xx until late in the run, then 410 once: the endpoint is disabled with deliveries in flight
        AtomicLong goneAnswers = new AtomicLong();
        AtomicLong goneRequests = new AtomicLong();
        TestReceiver gone = TestReceiver.start((id, before) -> {
            if (goneRequests.incrementAndGet() == ORDERS - 10) {
                goneAnswers.incrementAndGet();
                return Reply.status(410);
            }
            return Reply.ok();
        });
        FaultInjector faults = new FaultInjector(Map.of(
                "DynamoDB.PutItem", 0.01, "DynamoDB.UpdateItem", 0.03, "DynamoDB.GetItem", 0.01,
                "DynamoDB.Query", 0.02, "Sqs.SendMessage", 0.05, "Sqs.ChangeMessageVisibility", 0.05), SEED);
        AtomicLong crashes = new AtomicLong();
        Map<String, String> env = new HashMap<>(SenderStack.testEnvironment());
        env.put("BEN_RETRY_SCHEDULE", "1s,1s,1s");
        env.put("BEN_RETRY_MAX_AGE", "10m");
        env.put("BEN_HTTP_TIMEOUT", "1s");
        env.put("BEN_SWEEPER_GRACE", "4s");
        env.put("BEN_LOG_LEVEL", "OFF");

        try (SenderStack stack = SenderStack.start(aws, env, (b, fnEnv) -> b
                .handler("notify", crashing(new NotifyHandler(fnEnv, List.of(faults)), crashes, SEED))
                .handler("retry", new RetryHandler(fnEnv, List.of(faults)))
                .handler("sweeper", new SweeperHandler(fnEnv, List.of(faults))), "notify", "retry", "sweeper")) {
            run(stack, flaky, down, gone, faults, crashes, goneAnswers);
        } finally {
            flaky.close();
            down.close();
            gone.close();
        }
    }

    private void run(SenderStack stack, TestReceiver flaky, TestReceiver down, TestReceiver gone,
                     FaultInjector faults, AtomicLong crashes, AtomicLong goneAnswers) throws Exception {
        stack.putEndpoint("ep-flaky", flaky.url("/hook").toString(), List.of(WebhookSecret.generate().encoded()), null);
        stack.putEndpoint("ep-down", down.url("/hook").toString(), List.of(WebhookSecret.generate().encoded()), null);
        stack.putEndpoint("ep-gone", gone.url("/hook").toString(), List.of(WebhookSecret.generate().encoded()), null);

        long started = System.nanoTime();
        try (ExecutorService writers = Executors.newFixedThreadPool(8)) {
            IntStream.range(0, ORDERS).forEach(i -> writers.submit(() -> stack.payOrder("ord-" + i)));
        }

        boolean settled = await(Duration.ofSeconds(150), () -> {
            var all = stack.deliveries();
            long live = all.stream().filter(d -> List.of("PENDING", "RETRYING").contains(s(d, "status"))).count();
            return live == 0 && all.size() >= 2L * ORDERS;
        });
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        var all = stack.deliveries();
        Map<String, Long> byStatus = all.stream().collect(Collectors.groupingBy(d -> s(d, "status"), TreeMap::new,
                Collectors.counting()));
        Map<String, Long> byEndpoint = all.stream().collect(Collectors.groupingBy(d -> s(d, "endpointId"),
                TreeMap::new, Collectors.counting()));
        Map<String, Long> failureReasons = all.stream().filter(d -> "FAILED".equals(s(d, "status")))
                .collect(Collectors.groupingBy(d -> category(s(d, "lastError")), TreeMap::new, Collectors.counting()));
        Map<String, Long> posts = new LinkedHashMap<>();
        posts.put("ep-flaky", (long) flaky.received().size());
        posts.put("ep-down", (long) down.received().size());
        posts.put("ep-gone", (long) gone.received().size());
        System.out.printf("chaos: %d orders → %d deliveries in %d s (settled=%s)%n", ORDERS, all.size(), seconds,
                settled);
        System.out.println("chaos: by status " + byStatus);
        System.out.println("chaos: by endpoint " + byEndpoint);
        System.out.println("chaos: FAILED reasons " + failureReasons);
        System.out.println("chaos: POSTs received " + posts + ", 410 answers " + goneAnswers.get());
        System.out.println("chaos: injected faults " + faults.injected() + ", crashed notify invocations "
                + crashes.get());
        System.out.println("chaos: notify on-failure queue depth " + stack.queueDepth(BenSettings.NOTIFY_FAILURES_QUEUE)
                + ", retry DLQ depth " + stack.queueDepth(BenSettings.RETRY_DLQ));

        assertThat(settled).as("all deliveries terminal within the time limit").isTrue();
        assertThat(all.size()).as("notifications").isGreaterThanOrEqualTo(2000);
        assertThat(byEndpoint.get("ep-flaky")).as("one delivery per order to ep-flaky").isEqualTo(ORDERS);
        assertThat(byEndpoint.get("ep-down")).as("one delivery per order to ep-down").isEqualTo(ORDERS);
        // ep-gone stops getting deliveries once its 410 disabled it: every event it was sent has a delivery (crash
        // replays re-POST the same ones), and orders paid after the disable have none.
        long eventsSentToGone = gone.received().stream().map(TestReceiver.Received::webhookId).distinct().count();
        assertThat(byEndpoint.getOrDefault("ep-gone", 0L)).isBetween(eventsSentToGone, (long) ORDERS);
        assertThat(eventsSentToGone).isPositive();
        assertThat(goneAnswers.get()).isEqualTo(1);
        assertThat(byStatus.keySet()).containsOnly("DELIVERED", "FAILED");
        assertThat(all).filteredOn(d -> "FAILED".equals(s(d, "status")))
                .allSatisfy(d -> assertThat(s(d, "lastError")).isNotBlank());
        assertThat(all).filteredOn(d -> "ep-down".equals(s(d, "endpointId")))
                .allSatisfy(d -> assertThat(s(d, "status")).isEqualTo(
                        Math.floorMod(s(d, "eventId").hashCode(), 5) == 0 ? "FAILED" : "DELIVERED"));
        // every DELIVERED delivery was really answered 2xx by its receiver for that event id
        Map<String, TestReceiver> receivers = Map.of("ep-flaky", flaky, "ep-gone", gone, "ep-down", down);
        assertThat(all).filteredOn(d -> "DELIVERED".equals(s(d, "status"))).allSatisfy(d ->
                assertThat(receivers.get(s(d, "endpointId")).received(s(d, "eventId")))
                        .anyMatch(r -> r.reply() instanceof Reply.Status st && st.code() == 200
                                && st.delayMillis() == 0));
        assertThat(faults.injected()).as("faults were injected").isNotEmpty();
    }

    private static String category(String error) {
        if (error == null) {
            return "none";
        }
        if (error.startsWith("retries exhausted")) {
            return "retries exhausted";
        }
        if (error.contains("410")) {
            return "410 Gone";
        }
        if (error.contains("disabled")) {
            return "endpoint disabled";
        }
        return error.length() > 40 ? error.substring(0, 40) : error;
    }

    /** Wraps a stream handler so that some invocations "crash" after doing their work (the runtime retries them). */
    private static RequestHandler<DynamodbEvent, StreamsEventResponse> crashing(
            RequestHandler<DynamodbEvent, StreamsEventResponse> handler, AtomicLong crashes, long seed) {
        Random random = new Random(seed + 1);
        return (event, context) -> {
            StreamsEventResponse response = handler.handleRequest(event, context);
            boolean crash;
            synchronized (random) {
                crash = random.nextInt(100) < 5;
            }
            if (crash) {
                crashes.incrementAndGet();
                throw new IllegalStateException("injected crash after the batch's work, before responding");
            }
            return response;
        };
    }
}

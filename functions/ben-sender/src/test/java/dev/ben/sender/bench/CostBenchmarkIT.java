package dev.ben.sender.bench;

import static dev.ben.sender.testing.SenderStack.s;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.ben.core.retry.RetrySchedule;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.LocalAwsExtension;
import dev.ben.sender.bench.cost.Bill;
import dev.ben.sender.bench.cost.CapacityMeter;
import dev.ben.sender.bench.cost.ListPrices;
import dev.ben.sender.internal.NotifyMode;
import dev.ben.sender.internal.aws.SqsRetryQueue;
import dev.ben.sender.notify.NotifyHandler;
import dev.ben.sender.retry.RetryHandler;
import dev.ben.sender.testing.SenderStack;
import dev.ben.sender.testing.TestReceiver;
import dev.ben.sender.testing.TestReceiver.Reply;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.TableSpec.IndexSpec;
import dev.ben.settings.TableSpec.Projection;
import dev.ben.settings.declaration.Declaration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What a notification costs on AWS (docs/sender.md, "The cost of a notification"): the real notify and retry
 * handlers run on the local stack against real receivers; every DynamoDB write and read they make is priced by
 * {@link CapacityMeter} (items measured before and after, index rules of DynamoDB), Lambda by the configured memory
 * and the measured duration, SQS by the requests made (the event source's receive and delete counted per batch).
 * The same writes are also priced against the tables as they were before (every index projecting ALL, a single
 * {@code status} key). Run with:
 * {@code ./mvnw -B -pl functions/ben-sender -am verify -Dit.test=CostBenchmarkIT -Dben.benchmark=true -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false}; lines start with "BENCH".
 */
@ExtendWith(LocalAwsExtension.class)
@EnabledIfSystemProperty(named = "ben.benchmark", matches = "true")
class CostBenchmarkIT {

    private static final int NOTIFICATIONS = 200;
    private static final int NOTIFY_BATCH = 100;
    private static final int RETRY_BATCH = 10;

    private final LocalAws aws;

    CostBenchmarkIT(LocalAws aws) {
        this.aws = aws;
    }

    private static void print(String format, Object... args) {
        System.out.printf("BENCH " + format + "%n", args);
    }

    @Test
    void costPerNotification() throws Exception {
        print("cost: prices %s; load average %s", ListPrices.AS_OF, loadAverage());
        List<Bill[]> bills = new ArrayList<>();
        bills.add(run("first try, SAFE (default), 1 endpoint", NotifyMode.SAFE, 1, small(), (id, n) -> Reply.ok()));
        bills.add(run("first try, FAST, 1 endpoint", NotifyMode.FAST, 1, small(), (id, n) -> Reply.ok()));
        bills.add(run("first try, SAFE, 3 endpoints (per delivery)", NotifyMode.SAFE, 3, small(),
                (id, n) -> Reply.ok()));
        bills.add(run("first try, SAFE, 1.5 KB payload", NotifyMode.SAFE, 1, large(), (id, n) -> Reply.ok()));
        bills.add(run("retried once, SAFE", NotifyMode.SAFE, 1, small(),
                (id, n) -> n == 0 ? Reply.status(503) : Reply.ok()));
        bills.add(run("failed after 4 attempts, SAFE", NotifyMode.SAFE, 1, small(), (id, n) -> Reply.status(503)));
        for (Bill[] b : bills) {
            print("cost: %s", b[0].line());
            print("cost:   before (ALL projections)               WRU %5.2f → $%.2f/M",
                    b[1].writeUnits() / b[1].notifications(), b[1].perMillion());
        }
        print("cost: write units per notification by table/index, %s: %s", bills.getFirst()[0].scenario(),
                bills.getFirst()[0].writeUnitsPerNotification());
        print("cost: same, before: %s", bills.getFirst()[1].writeUnitsPerNotification());
        failedOnTheDefaultSchedule(bills.get(5)[0], bills.getFirst()[0]);
        print("cost: EventBridge Pipes + API destinations, same traffic: first try $%.2f/M (pipe request + "
                + "invocation); each retry attempt another $%.2f/M if billed as an invocation",
                (ListPrices.PIPES_REQUEST + ListPrices.API_DESTINATION_INVOCATION) * 1e6,
                ListPrices.API_DESTINATION_INVOCATION * 1e6);
    }

    /** Extrapolates the measured failing attempts to the default schedule's 16 attempts and its hops. */
    private static void failedOnTheDefaultSchedule(Bill failed4, Bill firstTry) {
        RetrySchedule defaults = RetrySchedule.defaults();
        int hops = defaults.delays().stream().mapToInt(d -> (int) Math.ceil(d.toSeconds()
                / (double) SqsRetryQueue.MAX_DELAY_SECONDS)).sum();
        int retries = defaults.delays().size();
        double perRetry = (failed4.perMillion() - firstTry.perMillion()) / 3;
        double perHop = (3.0 / RETRY_BATCH + 1) * ListPrices.SQS_REQUEST * 1e6 + 1 * ListPrices.DYNAMODB_RRU * 1e6
                + ListPrices.LAMBDA_REQUEST * 1e6 / RETRY_BATCH;
        print("cost: failed on the default schedule (%d attempts, %d messages of ≤ 900 s, %d extra hops): about "
                        + "$%.2f/M (first try $%.2f + %d retries × $%.2f + %d hops × $%.2f)", retries + 1,
                hops, hops - retries, firstTry.perMillion() + retries * perRetry + (hops - retries) * perHop,
                firstTry.perMillion(), retries, perRetry, hops - retries, perHop);
    }

    /** One scenario: {@code [now, before]}. */
    private Bill[] run(String scenario, NotifyMode mode, int endpoints, Source source,
                       BiFunction<String, Integer, Reply> behaviour) throws Exception {
        Map<String, String> env = new HashMap<>(SenderStack.testEnvironment());
        env.put("BEN_NOTIFY_MODE", mode.name());
        env.put("BEN_LOG_LEVEL", System.getProperty("ben.cost.log", "OFF"));
        // the local store is far slower than DynamoDB: with the 3 s default a first try to one endpoint's 100
        // deliveries could be deferred (a retry), and this prices the calls of a first-try success, not the budget
        env.put("BEN_NOTIFY_BUDGET", "30s");
        Map<String, String> fnEnv = new HashMap<>();
        try (TestReceiver receiver = TestReceiver.start(behaviour);
             SenderStack stack = SenderStack.attach(aws, source.declaration(), Map.of("orders", "cost-orders"),
                     env, (b, functionEnv) -> fnEnv.putAll(functionEnv), "status-api")) {
            for (int i = 0; i < endpoints; i++) {
                stack.putEndpoint("ep-" + i, receiver.url("/ben").toString(),
                        List.of(WebhookSecret.generate().encoded()), null);
            }
            CapacityMeter now = new CapacityMeter(aws.dynamoDb(), specs(stack, stack.settings.tables()));
            CapacityMeter before = new CapacityMeter(aws.dynamoDb(), specs(stack, allProjections(stack.settings)));
            Usage lambda = new Usage();
            NotifyHandler notify = new NotifyHandler(fnEnv, List.of(now, before));
            RetryHandler retry = new RetryHandler(fnEnv, List.of(now, before));
            for (int from = 0; from < NOTIFICATIONS; from += NOTIFY_BATCH) {
                DynamodbEvent records = source.records(scenario.hashCode() + "-" + from, NOTIFY_BATCH);
                long start = System.nanoTime();
                var response = notify.handleRequest(records, null);
                lambda.add(memory(stack, "notify"), System.nanoTime() - start);
                assertThat(response.getBatchItemFailures()).as(scenario).isEmpty();
            }
            drainRetries(stack, retry, lambda, List.of(now, before), NOTIFICATIONS * endpoints);
            int deliveries = NOTIFICATIONS * endpoints;
            return new Bill[] {
                Bill.of(scenario, deliveries, now, lambda.gbSeconds, lambda.requests),
                Bill.of(scenario, deliveries, before, lambda.gbSeconds, lambda.requests)};
        }
    }

    /** Runs the retry handler on the queue's messages, as the event source would, until every delivery ended. */
    private void drainRetries(SenderStack stack, RetryHandler retry, Usage lambda, List<CapacityMeter> meters,
                              int deliveries) {
        String queue = stack.queueUrl(BenSettings.RETRY_QUEUE);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (terminal(stack) < deliveries) {
            assertThat(System.nanoTime()).as("every delivery ends within 2 minutes").isLessThan(deadline);
            List<Message> batch = aws.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(RETRY_BATCH)
                    .waitTimeSeconds(1).messageAttributeNames("All")
                    .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
            if (batch.isEmpty()) {
                continue;
            }
            meters.forEach(m -> m.countSqs("ReceiveMessage (event source)", 1));
            long start = System.nanoTime();
            var response = retry.handleRequest(sqsEvent(batch), null);
            lambda.add(memory(stack, "retry"), System.nanoTime() - start);
            Set<String> kept = response.getBatchItemFailures().stream()
                    .map(f -> f.getItemIdentifier()).collect(Collectors.toSet());
            List<Message> done = batch.stream().filter(m -> !kept.contains(m.messageId())).toList();
            if (!done.isEmpty()) {
                aws.sqs().deleteMessageBatch(b -> b.queueUrl(queue).entries(done.stream().map(m ->
                        DeleteMessageBatchRequestEntry.builder().id(m.messageId()).receiptHandle(m.receiptHandle())
                                .build()).toList()));
                meters.forEach(m -> m.countSqs("DeleteMessageBatch (event source)", 1));
            }
        }
    }

    private static long terminal(SenderStack stack) {
        return stack.deliveries().stream().filter(d -> Set.of("DELIVERED", "FAILED").contains(s(d, "status")))
                .count();
    }

    private static SQSEvent sqsEvent(List<Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            Map<String, SQSEvent.MessageAttribute> attributes = new HashMap<>();
            m.messageAttributes().forEach((k, v) -> {
                SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
                a.setDataType(v.dataType());
                a.setStringValue(v.stringValue());
                attributes.put(k, a);
            });
            r.setMessageAttributes(attributes);
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    /** Lambda usage: GB-seconds at the configured memory over the measured durations, and requests. */
    private static final class Usage {
        double gbSeconds;
        double requests;

        synchronized void add(int memoryMb, long nanos) {
            gbSeconds += memoryMb / 1024.0 * nanos / 1e9;
            requests++;
        }
    }

    private static int memory(SenderStack stack, String function) {
        return stack.settings.functions().stream().filter(f -> f.logicalName().equals(function))
                .mapToInt(FunctionSpec::memoryMb).findFirst().orElseThrow();
    }

    /** Physical name → spec, for Ben's own tables. */
    private static Map<String, TableSpec> specs(SenderStack stack, List<TableSpec> tables) {
        Map<String, TableSpec> specs = new HashMap<>();
        for (TableSpec t : tables) {
            if (stack.resources.tableNames().containsKey(t.logicalName())) {
                specs.put(stack.table(t.logicalName()), t);
            }
        }
        return specs;
    }

    /** The tables as they were: every index projecting ALL, deliveries' byStatus keyed by the status alone. */
    private static List<TableSpec> allProjections(BenSettings settings) {
        return settings.tables().stream().map(t -> new TableSpec(t.logicalName(), t.envVar(), t.partitionKey(),
                t.sortKey(), t.streamView(), t.ttlAttribute(), t.indexes().stream().map(i -> i.name().equals("byDue")
                        ? new IndexSpec("byStatus", "status", "nextAttemptAt", Projection.ALL)
                        : new IndexSpec(i.name(), i.partitionKey(), i.sortKey(), Projection.ALL)).toList(),
                t.numberAttributes())).toList();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A source declaration and the stream records it maps. */
    private record Source(Declaration declaration, String noteAttribute) {
        DynamodbEvent records(String prefix, int n) {
            DynamodbEvent event = SenderBenchmarkIT.paidRecords("cost-orders", prefix, n);
            if (!noteAttribute.isEmpty()) {
                event.getRecords().forEach(r -> r.getDynamodb().getNewImage().put("note",
                        new AttributeValue().withS(noteAttribute)));
            }
            return event;
        }
    }

    /** The orders example's rule: a projection of five attributes (a payload of about 250 bytes). */
    private static Source small() {
        return new Source(SenderStack.demoDeclaration(), "");
    }

    /** The whole new image as payload, with a note that makes it about 1.5 KB. */
    private static Source large() {
        Declaration newImage = Declaration.parse("""
                {"sources": [{"name": "orders", "table": "orders", "partitionKey": {"name": "orderId", "type": "S"},
                  "rules": [{"eventType": "order.paid", "when": {"attribute": "status", "becomes": "PAID"},
                             "version": "version", "payload": "newImage"}]}]}""");
        return new Source(newImage, "x".repeat(1_300));
    }
}

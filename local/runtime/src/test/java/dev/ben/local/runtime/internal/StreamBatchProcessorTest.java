package dev.ben.local.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.ben.local.runtime.InvocationResult;
import dev.ben.local.runtime.internal.StreamBatchProcessor.FailureCondition;
import dev.ben.settings.Trigger.StreamTrigger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

class StreamBatchProcessorTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    private static StreamTrigger trigger(boolean bisect, int retries, Duration maxAge, boolean reportFailures) {
        return new StreamTrigger("orders", 100, Duration.ZERO, "TRIM_HORIZON", bisect, retries, maxAge, reportFailures,
                List.of(), "failures", 1);
    }

    private static List<Record> records(int count, Instant created) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> Record.builder().eventID("e" + i)
                .eventName(OperationType.INSERT).dynamodb(StreamRecord.builder().sequenceNumber(Integer.toString(100 + i))
                        .approximateCreationDateTime(created).keys(java.util.Map.of("orderId", AttributeValue.fromS("o" + i)))
                        .build()).build()).toList();
    }

    private static String seq(Record r) {
        return r.dynamodb().sequenceNumber();
    }

    /** Records invocations, discards and checkpoints; answers with a scripted function of the batch. */
    private static final class Recorder implements StreamBatchProcessor.Sink {
        final List<List<String>> invocations = new ArrayList<>();
        final List<String> discards = new ArrayList<>();
        final List<String> checkpoints = new ArrayList<>();
        private final Function<List<Record>, InvocationResult> behaviour;

        Recorder(Function<List<Record>, InvocationResult> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public InvocationResult invoke(List<Record> batch) {
            invocations.add(batch.stream().map(StreamBatchProcessorTest::seq).toList());
            return behaviour.apply(batch);
        }

        @Override
        public void discard(List<Record> records, FailureCondition condition, InvocationResult last, int invokeCount) {
            discards.add(condition + ":" + seq(records.getFirst()) + ".." + seq(records.getLast()) + "x" + invokeCount);
        }

        @Override
        public void checkpoint(Record lastProcessed) {
            checkpoints.add(seq(lastProcessed));
        }
    }

    private static InvocationResult ok(Object response) {
        return new InvocationResult.Success("req", response);
    }

    private static InvocationResult failed() {
        return new InvocationResult.Failure("req", "java.lang.IllegalStateException", "boom");
    }

    private static StreamsEventResponse failures(String... sequenceNumbers) {
        List<StreamsEventResponse.BatchItemFailure> items = new ArrayList<>();
        for (String s : sequenceNumbers) {
            items.add(StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier(s).build());
        }
        return StreamsEventResponse.builder().withBatchItemFailures(items).build();
    }

    @Test
    void success_checkpointsAtTheLastRecord() throws Exception {
        Recorder sink = new Recorder(batch -> ok(null));

        new StreamBatchProcessor(trigger(false, 3, Duration.ofSeconds(-1), true), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ZERO, sink).process(records(3, NOW));

        assertThat(sink.invocations).containsExactly(List.of("101", "102", "103"));
        assertThat(sink.checkpoints).containsExactly("103");
        assertThat(sink.discards).isEmpty();
    }

    @Test
    void partialFailure_checkpointsBeforeTheLowestReported_andRetriesFromThere() throws Exception {
        int[] calls = {0};
        Recorder sink = new Recorder(batch -> calls[0]++ == 0 ? ok(failures("104", "102")) : ok(null));

        new StreamBatchProcessor(trigger(false, 3, Duration.ofSeconds(-1), true), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ZERO, sink).process(records(5, NOW));

        assertThat(sink.invocations).containsExactly(List.of("101", "102", "103", "104", "105"),
                List.of("102", "103", "104", "105"));
        assertThat(sink.checkpoints).containsExactly("101", "105");
    }

    @Test
    void partialFailure_withoutReportBatchItemFailures_isIgnored() throws Exception {
        Recorder sink = new Recorder(batch -> ok(failures("102")));

        new StreamBatchProcessor(trigger(false, 3, Duration.ofSeconds(-1), false), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ZERO, sink).process(records(3, NOW));

        assertThat(sink.invocations).hasSize(1);
        assertThat(sink.checkpoints).containsExactly("103");
    }

    @Test
    void unknownItemIdentifier_isACompleteFailure() throws Exception {
        int[] calls = {0};
        Recorder sink = new Recorder(batch -> calls[0]++ == 0 ? ok(failures("999")) : ok(null));

        new StreamBatchProcessor(trigger(false, 3, Duration.ofSeconds(-1), true), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ZERO, sink).process(records(2, NOW));

        assertThat(sink.invocations).containsExactly(List.of("101", "102"), List.of("101", "102"));
        assertThat(sink.checkpoints).containsExactly("102");
    }

    @Test
    void retriesExhausted_sendsTheBatchToTheDestination_andMovesOn() throws Exception {
        Recorder sink = new Recorder(batch -> failed());

        new StreamBatchProcessor(trigger(false, 2, Duration.ofSeconds(-1), true), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ZERO, sink).process(records(3, NOW));

        assertThat(sink.invocations).hasSize(3); // first attempt + 2 retries
        assertThat(sink.discards).containsExactly("RetryAttemptsExhausted:101..103x3");
        assertThat(sink.checkpoints).containsExactly("103");
    }

    @Test
    void bisect_isolatesThePoisonRecord_andSplitsDoNotCountAsRetries() throws Exception {
        Set<String> poison = Set.of("103");
        Recorder sink = new Recorder(batch -> batch.stream().anyMatch(r -> poison.contains(seq(r))) ? failed() : ok(null));

        new StreamBatchProcessor(trigger(true, 1, Duration.ofSeconds(-1), true), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ZERO, sink).process(records(4, NOW));

        assertThat(sink.invocations).containsExactly(
                List.of("101", "102", "103", "104"),
                List.of("101", "102"),
                List.of("103", "104"),
                List.of("103"),
                List.of("103"), // the single retry allowed
                List.of("104"));
        assertThat(sink.discards).containsExactly("RetryAttemptsExhausted:103..103x4");
        assertThat(sink.checkpoints).containsExactly("102", "103", "104");
    }

    @Test
    void recordsOlderThanMaximumAge_goToTheDestinationBeforeInvoking() throws Exception {
        List<Record> old = records(2, NOW.minus(Duration.ofHours(2)));
        Recorder sink = new Recorder(batch -> ok(null));

        new StreamBatchProcessor(trigger(false, 3, Duration.ofHours(1), true), Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ZERO, sink).process(old);

        assertThat(sink.invocations).isEmpty();
        assertThat(sink.discards).containsExactly("RecordAgeExceeded:101..102x0");
        assertThat(sink.checkpoints).containsExactly("102");
    }

    @Test
    void recordsExpiringWhileRetried_areDiscardedAtTheNextAttempt() throws Exception {
        MutableClock clock = new MutableClock(NOW);
        Recorder sink = new Recorder(batch -> {
            clock.advance(Duration.ofMinutes(40));
            return failed();
        });

        new StreamBatchProcessor(trigger(false, -1, Duration.ofHours(1), true), clock, Duration.ZERO, sink)
                .process(records(2, NOW));

        assertThat(sink.invocations).hasSize(2); // at +0 and +40 min; at +80 min the records are too old
        assertThat(sink.discards).containsExactly("RecordAgeExceeded:101..102x2");
    }

    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

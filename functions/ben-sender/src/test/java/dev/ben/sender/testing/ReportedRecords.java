package dev.ben.sender.testing;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps notify to count the stream records it reports in {@code batchItemFailures} (and whole-batch errors), and
 * to keep each invocation's records and duration (what a benchmark prints to explain a latency).
 */
public final class ReportedRecords {

    private final AtomicLong reported = new AtomicLong();
    private final AtomicLong thrown = new AtomicLong();
    private final List<long[]> batches = Collections.synchronizedList(new ArrayList<>());

    public RequestHandler<DynamodbEvent, StreamsEventResponse> counting(
            RequestHandler<DynamodbEvent, StreamsEventResponse> notify) {
        return (event, context) -> {
            long start = System.nanoTime();
            try {
                StreamsEventResponse response = notify.handleRequest(event, context);
                if (response != null && response.getBatchItemFailures() != null) {
                    reported.addAndGet(response.getBatchItemFailures().size());
                }
                return response;
            } catch (RuntimeException e) {
                thrown.incrementAndGet();
                throw e;
            } finally {
                int records = event.getRecords() == null ? 0 : event.getRecords().size();
                batches.add(new long[] {records, (System.nanoTime() - start) / 1_000_000});
            }
        };
    }

    /** "N invocations, R records each on average, duration p50 / p99 / max": how notify kept up. */
    public String batchSummary() {
        List<long[]> all;
        synchronized (batches) {
            all = List.copyOf(batches);
        }
        if (all.isEmpty()) {
            return "no notify invocation";
        }
        List<Long> millis = all.stream().map(b -> b[1]).sorted().toList();
        double records = all.stream().mapToLong(b -> b[0]).average().orElse(0);
        return String.format("%d notify invocations, %.1f records each on average, duration p50 %d ms / p99 %d ms /"
                        + " max %d ms", all.size(), records, millis.get(millis.size() / 2),
                millis.get(Math.min(millis.size() - 1, (int) (millis.size() * 0.99))), millis.getLast());
    }

    /** Records reported for redelivery plus invocations that threw. */
    public long total() {
        return reported.get() + thrown.get();
    }
}

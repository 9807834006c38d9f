package dev.ben.sender.testing;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.concurrent.atomic.AtomicLong;

/** Wraps notify to count the stream records it reports in {@code batchItemFailures} (and whole-batch errors). */
public final class ReportedRecords {

    private final AtomicLong reported = new AtomicLong();
    private final AtomicLong thrown = new AtomicLong();

    public RequestHandler<DynamodbEvent, StreamsEventResponse> counting(
            RequestHandler<DynamodbEvent, StreamsEventResponse> notify) {
        return (event, context) -> {
            try {
                StreamsEventResponse response = notify.handleRequest(event, context);
                if (response != null && response.getBatchItemFailures() != null) {
                    reported.addAndGet(response.getBatchItemFailures().size());
                }
                return response;
            } catch (RuntimeException e) {
                thrown.incrementAndGet();
                throw e;
            }
        };
    }

    /** Records reported for redelivery plus invocations that threw. */
    public long total() {
        return reported.get() + thrown.get();
    }
}

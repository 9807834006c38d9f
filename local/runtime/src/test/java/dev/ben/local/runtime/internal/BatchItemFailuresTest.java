package dev.ben.local.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchItemFailuresTest {
    private static final List<String> BATCH = List.of("1", "2", "3");

    @Test
    void nullOrEmptyResponses_areCompleteSuccess() {
        assertThat(BatchItemFailures.of(null, BATCH)).isInstanceOf(BatchItemFailures.None.class);
        assertThat(BatchItemFailures.of(new StreamsEventResponse(), BATCH)).isInstanceOf(BatchItemFailures.None.class);
        assertThat(BatchItemFailures.of(SQSBatchResponse.builder().withBatchItemFailures(List.of()).build(), BATCH))
                .isInstanceOf(BatchItemFailures.None.class);
        assertThat(BatchItemFailures.of(Map.of("ok", true), BATCH)).isInstanceOf(BatchItemFailures.None.class);
    }

    @Test
    void reportedIdentifiers_areReturned_fromTypedResponsesAndMaps() {
        StreamsEventResponse typed = StreamsEventResponse.builder().withBatchItemFailures(List.of(
                StreamsEventResponse.BatchItemFailure.builder().withItemIdentifier("2").build())).build();

        assertThat(BatchItemFailures.of(typed, BATCH)).isEqualTo(new BatchItemFailures.Items(List.of("2")));
        assertThat(BatchItemFailures.of(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "3"))), BATCH))
                .isEqualTo(new BatchItemFailures.Items(List.of("3")));
    }

    @Test
    void nullEmptyOrUnknownIdentifiers_makeTheWholeBatchFail() {
        assertThat(BatchItemFailures.of(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", ""))), BATCH))
                .isInstanceOf(BatchItemFailures.Invalid.class);
        assertThat(BatchItemFailures.of(Map.of("batchItemFailures", List.of(Map.of())), BATCH))
                .isInstanceOf(BatchItemFailures.Invalid.class);
        assertThat(BatchItemFailures.of(Map.of("batchItemFailures", List.of(Map.of("itemIdentifier", "9"))), BATCH))
                .isInstanceOf(BatchItemFailures.Invalid.class);
    }
}

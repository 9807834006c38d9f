package dev.ben.local.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a partial batch response ({@code StreamsEventResponse}, {@code SQSBatchResponse}, or any object or map
 * with the same JSON shape {@code {"batchItemFailures":[{"itemIdentifier":"..."}]}}) the way Lambda does:
 * null/empty response or list = complete success; a null, empty or unknown item identifier = complete failure.
 */
public sealed interface BatchItemFailures {

    /** Every item succeeded. */
    record None() implements BatchItemFailures {
    }

    /** These items (identifiers as returned, all known) failed. */
    record Items(List<String> identifiers) implements BatchItemFailures {
        public Items {
            identifiers = List.copyOf(identifiers);
        }
    }

    /** The response cannot be honoured; Lambda treats the whole batch as failed. */
    record Invalid(String reason) implements BatchItemFailures {
    }

    ObjectMapper JSON = new ObjectMapper();

    static BatchItemFailures of(Object response, List<String> knownIdentifiers) {
        if (response == null) {
            return new None();
        }
        JsonNode json;
        try {
            json = JSON.valueToTree(response);
        } catch (IllegalArgumentException e) {
            return new Invalid("response cannot be read as JSON: " + e.getMessage());
        }
        JsonNode failures = json == null ? null : json.get("batchItemFailures");
        if (failures == null || failures.isNull() || (failures.isArray() && failures.isEmpty())) {
            return new None();
        }
        if (!failures.isArray()) {
            return new Invalid("batchItemFailures is not a list");
        }
        List<String> identifiers = new ArrayList<>();
        for (JsonNode failure : failures) {
            JsonNode id = failure.get("itemIdentifier");
            if (id == null || id.isNull() || id.asText().isEmpty()) {
                return new Invalid("a batch item failure has a null or empty itemIdentifier");
            }
            if (!knownIdentifiers.contains(id.asText())) {
                return new Invalid("itemIdentifier " + id.asText() + " is not in the batch");
            }
            identifiers.add(id.asText());
        }
        return new Items(identifiers);
    }
}

package dev.ben.reconcile.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ben.reconcile.StatusEvent;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code GET /entities/{id}/events} answers. The events' fields come from the parsed tree; each
 * {@code payload} is cut out of the text as it was sent (A writes the stored webhook body verbatim), because a
 * re-serialised payload could differ in bytes from the webhook's body and fail the receiver's payload check.
 */
public final class StatusJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();

    private StatusJson() {
    }

    /** The events, in the answer's order (latest first); throws IllegalArgumentException when unusable. */
    public static List<StatusEvent> events(String json, String expectedEntityId) {
        JsonNode root;
        List<String> payloads;
        try {
            root = MAPPER.readTree(json);
            payloads = rawPayloads(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON");
        }
        if (root == null || !expectedEntityId.equals(root.path("entityId").asText(null))) {
            throw new IllegalArgumentException("entityId is not " + expectedEntityId);
        }
        JsonNode events = root.path("events");
        if (!events.isArray() || payloads.size() != events.size()) {
            throw new IllegalArgumentException("events must be an array of events with payloads");
        }
        List<StatusEvent> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.add(event(events.get(i), payloads.get(i)));
        }
        return out;
    }

    private static StatusEvent event(JsonNode e, String payload) {
        String id = e.path("eventId").asText("");
        if (id.isEmpty() || payload == null) {
            throw new IllegalArgumentException("an event lacks eventId or payload");
        }
        Instant createdAt;
        try {
            createdAt = Instant.parse(e.path("createdAt").asText(""));
        } catch (DateTimeParseException bad) {
            throw new IllegalArgumentException("event " + id + " has no ISO-8601 createdAt");
        }
        return new StatusEvent(id, e.path("type").asText(""), integer(e.path("version")),
                integer(e.path("sequence")), createdAt, payload);
    }

    private static Optional<BigInteger> integer(JsonNode node) {
        if (node.isIntegralNumber()) {
            return Optional.of(node.bigIntegerValue());
        }
        if (node.isTextual() && node.asText().matches("\\d{1,64}")) {
            return Optional.of(new BigInteger(node.asText()));
        }
        return Optional.empty();
    }

    /** The raw text of {@code events[i].payload} for every event, {@code null} where an event has none. */
    static List<String> rawPayloads(String json) throws IOException {
        List<String> payloads = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("events".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        payloads.add(payloadOfEvent(p, json));
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return payloads;
    }

    private static String payloadOfEvent(JsonParser p, String json) throws IOException {
        String payload = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("payload".equals(field) && value == JsonToken.START_OBJECT) {
                int start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
                int end = (int) p.currentLocation().getCharOffset();
                payload = json.substring(start, end);
            } else {
                p.skipChildren();
            }
        }
        return payload;
    }
}

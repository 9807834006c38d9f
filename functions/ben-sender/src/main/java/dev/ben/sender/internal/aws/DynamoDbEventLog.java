package dev.ben.sender.internal.aws;

import static dev.ben.sender.internal.aws.Items.instant;
import static dev.ben.sender.internal.aws.Items.n;
import static dev.ben.sender.internal.aws.Items.s;
import static dev.ben.sender.internal.aws.Items.str;
import static dev.ben.sender.internal.aws.Items.strings;
import static dev.ben.sender.internal.aws.Items.t;

import dev.ben.core.model.Event;
import dev.ben.sender.internal.EventLog;
import dev.ben.sender.internal.EventRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Events in table {@code ben-events} (pk {@code eventId}): type, source, entityId, tenantId, version (absent when
 * none), sequence, occurredAt, endpointIds (L), expiresAt (TTL: occurredAt + retention + the 7 days that bound a
 * delivery's retries, so an event outlives its deliveries' history).
 */
public final class DynamoDbEventLog implements EventLog {

    /** How much longer than the history retention an event item lives (retries end well within it). */
    static final Duration RETRY_ALLOWANCE = Duration.ofDays(7);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoDbEventLog(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    /** BatchWriteItem, 25 items per request, unprocessed items retried (up to 10 rounds, then it throws). */
    @Override
    public void recordAll(Collection<EventRecord> events) {
        List<EventRecord> all = new ArrayList<>(events);
        for (int i = 0; i < all.size(); i += 25) {
            List<WriteRequest> writes = all.subList(i, Math.min(all.size(), i + 25)).stream()
                    .map(e -> WriteRequest.builder().putRequest(PutRequest.builder().item(item(e)).build()).build())
                    .toList();
            Map<String, List<WriteRequest>> request = Map.of(table, writes);
            for (int round = 0; !request.isEmpty(); round++) {
                if (round == 10) {
                    throw new IllegalStateException("BatchWriteItem left event items unprocessed after 10 rounds");
                }
                var finalRequest = request;
                var response = dynamo.batchWriteItem(b -> b.requestItems(finalRequest));
                request = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }

    @Override
    public Optional<EventRecord> find(String eventId) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("eventId", s(eventId))).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    private Map<String, AttributeValue> item(EventRecord e) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("eventId", s(e.eventId()));
        item.put("eventType", s(e.type()));
        if (!e.source().isEmpty()) {
            item.put("source", s(e.source()));
        }
        item.put("entityId", s(e.entityId()));
        if (!e.tenantId().isEmpty()) {
            item.put("tenantId", s(e.tenantId()));
        }
        if (e.version() != Event.NO_VERSION) {
            item.put("version", n(e.version()));
        }
        if (!e.sequence().isEmpty()) {
            item.put("sequence", s(e.sequence()));
        }
        item.put("occurredAt", t(e.occurredAt()));
        item.put("endpointIds", AttributeValue.fromL(e.endpointIds().stream().map(Items::s).toList()));
        if (!e.note().isEmpty()) {
            item.put("note", s(e.note()));
        }
        item.put("expiresAt", n(e.occurredAt().plus(retention).plus(RETRY_ALLOWANCE).getEpochSecond()));
        return item;
    }

    static EventRecord fromItem(Map<String, AttributeValue> item) {
        AttributeValue version = item.get("version");
        return new EventRecord(str(item, "eventId"), str(item, "eventType", ""), str(item, "source", ""),
                str(item, "entityId", ""), str(item, "tenantId", ""),
                version == null || version.n() == null ? Event.NO_VERSION : Long.parseLong(version.n()),
                str(item, "sequence", ""), instant(item, "occurredAt"), strings(item, "endpointIds"),
                str(item, "note", ""));
    }
}

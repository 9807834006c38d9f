package dev.ben.sender.bench.cost;

import dev.ben.settings.TableSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Counts what a function's SDK calls would cost on AWS: DynamoDB write and read units per table and index (from
 * the items before and after each write, read aside with an uncounted client, and {@link CapacityModel}), and SQS
 * requests per operation. Added to a handler's clients as an interceptor.
 */
public final class CapacityMeter implements ExecutionInterceptor {

    private static final AtomicInteger METERS = new AtomicInteger();

    /** Per meter: two meters on one client each keep their own view of a request. */
    private final ExecutionAttribute<List<Write>> writes =
            new ExecutionAttribute<>("ben.cost.writes." + METERS.incrementAndGet());

    /** One item a request writes: its table, key and the item before. */
    private record Write(String tableName, TableSpec table, Map<String, AttributeValue> key,
                         Map<String, AttributeValue> before, Map<String, AttributeValue> put) {
    }

    private final DynamoDbClient aside;
    private final Map<String, TableSpec> tables;
    private final Map<String, DoubleAdder> writeUnits = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> readUnits = new ConcurrentHashMap<>();
    private final Map<String, DoubleAdder> sqsRequests = new ConcurrentHashMap<>();

    /** @param tables physical table name → its spec */
    public CapacityMeter(DynamoDbClient aside, Map<String, TableSpec> tables) {
        this.aside = aside;
        this.tables = Map.copyOf(tables);
    }

    public Map<String, Double> writeUnits() {
        return snapshot(writeUnits);
    }

    public Map<String, Double> readUnits() {
        return snapshot(readUnits);
    }

    public Map<String, Double> sqsRequests() {
        return snapshot(sqsRequests);
    }

    public void reset() {
        writeUnits.clear();
        readUnits.clear();
        sqsRequests.clear();
    }

    /** Adds SQS requests made on a function's behalf by its event source (receive, delete). */
    public void countSqs(String operation, double requests) {
        add(sqsRequests, operation, requests);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        if (service.equalsIgnoreCase("sqs")) {
            add(sqsRequests, attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), 1);
            return;
        }
        List<Write> writes = writesOf(context.request());
        if (!writes.isEmpty()) {
            attributes.putAttribute(this.writes, writes);
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        List<Write> writes = attributes.getAttribute(this.writes);
        if (writes != null) {
            List<Write> done = unprocessedRemoved(writes, context.response());
            done.forEach(w -> CapacityModel.write(w.table(), w.before(), after(w)).forEach(
                    (target, units) -> add(writeUnits, target, units)));
            return;
        }
        reads(context.request(), context.response());
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        List<Write> writes = attributes.getAttribute(this.writes);
        if (writes != null && context.exception() instanceof ConditionalCheckFailedException) {
            writes.forEach(w -> CapacityModel.refusedWrite(w.table(), w.before()).forEach(
                    (target, units) -> add(writeUnits, target, units)));
        }
    }

    private List<Write> writesOf(SdkRequest request) {
        List<Write> writes = new ArrayList<>();
        switch (request) {
            case PutItemRequest r -> write(writes, r.tableName(), r.item(), r.item());
            case UpdateItemRequest r -> write(writes, r.tableName(), r.key(), null);
            case DeleteItemRequest r -> write(writes, r.tableName(), r.key(), Map.of());
            case BatchWriteItemRequest r -> r.requestItems().forEach((table, requests) -> {
                for (WriteRequest w : requests) {
                    if (w.putRequest() != null) {
                        write(writes, table, w.putRequest().item(), w.putRequest().item());
                    } else {
                        write(writes, table, w.deleteRequest().key(), Map.of());
                    }
                }
            });
            default -> { }
        }
        return writes;
    }

    /** {@code put}: the item written whole, empty for a delete, null for an update (read back after). */
    private void write(List<Write> writes, String tableName, Map<String, AttributeValue> itemOrKey,
                       Map<String, AttributeValue> put) {
        TableSpec table = tables.get(tableName);
        if (table == null) {
            return; // not one of Ben's tables (e.g. the receiver's): not priced here
        }
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(table.partitionKey(), itemOrKey.get(table.partitionKey()));
        table.sortKeyName().ifPresent(sk -> key.put(sk, itemOrKey.get(sk)));
        writes.add(new Write(tableName, table, key, item(tableName, key), put));
    }

    private Map<String, AttributeValue> after(Write w) {
        return w.put() != null ? w.put() : item(w.tableName(), w.key());
    }

    private List<Write> unprocessedRemoved(List<Write> writes, SdkResponse response) {
        if (!(response instanceof BatchWriteItemResponse batch) || !batch.hasUnprocessedItems()
                || batch.unprocessedItems().isEmpty()) {
            return writes;
        }
        List<Map<String, AttributeValue>> unprocessed = new ArrayList<>();
        batch.unprocessedItems().values().forEach(list -> list.forEach(w -> unprocessed.add(
                w.putRequest() != null ? w.putRequest().item() : w.deleteRequest().key())));
        return writes.stream().filter(w -> unprocessed.stream().noneMatch(u -> w.key().entrySet().stream()
                .allMatch(k -> k.getValue().equals(u.get(k.getKey()))))).toList();
    }

    private void reads(SdkRequest request, SdkResponse response) {
        switch (response) {
            case GetItemResponse r when request instanceof GetItemRequest g && tables.containsKey(g.tableName()) ->
                    add(readUnits, tables.get(g.tableName()).logicalName(), CapacityModel.read(ItemSize.of(r.item()),
                            Boolean.TRUE.equals(g.consistentRead())));
            case BatchGetItemResponse r -> r.responses().forEach((table, items) -> items.forEach(item -> {
                if (tables.containsKey(table)) {
                    add(readUnits, tables.get(table).logicalName(), CapacityModel.read(ItemSize.of(item), true));
                }
            }));
            case QueryResponse r when request instanceof QueryRequest q && tables.containsKey(q.tableName()) ->
                    add(readUnits, target(q.tableName(), q.indexName()), CapacityModel.read(
                            r.items().stream().mapToInt(ItemSize::of).sum(), Boolean.TRUE.equals(q.consistentRead())));
            case ScanResponse r when request instanceof ScanRequest s && tables.containsKey(s.tableName()) ->
                    add(readUnits, target(s.tableName(), s.indexName()), CapacityModel.read(
                            r.items().stream().mapToInt(ItemSize::of).sum(), Boolean.TRUE.equals(s.consistentRead())));
            default -> { }
        }
    }

    private String target(String tableName, String index) {
        String logical = tables.get(tableName).logicalName();
        return index == null ? logical : logical + "/" + index;
    }

    private Map<String, AttributeValue> item(String tableName, Map<String, AttributeValue> key) {
        return aside.getItem(b -> b.tableName(tableName).key(key).consistentRead(true)).item();
    }

    private static void add(Map<String, DoubleAdder> totals, String key, double amount) {
        totals.computeIfAbsent(key, k -> new DoubleAdder()).add(amount);
    }

    private static Map<String, Double> snapshot(Map<String, DoubleAdder> totals) {
        Map<String, Double> out = new TreeMap<>();
        totals.forEach((k, v) -> out.put(k, v.sum()));
        return new LinkedHashMap<>(out);
    }
}

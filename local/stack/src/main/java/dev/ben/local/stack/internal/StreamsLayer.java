package dev.ben.local.stack.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.zip.CRC32;

/**
 * The DynamoDB endpoint clients talk to: an HTTP server in this JVM that forwards DynamoDB JSON 1.0 requests
 * to dynalite and serves the DynamoDB Streams API itself.
 *
 * <p>Writes to stream-enabled tables are serialised per item key. For each one the layer learns the item's
 * image before and after the write - PutItem/DeleteItem by forwarding them with {@code ReturnValues=ALL_OLD},
 * UpdateItem by a consistent GetItem before and {@code ReturnValues=ALL_NEW}, BatchWriteItem by a consistent
 * BatchGetItem before - and appends one stream record per changed item. Failed writes (condition failures,
 * validation errors) and writes that change nothing produce no record. What the client asked for with
 * {@code ReturnValues} is what it gets back.
 */
public final class StreamsLayer implements AutoCloseable {

    private static final String DYNAMODB = "DynamoDB_20120810.";
    private static final String STREAMS = "DynamoDBStreams_20120810.";
    private static final String DEFAULT_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/"
            + "dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00";
    private static final String DEFAULT_DATE = "20200101T000000Z";
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final HttpServer server;
    private final ExecutorService executor;
    private final CompletableFuture<DynaliteHttp> dynalite;
    private final StreamStore store;
    private final KeyLocks locks = new KeyLocks(1024);
    private final Map<String, ObjectNode> timeToLive = new ConcurrentHashMap<>();
    private final URI endpoint;

    private StreamsLayer(HttpServer server, ExecutorService executor, CompletableFuture<URI> dynalite,
                         StreamStore store) {
        this.server = server;
        this.executor = executor;
        this.dynalite = dynalite.thenApply(uri -> new DynaliteHttp(uri.getHost(), uri.getPort()));
        this.store = store;
        this.endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * Starts the layer on a free loopback port. Requests wait for {@code dynalite} to complete (so the layer can
     * start while dynalite is still booting).
     */
    public static StreamsLayer start(CompletableFuture<URI> dynalite, Clock clock, String region) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            ExecutorService executor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("ben-streams-layer-", 0).factory());
            server.setExecutor(executor);
            StreamsLayer layer = new StreamsLayer(server, executor, dynalite, new StreamStore(clock, region));
            server.createContext("/", layer::handle);
            server.start();
            return layer;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the DynamoDB Streams layer", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public StreamStore streams() {
        return store;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        dynalite.thenAccept(DynaliteHttp::close);
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    private record Reply(int status, byte[] body) {
        boolean ok() {
            return status == 200;
        }

        static Reply of(JsonNode json) {
            return new Reply(200, Requests.write(json));
        }

        static Reply of(AwsException e) {
            ObjectNode error = JSON.objectNode().put("__type", e.type()).put("message", e.getMessage());
            return new Reply(e.status(), Requests.write(error));
        }
    }

    /** A dynalite error answer handed back to the client as it is. */
    private static final class PassThrough extends RuntimeException {
        final Reply reply;

        PassThrough(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    private void handle(HttpExchange exchange) {
        Reply reply;
        try {
            byte[] body = readBody(exchange.getRequestBody());
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            reply = dispatch(target, body, exchange.getRequestHeaders());
        } catch (AwsException e) {
            reply = Reply.of(e);
        } catch (PassThrough e) {
            reply = e.reply;
        } catch (RuntimeException | IOException e) {
            reply = Reply.of(AwsException.internal("local DynamoDB Streams layer failed: " + e));
        }
        try (exchange) {
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "application/x-amz-json-1.0");
            headers.set("x-amzn-RequestId", UUID.randomUUID().toString());
            CRC32 crc = new CRC32();
            crc.update(reply.body());
            headers.set("x-amz-crc32", Long.toString(crc.getValue()));
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        } catch (IOException ignored) {
            // client went away
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw AwsException.validation("Request body exceeds 16 MB");
        }
        return body;
    }

    private Reply dispatch(String target, byte[] body, Headers headers) {
        if (target != null && target.startsWith(STREAMS)) {
            ObjectNode request = Requests.parseObject(body);
            String operation = target.substring(STREAMS.length());
            return Reply.of(switch (operation) {
                case "ListStreams" -> store.listStreams(request);
                case "DescribeStream" -> store.describeStream(request);
                case "GetShardIterator" -> store.getShardIterator(request);
                case "GetRecords" -> store.getRecords(request);
                default -> throw AwsException.unknownOperation("Unknown DynamoDB Streams operation: " + operation);
            });
        }
        if (target == null || !target.startsWith(DYNAMODB)) {
            return forward(target, body, headers);
        }
        String operation = target.substring(DYNAMODB.length());
        return switch (operation) {
            case "CreateTable" -> createTable(body, headers);
            case "UpdateTable" -> updateTable(body, headers);
            case "DescribeTable" -> describeTable(body, headers);
            case "DeleteTable" -> deleteTable(body, headers);
            case "UpdateTimeToLive" -> updateTimeToLive(body, headers);
            case "DescribeTimeToLive" -> describeTimeToLive(body, headers);
            case "PutItem" -> putItem(body, headers);
            case "UpdateItem" -> updateItem(body, headers);
            case "DeleteItem" -> deleteItem(body, headers);
            case "BatchWriteItem" -> batchWriteItem(body, headers);
            default -> forward(target, body, headers);
        };
    }

    // ---- forwarding -------------------------------------------------------------------------------------------------

    private Reply forward(String target, byte[] body, Headers clientHeaders) {
        DynaliteHttp http;
        try {
            http = dynalite.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AwsException.internal("interrupted while waiting for dynalite");
        } catch (ExecutionException | TimeoutException e) {
            throw AwsException.internal("dynalite is not available: " + e.getMessage());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-amz-json-1.0");
        if (target != null) {
            headers.put("X-Amz-Target", target);
        }
        String authorization = clientHeaders == null ? null : clientHeaders.getFirst("Authorization");
        String date = clientHeaders == null ? null : clientHeaders.getFirst("X-Amz-Date");
        headers.put("Authorization", authorization == null ? DEFAULT_AUTHORIZATION : authorization);
        headers.put("X-Amz-Date", date == null ? DEFAULT_DATE : date);
        try {
            DynaliteHttp.Response response = http.post(headers, body);
            return new Reply(response.status(), response.body());
        } catch (IOException e) {
            throw AwsException.internal("dynalite did not answer: " + e);
        }
    }

    private Reply forward(String operation, ObjectNode request, Headers clientHeaders) {
        return forward(DYNAMODB + operation, Requests.write(request), clientHeaders);
    }

    /** Calls dynalite for the layer itself; an error answer goes back to the client unchanged. */
    private ObjectNode call(String operation, ObjectNode request) {
        Reply reply = forward(operation, request, null);
        if (!reply.ok()) {
            throw new PassThrough(reply);
        }
        return Requests.parseObject(reply.body());
    }

    private ObjectNode getItem(String table, ObjectNode key) {
        ObjectNode request = JSON.objectNode().put("TableName", table).put("ConsistentRead", true);
        request.set("Key", key);
        JsonNode item = call("GetItem", request).get("Item");
        return item instanceof ObjectNode found ? found : null;
    }

    /** The item's current image: from the stream's cache, else a consistent read; {@code null} when absent. */
    private ObjectNode currentImage(StreamStore.ActiveStream stream, String table, ObjectNode key, String keyString) {
        JsonNode cached = stream.images().get(keyString);
        if (cached != null) {
            return cached.isMissingNode() ? null : (ObjectNode) cached;
        }
        return getItem(table, key);
    }

    private static void remember(StreamStore.ActiveStream stream, String keyString, ObjectNode image) {
        stream.images().put(keyString, image == null ? MissingNode.getInstance() : image);
    }

    /**
     * Forwards a write the layer does not interpret (dynalite normally rejects it); if it succeeds anyway on a
     * stream-enabled table, the image cache can no longer be trusted and is dropped.
     */
    private Reply forwardUninterpreted(String operation, byte[] body, Headers headers,
                                       StreamStore.ActiveStream stream) {
        Reply reply = forward(DYNAMODB + operation, body, headers);
        if (reply.ok() && stream != null) {
            stream.images().clear();
        }
        return reply;
    }

    private static String tableName(JsonNode request) {
        JsonNode name = request.get("TableName");
        if (name == null || !name.isTextual()) {
            return null;
        }
        String text = name.asText();
        int slash = text.indexOf(":table/");
        return text.startsWith("arn:") && slash >= 0 ? text.substring(slash + ":table/".length()) : text;
    }

    // ---- table operations -------------------------------------------------------------------------------------------

    /** Validates a StreamSpecification; returns the view type to enable, or {@code null} to disable. */
    private static String streamChange(JsonNode spec) {
        if (!spec.isObject()) {
            throw AwsException.serialization("StreamSpecification must be a structure");
        }
        JsonNode enabled = spec.get("StreamEnabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw AwsException.validation("1 validation error detected: Value null at "
                    + "'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null");
        }
        String viewType = Requests.optionalString(spec, "StreamViewType");
        if (!enabled.asBoolean()) {
            return null;
        }
        if (viewType == null) {
            throw AwsException.validation("StreamViewType is required when StreamEnabled is true");
        }
        if (!StreamStore.VIEW_TYPES.contains(viewType)) {
            throw AwsException.validation("1 validation error detected: Value '" + viewType
                    + "' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy "
                    + "enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]");
        }
        return viewType;
    }

    private Reply createTable(byte[] body, Headers headers) {
        ObjectNode request = Requests.parseObject(body);
        JsonNode spec = request.remove("StreamSpecification");
        String viewType = spec == null ? null : streamChange(spec);
        Reply reply = forward("CreateTable", request, headers);
        if (!reply.ok()) {
            return reply;
        }
        ObjectNode response = Requests.parseObject(reply.body());
        ObjectNode description = (ObjectNode) response.get("TableDescription");
        String table = description.path("TableName").asText();
        store.tableDeleted(table); // a stale stream of an earlier table with the same name
        timeToLive.remove(table);
        if (viewType != null) {
            store.enable(table, description.path("TableArn").asText(), (ArrayNode) description.get("KeySchema"),
                    viewType);
        }
        store.describeInto(table, description);
        return Reply.of(response);
    }

    private Reply updateTable(byte[] body, Headers headers) {
        ObjectNode request = Requests.parseObject(body);
        JsonNode spec = request.remove("StreamSpecification");
        if (spec == null) {
            return withTableDescription(forward("UpdateTable", request, headers), "TableDescription");
        }
        String table = tableName(request);
        String viewType = streamChange(spec);
        if (table == null) {
            return forward("UpdateTable", request, headers); // dynalite says what is wrong
        }
        store.checkChange(table, viewType != null);
        ObjectNode description;
        boolean otherChanges = false;
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            otherChanges |= !names.next().equals("TableName");
        }
        if (otherChanges) {
            Reply reply = forward("UpdateTable", request, headers);
            if (!reply.ok()) {
                return reply;
            }
            description = (ObjectNode) Requests.parseObject(reply.body()).get("TableDescription");
        } else {
            description = (ObjectNode) call("DescribeTable", JSON.objectNode().put("TableName", table)).get("Table");
        }
        if (viewType != null) {
            store.enable(table, description.path("TableArn").asText(), (ArrayNode) description.get("KeySchema"),
                    viewType);
        } else {
            store.disable(table);
        }
        store.describeInto(table, description);
        return Reply.of(JSON.objectNode().set("TableDescription", description));
    }

    private Reply describeTable(byte[] body, Headers headers) {
        return withTableDescription(forward(DYNAMODB + "DescribeTable", body, headers), "Table");
    }

    private Reply deleteTable(byte[] body, Headers headers) {
        Reply reply = withTableDescription(forward(DYNAMODB + "DeleteTable", body, headers), "TableDescription");
        if (reply.ok()) {
            String table = Requests.parseObject(reply.body()).path("TableDescription").path("TableName").asText();
            store.tableDeleted(table);
            timeToLive.remove(table);
        }
        return reply;
    }

    private Reply withTableDescription(Reply reply, String field) {
        if (!reply.ok()) {
            return reply;
        }
        ObjectNode response = Requests.parseObject(reply.body());
        if (response.get(field) instanceof ObjectNode description) {
            store.describeInto(description.path("TableName").asText(), description);
        }
        return Reply.of(response);
    }

    /** dynalite has no UpdateTimeToLive: the layer keeps the setting (items are not expired, see docs). */
    private Reply updateTimeToLive(byte[] body, Headers headers) {
        ObjectNode request = Requests.parseObject(body);
        String table = tableName(request);
        if (table == null) {
            throw AwsException.validation("1 validation error detected: Value null at 'tableName' failed to "
                    + "satisfy constraint: Member must not be null");
        }
        JsonNode spec = request.get("TimeToLiveSpecification");
        if (spec == null || !spec.isObject()) {
            throw AwsException.validation("1 validation error detected: Value null at 'timeToLiveSpecification' "
                    + "failed to satisfy constraint: Member must not be null");
        }
        String attribute = Requests.requiredString(spec, "AttributeName");
        JsonNode enabled = spec.get("Enabled");
        if (enabled == null || !enabled.isBoolean()) {
            throw AwsException.validation("1 validation error detected: Value null at "
                    + "'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null");
        }
        call("DescribeTable", JSON.objectNode().put("TableName", table));
        ObjectNode current = timeToLive.get(table);
        boolean currentlyEnabled = current != null && "ENABLED".equals(current.path("TimeToLiveStatus").asText());
        if (currentlyEnabled == enabled.asBoolean()) {
            throw AwsException.validation(currentlyEnabled ? "TimeToLive is already enabled"
                    : "TimeToLive is already disabled");
        }
        ObjectNode description = JSON.objectNode()
                .put("TimeToLiveStatus", enabled.asBoolean() ? "ENABLED" : "DISABLED");
        if (enabled.asBoolean()) {
            description.put("AttributeName", attribute);
        }
        timeToLive.put(table, description);
        ObjectNode answer = JSON.objectNode().put("AttributeName", attribute).put("Enabled", enabled.asBoolean());
        return Reply.of(JSON.objectNode().set("TimeToLiveSpecification", answer));
    }

    private Reply describeTimeToLive(byte[] body, Headers headers) {
        Reply reply = forward(DYNAMODB + "DescribeTimeToLive", body, headers);
        if (!reply.ok()) {
            return reply;
        }
        ObjectNode description = timeToLive.get(tableName(Requests.parseObject(body)));
        return description == null ? reply : Reply.of(JSON.objectNode().set("TimeToLiveDescription", description));
    }

    // ---- item writes ----------------------------------------------------------------------------------------------

    private Reply putItem(byte[] body, Headers headers) {
        return writeReturningOldImage("PutItem", "Item", request -> Items.normalizeItem(request.get("Item")), body,
                headers);
    }

    private Reply deleteItem(byte[] body, Headers headers) {
        return writeReturningOldImage("DeleteItem", "Key", request -> null, body, headers);
    }

    /**
     * PutItem and DeleteItem: the old image comes back from dynalite itself ({@code ReturnValues ALL_OLD}, under the
     * item's lock), the new image is the request's item (put) or none (delete).
     */
    private Reply writeReturningOldImage(String operation, String keyField, Function<ObjectNode, ObjectNode> newImageOf,
                                         byte[] body, Headers headers) {
        ObjectNode request = Requests.parseObject(body);
        String table = tableName(request);
        StreamStore.ActiveStream stream = table == null ? null : store.activeStream(table);
        String returnValues = returnValues(request);
        ObjectNode key = stream == null ? null : Items.key(request.get(keyField), stream.keyNames());
        if (key == null || !(returnValues.equals("NONE") || returnValues.equals("ALL_OLD"))) {
            return forwardUninterpreted(operation, body, headers, stream);
        }
        request.put("ReturnValues", "ALL_OLD");
        String keyString = Items.keyString(table, key, stream.keyNames());
        try (KeyLocks.Held ignored = locks.lock(List.of(keyString))) {
            Reply reply = forward(operation, request, headers);
            if (!reply.ok()) {
                return reply;
            }
            ObjectNode response = Requests.parseObject(reply.body());
            ObjectNode oldImage = response.get("Attributes") instanceof ObjectNode old ? old : null;
            if (!returnValues.equals("ALL_OLD")) {
                response.remove("Attributes");
            }
            ObjectNode newImage = newImageOf.apply(request);
            store.append(stream, key, oldImage, newImage);
            remember(stream, keyString, newImage);
            return Reply.of(response);
        }
    }

    private Reply updateItem(byte[] body, Headers headers) {
        ObjectNode request = Requests.parseObject(body);
        String table = tableName(request);
        StreamStore.ActiveStream stream = table == null ? null : store.activeStream(table);
        String returnValues = returnValues(request);
        ObjectNode key = stream == null ? null : Items.key(request.get("Key"), stream.keyNames());
        boolean newFromResponse = returnValues.equals("NONE") || returnValues.equals("ALL_NEW");
        boolean known = newFromResponse || returnValues.equals("ALL_OLD") || returnValues.equals("UPDATED_OLD")
                || returnValues.equals("UPDATED_NEW");
        if (key == null || !known) {
            return forwardUninterpreted("UpdateItem", body, headers, stream);
        }
        String keyString = Items.keyString(table, key, stream.keyNames());
        try (KeyLocks.Held ignored = locks.lock(List.of(keyString))) {
            ObjectNode oldImage = currentImage(stream, table, key, keyString);
            if (newFromResponse) {
                request.put("ReturnValues", "ALL_NEW");
            }
            Reply reply = forward("UpdateItem", request, headers);
            if (!reply.ok()) {
                return reply;
            }
            ObjectNode response = Requests.parseObject(reply.body());
            ObjectNode newImage;
            if (newFromResponse) {
                newImage = response.get("Attributes") instanceof ObjectNode updated ? updated : null;
                if (returnValues.equals("NONE")) {
                    response.remove("Attributes");
                }
            } else {
                newImage = getItem(table, key);
            }
            store.append(stream, key, oldImage, newImage);
            remember(stream, keyString, newImage);
            return Reply.of(response);
        }
    }

    private static String returnValues(ObjectNode request) {
        JsonNode value = request.get("ReturnValues");
        return value == null || value.isNull() ? "NONE" : value.isTextual() ? value.asText() : "?";
    }

    /** One stream-relevant request of a BatchWriteItem. */
    private record BatchEntry(String table, StreamStore.ActiveStream stream, ObjectNode key, String keyString,
                              ObjectNode newImage) {
    }

    private Reply batchWriteItem(byte[] body, Headers headers) {
        ObjectNode request = Requests.parseObject(body);
        List<BatchEntry> entries = new ArrayList<>();
        if (request.get("RequestItems") instanceof ObjectNode requestItems) {
            for (Iterator<Map.Entry<String, JsonNode>> tables = requestItems.fields(); tables.hasNext(); ) {
                Map.Entry<String, JsonNode> tableRequests = tables.next();
                String table = tableRequests.getKey();
                StreamStore.ActiveStream stream = store.activeStream(table);
                if (stream == null || !tableRequests.getValue().isArray()) {
                    continue;
                }
                for (JsonNode write : tableRequests.getValue()) {
                    JsonNode item = write.path("PutRequest").get("Item");
                    ObjectNode key = item != null ? Items.key(item, stream.keyNames())
                            : Items.key(write.path("DeleteRequest").get("Key"), stream.keyNames());
                    if (key == null) {
                        return forwardUninterpreted("BatchWriteItem", body, headers, stream); // dynalite rejects it
                    }
                    entries.add(new BatchEntry(table, stream, key, Items.keyString(table, key, stream.keyNames()),
                            item == null ? null : Items.normalizeItem(item)));
                }
            }
        }
        if (entries.isEmpty()) {
            return forward(DYNAMODB + "BatchWriteItem", body, headers);
        }
        List<String> keyStrings = entries.stream().map(BatchEntry::keyString).toList();
        if (new HashSet<>(keyStrings).size() != keyStrings.size()) {
            // duplicate keys: dynalite rejects the whole batch
            Reply reply = forward(DYNAMODB + "BatchWriteItem", body, headers);
            if (reply.ok()) {
                entries.forEach(e -> e.stream().images().clear());
            }
            return reply;
        }
        try (KeyLocks.Held ignored = locks.lock(keyStrings)) {
            Map<String, ObjectNode> before = readCurrent(entries);
            Reply reply = forward(DYNAMODB + "BatchWriteItem", body, headers);
            if (!reply.ok()) {
                return reply;
            }
            Set<String> unprocessed = unprocessedKeys(Requests.parseObject(reply.body()));
            for (BatchEntry entry : entries) {
                if (!unprocessed.contains(entry.keyString())) {
                    store.append(entry.stream(), entry.key(), before.get(entry.keyString()), entry.newImage());
                    remember(entry.stream(), entry.keyString(), entry.newImage());
                }
            }
            return reply;
        }
    }

    /** Consistent reads of the items a batch is about to change, keyed by key string. */
    private Map<String, ObjectNode> readCurrent(List<BatchEntry> entries) {
        Map<String, ObjectNode> found = new HashMap<>();
        Map<String, List<BatchEntry>> byTable = new LinkedHashMap<>();
        for (BatchEntry entry : entries) {
            JsonNode cached = entry.stream().images().get(entry.keyString());
            if (cached == null) {
                byTable.computeIfAbsent(entry.table(), t -> new ArrayList<>()).add(entry);
            } else if (!cached.isMissingNode()) {
                found.put(entry.keyString(), (ObjectNode) cached);
            }
        }
        ObjectNode requestItems = JSON.objectNode();
        byTable.forEach((table, tableEntries) -> {
            ArrayNode keys = JSON.arrayNode();
            tableEntries.forEach(e -> keys.add(e.key()));
            requestItems.set(table, JSON.objectNode().put("ConsistentRead", true).set("Keys", keys));
        });
        ObjectNode pending = requestItems;
        for (int round = 0; round < 50 && pending.size() > 0; round++) {
            ObjectNode response = call("BatchGetItem", JSON.objectNode().set("RequestItems", pending));
            response.path("Responses").fields().forEachRemaining(tableItems -> {
                StreamStore.ActiveStream stream = byTable.get(tableItems.getKey()).getFirst().stream();
                for (JsonNode item : tableItems.getValue()) {
                    ObjectNode key = Items.key(item, stream.keyNames());
                    found.put(Items.keyString(tableItems.getKey(), key, stream.keyNames()), (ObjectNode) item);
                }
            });
            pending = response.get("UnprocessedKeys") instanceof ObjectNode unprocessed ? unprocessed
                    : JSON.objectNode();
        }
        if (pending.size() > 0) {
            throw AwsException.internal("dynalite kept returning UnprocessedKeys");
        }
        return found;
    }

    private Set<String> unprocessedKeys(ObjectNode response) {
        Set<String> keys = new HashSet<>();
        response.path("UnprocessedItems").fields().forEachRemaining(tableRequests -> {
            StreamStore.ActiveStream stream = store.activeStream(tableRequests.getKey());
            if (stream == null) {
                return;
            }
            for (JsonNode write : tableRequests.getValue()) {
                JsonNode item = write.path("PutRequest").get("Item");
                ObjectNode key = item != null ? Items.key(item, stream.keyNames())
                        : Items.key(write.path("DeleteRequest").get("Key"), stream.keyNames());
                if (key != null) {
                    keys.add(Items.keyString(tableRequests.getKey(), key, stream.keyNames()));
                }
            }
        });
        return keys;
    }
}

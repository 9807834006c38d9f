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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

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
 *
 * <p>At the HTTP level it is transparent: a request is forwarded with its method, request target (path and
 * query) and headers as received, and dynalite's status, headers and body come back unchanged, except where the
 * Streams API needs more (stream fields in table descriptions, the operations dynalite lacks). {@link Route} says
 * which requests the layer looks into; what it answers itself is headed as dynalite heads its answers
 * ({@link LayerResponse#own}).
 */
public final class StreamsLayer implements AutoCloseable {

    /**
     * The signature of the layer's own requests to dynalite (reading images, checking tables): the layer is a
     * client of dynalite there, and dynalite checks a signature's form, not its value. Clients' requests are
     * forwarded with their own signature, or none.
     */
    private static final List<Header> OWN_SIGNATURE = List.of(
            new Header("Authorization", "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, "
                    + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00"),
            new Header("X-Amz-Date", "20200101T000000Z"));
    /** dynalite's (and DynamoDB's) limit: a larger request body is answered 413. */
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

    /** An error answer of dynalite to one of the layer's own requests; the client gets it in the layer's words. */
    private static final class DynaliteRefused extends RuntimeException {
        final LayerResponse response;

        DynaliteRefused(LayerResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            send(exchange, answer(exchange));
        } catch (IOException ignored) {
            // client went away
        }
    }

    private LayerResponse answer(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            in.transferTo(OutputStream.nullOutputStream()); // read to its end, as dynalite does: keep-alive holds
            return LayerResponse.payloadTooLarge();
        }
        LayerRequest request = new LayerRequest(exchange.getRequestMethod(), target(exchange.getRequestURI()),
                headers(exchange.getRequestHeaders()), body);
        try {
            return switch (Route.of(request)) {
                case Route.Forward ignored -> forward(request);
                case Route.Refuse refuse -> LayerResponse.own(refuse.error(), request);
                case Route.Serve serve -> LayerResponse.own(200, Requests.write(serve(serve)), request);
                case Route.Interpret interpret -> interpret(interpret.operation(), interpret.body(), request);
            };
        } catch (AwsException e) {
            return LayerResponse.own(e, request);
        } catch (DynaliteRefused e) {
            return LayerResponse.own(e.response.status(), e.response.body(), request);
        } catch (RuntimeException e) {
            return LayerResponse.own(AwsException.internal("local DynamoDB Streams layer failed: " + e), request);
        }
    }

    private static String target(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static List<Header> headers(Headers received) {
        List<Header> headers = new ArrayList<>();
        received.forEach((name, values) -> values.forEach(value -> headers.add(new Header(name, value))));
        return headers;
    }

    /**
     * Writes the response. The JDK server frames it (Content-Length, or none for HEAD: dynalite's is kept) and
     * dates it; everything else is the response's own.
     */
    private static void send(HttpExchange exchange, LayerResponse response) throws IOException {
        boolean head = exchange.getRequestMethod().equals("HEAD");
        Headers out = exchange.getResponseHeaders();
        for (Header header : response.headers()) {
            boolean framing = header.connectionSpecific() && !(head && header.is("Content-Length"));
            if (!framing && !header.is("Date")) {
                out.add(header.name(), header.value());
            }
        }
        byte[] body = head ? new byte[0] : response.body();
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(body);
            }
        }
    }

    private ObjectNode serve(Route.Serve serve) {
        ObjectNode request = serve.body();
        if (serve.api().equals(Route.DYNAMODB)) {
            return updateTimeToLive(request);
        }
        return switch (serve.operation()) {
            case "ListStreams" -> store.listStreams(request);
            case "DescribeStream" -> store.describeStream(request);
            case "GetShardIterator" -> store.getShardIterator(request);
            case "GetRecords" -> store.getRecords(request);
            default -> throw AwsException.unknownOperation("Unknown DynamoDB Streams operation: " + serve.operation());
        };
    }

    private LayerResponse interpret(String operation, ObjectNode request, LayerRequest http) {
        return switch (operation) {
            case "CreateTable" -> createTable(request, http);
            case "UpdateTable" -> updateTable(request, http);
            case "DescribeTable" -> withTableDescription(forward(http), "Table");
            case "DeleteTable" -> deleteTable(http);
            case "DescribeTimeToLive" -> describeTimeToLive(request, http);
            case "PutItem" -> putItem(request, http);
            case "UpdateItem" -> updateItem(request, http);
            case "DeleteItem" -> deleteItem(request, http);
            case "BatchWriteItem" -> batchWriteItem(request, http);
            default -> forward(http);
        };
    }

    // ---- forwarding -------------------------------------------------------------------------------------------------

    /** The request to dynalite as it came; dynalite's answer as it came. */
    private LayerResponse forward(LayerRequest request) {
        DynaliteHttp http;
        try {
            http = dynalite.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AwsException.internal("interrupted while waiting for dynalite");
        } catch (ExecutionException | TimeoutException e) {
            throw AwsException.internal("dynalite is not available: " + e.getMessage());
        }
        try {
            return http.send(request);
        } catch (IOException e) {
            throw AwsException.internal("dynalite did not answer: " + e);
        }
    }

    /** The client's request with the body the layer changed (a stream specification taken out, ReturnValues). */
    private LayerResponse forward(LayerRequest request, ObjectNode body) {
        return forward(request.withBody(Requests.write(body)));
    }

    /** Calls dynalite for the layer itself; an error answer goes back to the client ({@link DynaliteRefused}). */
    private ObjectNode call(String operation, ObjectNode request) {
        List<Header> headers = new ArrayList<>(OWN_SIGNATURE);
        headers.add(new Header("Content-Type", LayerResponse.AMZ_JSON));
        headers.add(new Header("X-Amz-Target", Route.DYNAMODB + operation));
        LayerResponse response = forward(new LayerRequest("POST", "/", headers, Requests.write(request)));
        if (!response.ok()) {
            throw new DynaliteRefused(response);
        }
        return Requests.parseObject(response.body());
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
    private LayerResponse forwardUninterpreted(LayerRequest http, StreamStore.ActiveStream stream) {
        LayerResponse response = forward(http);
        if (response.ok() && stream != null) {
            stream.images().clear();
        }
        return response;
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

    private LayerResponse createTable(ObjectNode request, LayerRequest http) {
        JsonNode spec = request.remove("StreamSpecification");
        String viewType = spec == null ? null : streamChange(spec);
        LayerResponse reply = spec == null ? forward(http) : forward(http, request);
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
        return store.describeInto(table, description) ? reply.withBody(Requests.write(response)) : reply;
    }

    private LayerResponse updateTable(ObjectNode request, LayerRequest http) {
        JsonNode spec = request.remove("StreamSpecification");
        if (spec == null) {
            return withTableDescription(forward(http), "TableDescription");
        }
        String table = tableName(request);
        String viewType = streamChange(spec);
        if (table == null) {
            return forward(http, request); // dynalite says what is wrong
        }
        store.checkChange(table, viewType != null);
        ObjectNode description;
        boolean otherChanges = false;
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            otherChanges |= !names.next().equals("TableName");
        }
        LayerResponse reply = null;
        if (otherChanges) {
            reply = forward(http, request);
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
        byte[] body = Requests.write(JSON.objectNode().set("TableDescription", description));
        return reply != null ? reply.withBody(body) : LayerResponse.own(200, body, http);
    }

    private LayerResponse deleteTable(LayerRequest http) {
        LayerResponse reply = withTableDescription(forward(http), "TableDescription");
        if (reply.ok()) {
            String table = Requests.parseObject(reply.body()).path("TableDescription").path("TableName").asText();
            store.tableDeleted(table);
            timeToLive.remove(table);
        }
        return reply;
    }

    /** dynalite's answer, with the table's stream in it when it has one (otherwise byte for byte dynalite's). */
    private LayerResponse withTableDescription(LayerResponse reply, String field) {
        if (!reply.ok()) {
            return reply;
        }
        ObjectNode response = Requests.parseObject(reply.body());
        if (response.get(field) instanceof ObjectNode description
                && store.describeInto(description.path("TableName").asText(), description)) {
            return reply.withBody(Requests.write(response));
        }
        return reply;
    }

    /** dynalite has no UpdateTimeToLive: the layer keeps the setting (items are not expired, see docs). */
    private ObjectNode updateTimeToLive(ObjectNode request) {
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
        return JSON.objectNode().set("TimeToLiveSpecification", answer);
    }

    private LayerResponse describeTimeToLive(ObjectNode request, LayerRequest http) {
        LayerResponse reply = forward(http);
        if (!reply.ok()) {
            return reply;
        }
        ObjectNode description = timeToLive.get(tableName(request));
        return description == null ? reply
                : reply.withBody(Requests.write(JSON.objectNode().set("TimeToLiveDescription", description)));
    }

    // ---- item writes ----------------------------------------------------------------------------------------------

    private LayerResponse putItem(ObjectNode request, LayerRequest http) {
        return writeReturningOldImage("Item", r -> Items.normalizeItem(r.get("Item")), request, http);
    }

    private LayerResponse deleteItem(ObjectNode request, LayerRequest http) {
        return writeReturningOldImage("Key", r -> null, request, http);
    }

    /**
     * PutItem and DeleteItem: the old image comes back from dynalite itself ({@code ReturnValues ALL_OLD}, under the
     * item's lock), the new image is the request's item (put) or none (delete).
     */
    private LayerResponse writeReturningOldImage(String keyField, Function<ObjectNode, ObjectNode> newImageOf,
                                                 ObjectNode request, LayerRequest http) {
        String table = tableName(request);
        StreamStore.ActiveStream stream = table == null ? null : store.activeStream(table);
        String returnValues = returnValues(request);
        ObjectNode key = stream == null ? null : Items.key(request.get(keyField), stream.keyNames());
        if (key == null || !(returnValues.equals("NONE") || returnValues.equals("ALL_OLD"))) {
            return forwardUninterpreted(http, stream);
        }
        request.put("ReturnValues", "ALL_OLD");
        String keyString = Items.keyString(table, key, stream.keyNames());
        try (KeyLocks.Held ignored = locks.lock(List.of(keyString))) {
            LayerResponse reply = forward(http, request);
            if (!reply.ok()) {
                return reply;
            }
            ObjectNode response = Requests.parseObject(reply.body());
            ObjectNode oldImage = response.get("Attributes") instanceof ObjectNode old ? old : null;
            boolean hidden = !returnValues.equals("ALL_OLD") && response.remove("Attributes") != null;
            ObjectNode newImage = newImageOf.apply(request);
            store.append(stream, key, oldImage, newImage);
            remember(stream, keyString, newImage);
            return hidden ? reply.withBody(Requests.write(response)) : reply;
        }
    }

    private LayerResponse updateItem(ObjectNode request, LayerRequest http) {
        String table = tableName(request);
        StreamStore.ActiveStream stream = table == null ? null : store.activeStream(table);
        String returnValues = returnValues(request);
        ObjectNode key = stream == null ? null : Items.key(request.get("Key"), stream.keyNames());
        boolean newFromResponse = returnValues.equals("NONE") || returnValues.equals("ALL_NEW");
        boolean known = newFromResponse || returnValues.equals("ALL_OLD") || returnValues.equals("UPDATED_OLD")
                || returnValues.equals("UPDATED_NEW");
        if (key == null || !known) {
            return forwardUninterpreted(http, stream);
        }
        String keyString = Items.keyString(table, key, stream.keyNames());
        try (KeyLocks.Held ignored = locks.lock(List.of(keyString))) {
            ObjectNode oldImage = currentImage(stream, table, key, keyString);
            if (newFromResponse) {
                request.put("ReturnValues", "ALL_NEW");
            }
            LayerResponse reply = newFromResponse ? forward(http, request) : forward(http);
            if (!reply.ok()) {
                return reply;
            }
            ObjectNode response = Requests.parseObject(reply.body());
            ObjectNode newImage;
            boolean hidden = false;
            if (newFromResponse) {
                newImage = response.get("Attributes") instanceof ObjectNode updated ? updated : null;
                hidden = returnValues.equals("NONE") && response.remove("Attributes") != null;
            } else {
                newImage = getItem(table, key);
            }
            store.append(stream, key, oldImage, newImage);
            remember(stream, keyString, newImage);
            return hidden ? reply.withBody(Requests.write(response)) : reply;
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

    private LayerResponse batchWriteItem(ObjectNode request, LayerRequest http) {
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
                        return forwardUninterpreted(http, stream); // dynalite rejects it
                    }
                    entries.add(new BatchEntry(table, stream, key, Items.keyString(table, key, stream.keyNames()),
                            item == null ? null : Items.normalizeItem(item)));
                }
            }
        }
        if (entries.isEmpty()) {
            return forward(http);
        }
        List<String> keyStrings = entries.stream().map(BatchEntry::keyString).toList();
        if (new HashSet<>(keyStrings).size() != keyStrings.size()) {
            // duplicate keys: dynalite rejects the whole batch
            LayerResponse reply = forward(http);
            if (reply.ok()) {
                entries.forEach(e -> e.stream().images().clear());
            }
            return reply;
        }
        try (KeyLocks.Held ignored = locks.lock(keyStrings)) {
            Map<String, ObjectNode> before = readCurrent(entries);
            LayerResponse reply = forward(http);
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

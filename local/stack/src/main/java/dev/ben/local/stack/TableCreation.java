package dev.ben.local.stack;

import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * {@code CreateTable} that survives a slow first call: LocalStack creates the Kinesis stream behind a DynamoDB
 * stream synchronously and fetches its Kinesis emulator on first use, so that call can outlast the SDK's usual
 * 30 s, and the SDK's retry then meets the table the first attempt created ({@code ResourceInUseException}).
 * Here the call may take {@link #CREATE_TIMEOUT} (the client's HTTP socket timeout must allow as much), and
 * {@code ResourceInUseException} is success when the table that exists is the one asked for - same key schema,
 * same stream - once it is ACTIVE with its indexes and, when asked for, its stream.
 */
public final class TableCreation {

    /** How long one CreateTable attempt, and then the wait for the table to become ACTIVE, may take. */
    public static final Duration CREATE_TIMEOUT = Duration.ofMinutes(3);

    private TableCreation() {
    }

    /** Creates the table (or finds the one an earlier attempt created) and returns it once it is ACTIVE. */
    public static TableDescription create(DynamoDbClient dynamoDb, CreateTableRequest request) {
        try {
            dynamoDb.createTable(request.toBuilder().overrideConfiguration(o -> o
                    .apiCallAttemptTimeout(CREATE_TIMEOUT).apiCallTimeout(CREATE_TIMEOUT.multipliedBy(2))).build());
        } catch (ResourceInUseException alreadyThere) {
            TableDescription existing = awaitActive(dynamoDb, request.tableName(), request.streamSpecification());
            if (!sameTable(request, existing)) {
                throw new IllegalStateException("table " + request.tableName() + " already exists with another key "
                        + "schema or stream: " + existing, alreadyThere);
            }
            return existing;
        }
        return awaitActive(dynamoDb, request.tableName(), request.streamSpecification());
    }

    /**
     * The table once it is ACTIVE, its global secondary indexes too, and - when {@code stream} enables one - it
     * has a stream ARN.
     */
    public static TableDescription awaitActive(DynamoDbClient dynamoDb, String table, StreamSpecification stream) {
        boolean streamWanted = stream != null && Boolean.TRUE.equals(stream.streamEnabled());
        long deadline = System.nanoTime() + CREATE_TIMEOUT.toNanos();
        while (true) {
            TableDescription description = describe(dynamoDb, table);
            if (description != null && ready(description, streamWanted)) {
                return description;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("table " + table + " did not become ACTIVE within " + CREATE_TIMEOUT
                        + ": " + description);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + table, e);
            }
        }
    }

    private static boolean ready(TableDescription description, boolean streamWanted) {
        boolean indexesActive = description.globalSecondaryIndexes().stream()
                .allMatch(i -> i.indexStatusAsString() == null || i.indexStatusAsString().equals("ACTIVE"));
        return description.tableStatus() == TableStatus.ACTIVE && indexesActive
                && (!streamWanted || description.latestStreamArn() != null);
    }

    private static boolean sameTable(CreateTableRequest request, TableDescription existing) {
        StreamSpecification asked = request.streamSpecification();
        boolean streamAsked = asked != null && Boolean.TRUE.equals(asked.streamEnabled());
        StreamSpecification found = existing.streamSpecification();
        boolean streamFound = found != null && Boolean.TRUE.equals(found.streamEnabled());
        boolean sameStream = streamAsked == streamFound
                && (!streamAsked || asked.streamViewType() == found.streamViewType());
        return existing.keySchema().equals(request.keySchema()) && sameStream;
    }

    private static TableDescription describe(DynamoDbClient dynamoDb, String table) {
        try {
            return dynamoDb.describeTable(r -> r.tableName(table)).table();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }
}

package dev.ben.settings.declaration;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A table Ben watches (through its DynamoDB stream) and the rules that turn its changes into events.
 *
 * @param name           stable logical name: part of every event id (so ids survive a table rename), the name of
 *                       the table in {@code BenSettings}, and of the environment variable that can override the
 *                       physical table name ({@link #tableEnvVar()})
 * @param table          the physical table name
 * @param partitionKey   the table's partition key
 * @param sortKey        the table's sort key, {@code null} for none
 * @param streamViewType what the table's stream carries (default NEW_AND_OLD_IMAGES; see {@link StreamViewType})
 * @param rules          at least one rule
 * @param parallelization the notify trigger's parallelization factor on this table's stream (1-10; 0 = the
 *                        default, {@link #DEFAULT_PARALLELIZATION}): batches of one shard processed at once, records
 *                        of one item always in order
 */
public record Source(String name, String table, KeyAttribute partitionKey, KeyAttribute sortKey,
                     StreamViewType streamViewType, List<Rule> rules, int parallelization) {

    /** Concurrent notify batches per stream shard when the declaration does not say. */
    public static final int DEFAULT_PARALLELIZATION = 1;
    /** Lambda's maximum parallelization factor for a stream. */
    public static final int MAX_PARALLELIZATION = 10;

    /** Prefix of {@link #tableEnvVar()}. */
    public static final String TABLE_ENV_PREFIX = "BEN_SOURCE_TABLE_";

    public Source {
        name = name == null ? "" : name;
        table = table == null ? "" : table;
        streamViewType = streamViewType == null ? StreamViewType.NEW_AND_OLD_IMAGES : streamViewType;
        rules = rules == null ? List.of() : List.copyOf(rules);
        parallelization = parallelization == 0 ? DEFAULT_PARALLELIZATION : parallelization;
        if (parallelization < 1 || parallelization > MAX_PARALLELIZATION) {
            throw new IllegalArgumentException("parallelization must be 1-" + MAX_PARALLELIZATION + ", got "
                    + parallelization);
        }
    }

    /** With the default parallelization. */
    public Source(String name, String table, KeyAttribute partitionKey, KeyAttribute sortKey,
                  StreamViewType streamViewType, List<Rule> rules) {
        this(name, table, partitionKey, sortKey, streamViewType, rules, 0);
    }

    /** A source with a partition key only and a NEW_AND_OLD_IMAGES stream. */
    public static Source of(String name, String table, KeyAttribute partitionKey, Rule... rules) {
        return new Source(name, table, partitionKey, null, StreamViewType.NEW_AND_OLD_IMAGES, List.of(rules));
    }

    public Source withSortKey(KeyAttribute key) {
        return new Source(name, table, partitionKey, key, streamViewType, rules, parallelization);
    }

    public Source withStreamViewType(StreamViewType view) {
        return new Source(name, table, partitionKey, sortKey, view, rules, parallelization);
    }

    public Source withParallelization(int factor) {
        return new Source(name, table, partitionKey, sortKey, streamViewType, rules, factor);
    }

    public Optional<KeyAttribute> sortKeyAttribute() {
        return Optional.ofNullable(sortKey);
    }

    /**
     * Environment variable that, when set, overrides {@link #table()} for the functions (the local stack names tables
     * with a test prefix; the CDK app passes the table's generated name): {@code BEN_SOURCE_TABLE_} + the name in
     * upper case with {@code -} as {@code _}, e.g. {@code BEN_SOURCE_TABLE_ORDERS}.
     */
    public String tableEnvVar() {
        return TABLE_ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** The entity id of an item with these key values (see {@link EntityIds}). */
    public String entityId(String partitionValue, String sortValue) {
        return EntityIds.encode(partitionValue, sortKey == null ? null : sortValue);
    }

    /** The key values (partition, then sort key if the table has one) of an entity id of this source. */
    public List<String> keyValues(String entityId) {
        return EntityIds.decode(entityId, sortKey != null);
    }
}

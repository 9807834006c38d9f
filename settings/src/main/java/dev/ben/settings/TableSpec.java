package dev.ben.settings;

import java.util.List;
import java.util.Optional;

/**
 * A DynamoDB table of the stack. Key attributes are strings unless named in {@code numberAttributes}.
 *
 * @param logicalName   stable name used by CDK, SAM and the local stack (the physical name locally)
 * @param envVar        environment variable through which functions receive the physical name
 * @param partitionKey  partition key attribute
 * @param sortKey       sort key attribute, empty for none
 * @param streamView    stream view type (KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES), empty for no stream
 * @param ttlAttribute  TTL attribute, empty for none
 * @param indexes       global secondary indexes
 * @param numberAttributes key attributes of type N (all others are S)
 */
public record TableSpec(
        String logicalName,
        String envVar,
        String partitionKey,
        String sortKey,
        String streamView,
        String ttlAttribute,
        List<IndexSpec> indexes,
        List<String> numberAttributes) {

    public TableSpec {
        indexes = List.copyOf(indexes);
        numberAttributes = List.copyOf(numberAttributes);
    }

    public Optional<String> sortKeyName() {
        return sortKey.isEmpty() ? Optional.empty() : Optional.of(sortKey);
    }

    public Optional<String> streamViewType() {
        return streamView.isEmpty() ? Optional.empty() : Optional.of(streamView);
    }

    public Optional<String> ttl() {
        return ttlAttribute.isEmpty() ? Optional.empty() : Optional.of(ttlAttribute);
    }

    public String attributeType(String attribute) {
        return numberAttributes.contains(attribute) ? "N" : "S";
    }

    /**
     * A global secondary index; {@code sortKey} empty for none. {@link Projection#KEYS_ONLY} keeps an index entry
     * small and means an update that changes no key attribute of the index writes nothing to it (readers fetch
     * the items by key).
     */
    public record IndexSpec(String name, String partitionKey, String sortKey, Projection projection) {
        /** An index with projection ALL. */
        public IndexSpec(String name, String partitionKey, String sortKey) {
            this(name, partitionKey, sortKey, Projection.ALL);
        }

        public Optional<String> sortKeyName() {
            return sortKey.isEmpty() ? Optional.empty() : Optional.of(sortKey);
        }
    }

    /** What an index copies besides the keys: every attribute, or nothing (DynamoDB's ALL and KEYS_ONLY). */
    public enum Projection {
        ALL,
        KEYS_ONLY
    }
}

package dev.ben.infra.iam;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the IAM check knows of a template's resources: logical id → {@code Ref} and attribute values, in
 * {@link ArnSpace}. Each table, queue and API is given its settings' logical name as physical name, so templates
 * and recorded calls name the same things.
 */
public final class Identities {

    private final Map<String, Map<String, String>> byLogicalId = new LinkedHashMap<>();

    public Identities table(String logicalId, String name) {
        byLogicalId.put(logicalId, Map.of("Ref", name, "Arn", ArnSpace.table(name), "StreamArn", ArnSpace.stream(name)));
        return this;
    }

    public Identities queue(String logicalId, String name) {
        byLogicalId.put(logicalId, Map.of("Ref", ArnSpace.queueUrl(name), "Arn", ArnSpace.queue(name),
                "QueueName", name, "QueueUrl", ArnSpace.queueUrl(name)));
        return this;
    }

    public Identities api(String logicalId, String name) {
        byLogicalId.put(logicalId, Map.of("Ref", name, "ApiId", name, "ApiEndpoint", ArnSpace.apiEndpoint(name)));
        return this;
    }

    /** Any other resource a policy may name, by its {@code Ref} only. */
    public Identities other(String logicalId, String ref) {
        byLogicalId.put(logicalId, Map.of("Ref", ref));
        return this;
    }

    public Map<String, Map<String, String>> asMap() {
        return Map.copyOf(byLogicalId);
    }
}

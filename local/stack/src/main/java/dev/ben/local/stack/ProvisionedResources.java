package dev.ben.local.stack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * What {@link LocalAws#provision} created, keyed by the logical names of {@code dev.ben.settings.BenSettings}.
 *
 * @param tableNames  logical table name → physical table name
 * @param tableArns   logical table name → table ARN
 * @param streamArns  logical table name → latest stream ARN (stream-enabled tables only)
 * @param queueUrls   logical queue name → queue URL
 * @param queueArns   logical queue name → queue ARN
 * @param environment environment variables for functions: each table's {@code envVar} → physical name, each
 *                    queue's {@code envVar} → URL, plus region, credentials and endpoint variables
 *                    ({@link LocalAws#clientEnvironment()})
 */
public record ProvisionedResources(
        Map<String, String> tableNames,
        Map<String, String> tableArns,
        Map<String, String> streamArns,
        Map<String, String> queueUrls,
        Map<String, String> queueArns,
        Map<String, String> environment) {

    public ProvisionedResources {
        tableNames = copy(tableNames);
        tableArns = copy(tableArns);
        streamArns = copy(streamArns);
        queueUrls = copy(queueUrls);
        queueArns = copy(queueArns);
        environment = copy(environment);
    }

    public String tableName(String logicalName) {
        return get(tableNames, "table", logicalName);
    }

    public String tableArn(String logicalName) {
        return get(tableArns, "table", logicalName);
    }

    public String streamArn(String logicalName) {
        return get(streamArns, "stream of table", logicalName);
    }

    public String queueUrl(String logicalName) {
        return get(queueUrls, "queue", logicalName);
    }

    public String queueArn(String logicalName) {
        return get(queueArns, "queue", logicalName);
    }

    private static String get(Map<String, String> map, String kind, String logicalName) {
        String value = map.get(logicalName);
        if (value == null) {
            throw new NoSuchElementException("no provisioned " + kind + " named " + logicalName + "; known: "
                    + map.keySet());
        }
        return value;
    }

    private static Map<String, String> copy(Map<String, String> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}

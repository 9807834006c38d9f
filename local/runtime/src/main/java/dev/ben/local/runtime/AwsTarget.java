package dev.ben.local.runtime;

import dev.ben.local.stack.LocalAws;
import dev.ben.local.stack.ProvisionedResources;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where the runtime's functions and event source mappings talk to: endpoints, clients, and the provisioned
 * physical names. The runtime uses only the AWS wire protocol through these clients, so the target can be the
 * local stack, LocalStack or (in principle) AWS.
 *
 * @param region            region of the resources
 * @param dynamoDbEndpoint  DynamoDB (and DynamoDB Streams) endpoint handed to functions
 * @param sqsEndpoint       SQS endpoint handed to functions
 * @param dynamoDb          client for DescribeTable (stream ARNs)
 * @param dynamoDbStreams   client for the stream event source mappings
 * @param sqs               client for the queue event source mappings and on-failure destinations
 * @param tableNames        logical table name → physical name
 * @param queueUrls         logical queue name → queue URL
 * @param environment       base environment for functions (e.g. what the stack's provisioning returned)
 */
public record AwsTarget(
        String region,
        URI dynamoDbEndpoint,
        URI sqsEndpoint,
        DynamoDbClient dynamoDb,
        DynamoDbStreamsClient dynamoDbStreams,
        SqsClient sqs,
        Map<String, String> tableNames,
        Map<String, String> queueUrls,
        Map<String, String> environment) {

    public AwsTarget {
        tableNames = Map.copyOf(tableNames);
        queueUrls = Map.copyOf(queueUrls);
        environment = Map.copyOf(environment);
    }

    /** The local stack (or LocalStack through it) after {@link LocalAws#provision}. */
    public static AwsTarget of(LocalAws aws, ProvisionedResources resources) {
        return new AwsTarget(aws.region(), aws.dynamoDbEndpoint(), aws.sqsEndpoint(), aws.dynamoDb(), aws.dynamoDbStreams(),
                aws.sqs(), resources.tableNames(), resources.queueUrls(), resources.environment());
    }

    public String tableName(String logicalName) {
        String name = tableNames.get(logicalName);
        if (name == null) {
            throw new IllegalArgumentException("table '" + logicalName + "' is not provisioned on this target; provisioned: "
                    + tableNames.keySet());
        }
        return name;
    }

    public String queueUrl(String logicalName) {
        String url = queueUrls.get(logicalName);
        if (url == null) {
            throw new IllegalArgumentException("queue '" + logicalName + "' is not provisioned on this target; provisioned: "
                    + queueUrls.keySet());
        }
        return url;
    }
}

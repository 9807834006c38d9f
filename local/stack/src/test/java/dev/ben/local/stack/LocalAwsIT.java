package dev.ben.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.KeyAttribute;
import dev.ben.settings.declaration.Rule;
import dev.ben.settings.declaration.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(LocalAwsExtension.class)
class LocalAwsIT {

    /** Ben for a one-source declaration like the orders demo's. */
    private static final BenSettings ORDERS_STACK = BenSettings.of(new Declaration(List.of(Source.of("orders",
            "orders", KeyAttribute.string("orderId"), Rule.of("order.paid", Rule.attributes("orderId"))))));

    @Test
    void provision_createsEveryTableWithIndexesTtlAndStreams_andQueuesWithRedrive(LocalAws aws) {
        BenSettings settings = ORDERS_STACK;

        ProvisionedResources resources = aws.provision(settings, "prov-");

        assertThat(resources.tableNames()).hasSize(settings.tables().size());
        TableDescription deliveries = aws.dynamoDb()
                .describeTable(r -> r.tableName(resources.tableName(BenSettings.DELIVERIES_TABLE))).table();
        assertThat(deliveries.globalSecondaryIndexes()).extracting(i -> i.indexName())
                .containsExactlyInAnyOrder("byDue", "byEntity", "byEndpoint");
        assertThat(deliveries.globalSecondaryIndexes()).allMatch(i -> i.indexStatus() == IndexStatus.ACTIVE);
        assertThat(aws.dynamoDb().describeTimeToLive(r -> r.tableName("prov-" + BenSettings.DELIVERIES_TABLE))
                .timeToLiveDescription()).satisfies(ttl -> {
                    assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
                    assertThat(ttl.attributeName()).isEqualTo("expiresAt");
                });
        TableDescription orders = aws.dynamoDb().describeTable(r -> r.tableName("prov-orders")).table();
        assertThat(orders.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(orders.latestStreamArn())
                .isEqualTo(resources.streamArn("orders"))
                .startsWith("arn:aws:dynamodb:us-east-1:000000000000:table/prov-orders/stream/");
        Map<QueueAttributeName, String> retry = aws.sqs().getQueueAttributes(r -> r
                .queueUrl(resources.queueUrl(BenSettings.RETRY_QUEUE)).attributeNames(QueueAttributeName.ALL))
                .attributes();
        assertThat(retry.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("180");
        assertThat(retry.get(QueueAttributeName.REDRIVE_POLICY))
                .contains(resources.queueArn(BenSettings.RETRY_DLQ)).contains("25");
        assertThat(resources.environment())
                .containsEntry("BEN_SOURCE_TABLE_ORDERS", "prov-orders")
                .containsEntry("BEN_RETRY_QUEUE_URL", resources.queueUrl(BenSettings.RETRY_QUEUE))
                .containsEntry("AWS_REGION", "us-east-1")
                .containsEntry(EnvVars.AWS_ENDPOINT_URL_DYNAMODB, aws.dynamoDbEndpoint().toString())
                .containsEntry(EnvVars.AWS_ENDPOINT_URL_SQS, aws.sqsEndpoint().toString());
    }

    @Test
    void provision_isIdempotent(LocalAws aws) {
        ProvisionedResources first = aws.provision(ORDERS_STACK, "again-");

        ProvisionedResources second = aws.provision(ORDERS_STACK, "again-");

        assertThat(second).isEqualTo(first);
    }

    @Test
    void putItem_onStreamTable_isReadableThroughTheLayer(LocalAws aws) {
        ProvisionedResources resources = aws.provision(ORDERS_STACK, "smoke-");
        Map<String, AttributeValue> item = Map.of("orderId", AttributeValue.fromS("o-1"),
                "status", AttributeValue.fromS("PAID"), "version", AttributeValue.fromN("1"));

        aws.dynamoDb().putItem(r -> r.tableName(resources.tableName("orders")).item(item));

        assertThat(aws.dynamoDb().getItem(r -> r.tableName("smoke-orders")
                .key(Map.of("orderId", AttributeValue.fromS("o-1"))).consistentRead(true)).item()).isEqualTo(item);
        String shard = aws.dynamoDbStreams().describeStream(r -> r.streamArn(resources.streamArn("orders")))
                .streamDescription().shards().getFirst().shardId();
        String iterator = aws.dynamoDbStreams().getShardIterator(r -> r.streamArn(resources.streamArn("orders"))
                .shardId(shard).shardIteratorType("TRIM_HORIZON")).shardIterator();
        var records = aws.dynamoDbStreams().getRecords(r -> r.shardIterator(iterator)).records();
        assertThat(records).hasSize(1);
        assertThat(records.getFirst().dynamodb().newImage()).isEqualTo(item);
    }
}

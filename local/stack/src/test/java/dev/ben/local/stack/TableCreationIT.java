package dev.ben.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/** CreateTable that tolerates the SDK's retry meeting the table its first, timed-out attempt created. */
@ExtendWith(LocalAwsExtension.class)
class TableCreationIT {

    private static CreateTableRequest table(String name, String key, StreamViewType stream) {
        CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName(key).attributeType("S"))
                .keySchema(k -> k.attributeName(key).keyType(KeyType.HASH));
        if (stream != null) {
            request.streamSpecification(s -> s.streamEnabled(true).streamViewType(stream));
        }
        return request.build();
    }

    @Test
    void create_returnsTheTableActive_withItsStream(LocalAws aws) {
        String name = StreamTables.uniqueName("created");

        TableDescription table = TableCreation.create(aws.dynamoDb(), table(name, "pk", StreamViewType.NEW_IMAGE));

        assertThat(table.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(table.latestStreamArn()).contains("/" + name + "/stream/");
        assertThat(table.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_IMAGE);
    }

    @Test
    void create_whenTheSameTableExistsAlready_asAfterARetriedAttempt_returnsIt(LocalAws aws) {
        String name = StreamTables.uniqueName("retried");
        CreateTableRequest request = table(name, "pk", StreamViewType.KEYS_ONLY);
        TableDescription first = TableCreation.create(aws.dynamoDb(), request);

        TableDescription again = TableCreation.create(aws.dynamoDb(), request);

        assertThat(again.tableArn()).isEqualTo(first.tableArn());
        assertThat(again.latestStreamArn()).isEqualTo(first.latestStreamArn());
    }

    @Test
    void create_whenAnotherTableOfThatNameExists_fails(LocalAws aws) {
        String name = StreamTables.uniqueName("other");
        TableCreation.create(aws.dynamoDb(), table(name, "pk", StreamViewType.KEYS_ONLY));

        assertThatThrownBy(() -> TableCreation.create(aws.dynamoDb(), table(name, "id", StreamViewType.KEYS_ONLY)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already exists with another key schema or stream");
        assertThatThrownBy(() -> TableCreation.create(aws.dynamoDb(), table(name, "pk", StreamViewType.NEW_IMAGE)))
                .isInstanceOf(IllegalStateException.class);
    }
}

package dev.ben.examples.invoices;

import dev.ben.receiver.kit.IdempotentExecutor;
import dev.ben.reconcile.ReceiverClients;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * B's parts from a function's environment: the ledger, the handler and the executor the webhook and reconcile share
 * (table {@code points-idempotency}, scope {@code points}).
 */
public record PointsWiring(DynamoDbClient dynamoDb, PointsLedger ledger, PointsWebhook handler,
        IdempotentExecutor executor, String idempotencyTable) {

    public static PointsWiring from(Map<String, String> env, String functionName) {
        return from(env, ReceiverClients.dynamoDb(env, functionName));
    }

    public static PointsWiring from(Map<String, String> env, DynamoDbClient dynamoDb) {
        PointsLedger ledger = new PointsLedger(dynamoDb,
                InvoicesExample.tableName(env, InvoicesExample.AWAITING_TABLE),
                InvoicesExample.tableName(env, InvoicesExample.BALANCES_TABLE));
        String idempotencyTable = InvoicesExample.tableName(env, InvoicesExample.IDEMPOTENCY_TABLE);
        IdempotentExecutor executor = IdempotentExecutor.builder().dynamoDb(dynamoDb, idempotencyTable)
                .scope(InvoicesExample.SCOPE).build();
        return new PointsWiring(dynamoDb, ledger, new PointsWebhook(ledger, Clock.systemUTC()), executor,
                idempotencyTable);
    }
}

package dev.ben.admin.internal;

import dev.ben.admin.DeadLetters;
import dev.ben.admin.DeliveryQueries;
import dev.ben.admin.EndpointAdmin;
import dev.ben.admin.Replayer;
import dev.ben.admin.Stats;
import dev.ben.admin.TenantAdmin;
import dev.ben.sender.internal.SenderConfig;
import dev.ben.sender.internal.SenderFunction;
import dev.ben.sender.internal.aws.DynamoDbDeliveryStore;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.sender.internal.aws.SqsRetryQueue;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The management API wired from a function's environment: the sender's clients and stores, then the operations. */
public final class AdminComponents {

    private AdminComponents() {
    }

    public static ManagementApi api(SenderFunction f, Map<String, String> env, Clock clock) {
        SenderConfig config = f.config();
        DynamoDbClient dynamo = f.clients().dynamoDb();
        EndpointRules rules = new EndpointRules(config.addressPolicy());
        EndpointAdmin endpoints = endpoints(f, clock);
        OwnedEndpoints owned = new OwnedEndpoints(endpoints);
        DynamoDbDeliveryStore deliveries = f.components().deliveries();
        SqsRetryQueue queue = f.components().queue();
        Replayer replayer = new Replayer(deliveries, queue, clock);
        DeliveryQueries queries = new DeliveryQueries(dynamo, config.table(BenSettings.DELIVERIES_TABLE), deliveries);
        var operations = new ManagementRoutes.Operations(
                new TenantsApi(new TenantAdmin(dynamo, config.table(BenSettings.TENANTS_TABLE)), rules),
                new EndpointsApi(endpoints, rules, clock),
                new TestEvents(owned, deliveries, queue, clock),
                new DeliveriesApi(deliveries, f.components().attempts(), queries, replayer, clock),
                new RecoveryApi(owned, queries, replayer, clock),
                new OperatorApi(new Stats(dynamo, config.table(BenSettings.DELIVERIES_TABLE),
                        config.table(BenSettings.ATTEMPTS_TABLE)), new DeadLetters(f.clients().sqs(),
                        config.queueUrl(BenSettings.RETRY_DLQ), deliveries, replayer), clock));
        Idempotency idempotency = new Idempotency(new DynamoDbIdempotencyStore(dynamo,
                config.table(BenSettings.IDEMPOTENCY_TABLE)), clock);
        return new ManagementApi(new Authenticator(Optional.ofNullable(env.get(EnvVars.MANAGEMENT_API_TOKEN))),
                ManagementRoutes.router(operations, idempotency), f.telemetry());
    }

    private static EndpointAdmin endpoints(SenderFunction f, Clock clock) {
        String table = f.config().table(BenSettings.ENDPOINTS_TABLE);
        // uncached: an operator reads what was just written
        var store = new DynamoDbEndpointStore(f.clients().dynamoDb(), table, clock, Duration.ZERO, f.telemetry());
        return new EndpointAdmin(f.clients().dynamoDb(), table, store);
    }
}

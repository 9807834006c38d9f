package dev.ben.admin.internal;

import dev.ben.admin.EndpointAdmin;
import dev.ben.admin.TenantAdmin;
import dev.ben.sender.internal.SenderFunction;
import dev.ben.sender.internal.Telemetry;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The management API wired from a function's environment: the sender's clients and stores, then the operations. */
public final class AdminComponents {

    private AdminComponents() {
    }

    public static ManagementApi api(SenderFunction f, Map<String, String> env, Clock clock) {
        var dynamo = f.clients().dynamoDb();
        Telemetry telemetry = f.telemetry();
        String endpointsTable = f.config().table(BenSettings.ENDPOINTS_TABLE);
        // uncached: an operator reads what was just written
        var endpointStore = new DynamoDbEndpointStore(dynamo, endpointsTable, clock, Duration.ZERO, telemetry);
        EndpointRules rules = new EndpointRules(f.config().addressPolicy());
        TenantsApi tenants = new TenantsApi(new TenantAdmin(dynamo, f.config().table(BenSettings.TENANTS_TABLE)),
                rules);
        EndpointsApi endpoints = new EndpointsApi(new EndpointAdmin(dynamo, endpointsTable, endpointStore), rules,
                clock);
        Idempotency idempotency = new Idempotency(new DynamoDbIdempotencyStore(dynamo,
                f.config().table(BenSettings.IDEMPOTENCY_TABLE)), clock);
        return new ManagementApi(new Authenticator(Optional.ofNullable(env.get(EnvVars.MANAGEMENT_API_TOKEN))),
                ManagementRoutes.router(tenants, endpoints, idempotency), telemetry);
    }
}

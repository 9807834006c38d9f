package dev.ben.sender.internal;

import dev.ben.core.egress.AddressPolicy;
import dev.ben.core.egress.EgressGuard;
import dev.ben.core.http.HttpWebhookSender;
import dev.ben.core.http.Signer;
import dev.ben.core.http.WebhookSender;
import dev.ben.core.model.Endpoint;
import dev.ben.core.webhooks.WebhookSecret;
import dev.ben.core.webhooks.WebhookSigner;
import dev.ben.sender.internal.aws.AwsClients;
import dev.ben.sender.internal.aws.DynamoDbAttemptLog;
import dev.ben.sender.internal.aws.DynamoDbDeliveryStore;
import dev.ben.sender.internal.aws.DynamoDbEndpointState;
import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
import dev.ben.sender.internal.aws.DynamoDbEventLog;
import dev.ben.sender.internal.aws.DynamoDbTenantStore;
import dev.ben.sender.internal.aws.SqsRetryQueue;
import dev.ben.settings.BenSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;

/**
 * Everything a sender function needs, built once from the configuration and the SDK clients (the no-arg handler
 * constructors use this; tests build services from their own parts).
 */
public final class SenderComponents {

    private final SenderConfig config;
    private final AwsClients clients;
    private final Clock clock;
    private final Telemetry telemetry;

    public SenderComponents(SenderConfig config, AwsClients clients, Clock clock, Telemetry telemetry) {
        this.config = config;
        this.clients = clients;
        this.clock = clock;
        this.telemetry = telemetry;
    }

    public AwsClients clients() {
        return clients;
    }

    public DynamoDbDeliveryStore deliveries() {
        return new DynamoDbDeliveryStore(clients.dynamoDb(), config.table(BenSettings.DELIVERIES_TABLE),
                config.historyRetention());
    }

    public DynamoDbEndpointStore endpoints() {
        return new DynamoDbEndpointStore(clients.dynamoDb(), config.table(BenSettings.ENDPOINTS_TABLE), clock,
                config.endpointCache(), telemetry);
    }

    public DynamoDbTenantStore tenants() {
        return new DynamoDbTenantStore(clients.dynamoDb(), config.table(BenSettings.TENANTS_TABLE), clock,
                config.endpointCache());
    }

    public DynamoDbEventLog events() {
        return new DynamoDbEventLog(clients.dynamoDb(), config.table(BenSettings.EVENTS_TABLE),
                config.historyRetention());
    }

    public DynamoDbAttemptLog attempts() {
        return new DynamoDbAttemptLog(clients.dynamoDb(), config.table(BenSettings.ATTEMPTS_TABLE),
                config.historyRetention());
    }

    public SqsRetryQueue queue() {
        // the sweeper is not granted the DLQ (it never dead-letters): its URL is optional here
        return new SqsRetryQueue(clients.sqs(), config.queueUrl(BenSettings.RETRY_QUEUE),
                config.optionalQueueUrl(BenSettings.RETRY_DLQ).orElse(""));
    }

    public WebhookSender webhookSender() {
        AddressPolicy policy = config.addressPolicy();
        var http = dev.ben.core.http.SenderConfig.defaults()
                .withTimeouts(config.connectTimeout(), config.requestTimeout())
                .withMaxConcurrency(config.notifyConcurrency());
        return new HttpWebhookSender(new EgressGuard(policy), http, clock);
    }

    /** Standard Webhooks signing with the endpoint's secrets (both during a rotation). */
    public static Function<Endpoint, Signer> signers() {
        return endpoint -> {
            WebhookSigner signer = WebhookSigner.of(endpoint.secrets().stream().map(WebhookSecret::parse).toList());
            return (id, seconds, body) -> signer.sign(id, Instant.ofEpochSecond(seconds),
                    body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).asMap();
        };
    }

    public DeliveryRunner runner(WebhookSender sender) {
        var endpoints = endpoints();
        return new DeliveryRunner(attempts(), endpoints, queue(), sender, signers(), config.policy(), clock,
                telemetry, gate(endpoints, true));
    }

    /** Circuit breakers (probing: see {@link CircuitBreakers}) and rate limits on the endpoint items. */
    public EndpointGate gate(DynamoDbEndpointStore endpoints, boolean probes) {
        var state = new DynamoDbEndpointState(clients.dynamoDb(), config.table(BenSettings.ENDPOINTS_TABLE),
                endpoints, clock);
        return new EndpointGate(new CircuitBreakers(config.circuitPolicy(), state, clock, telemetry, probes), state,
                clock, telemetry);
    }

    /** Reads and validates the declaration first: a bad one fails the handler's construction with every problem. */
    public NotifyService notifyService() {
        var declaration = config.declaration();
        var endpoints = endpoints();
        var queue = queue();
        var runner = new DeliveryRunner(attempts(), endpoints, queue, webhookSender(), signers(), config.policy(),
                clock, telemetry, gate(endpoints, false));
        return new NotifyService(new EventMapper(declaration, config.sourceTables(declaration)), endpoints,
                new UrlEndpoints(tenants()), events(), deliveries(), queue, runner, config.notifyMode(),
                config.notifyConcurrency(), config.maxPayloadBytes(), telemetry, config.notifyLimits());
    }

    public RetryService retryService() {
        var endpoints = endpoints();
        var queue = queue();
        var runner = new DeliveryRunner(attempts(), endpoints, queue, webhookSender(), signers(), config.policy(),
                clock, telemetry, gate(endpoints, true));
        return new RetryService(deliveries(), endpoints, new UrlEndpoints(tenants()), queue, runner, telemetry,
                config.retryBudget(), config.budgetMargin());
    }

    public SweeperService sweeperService() {
        var deliveries = deliveries();
        var queue = queue();
        var parked = new ParkedRelease(endpoints(), deliveries, queue, config.circuitPolicy(), config.schedule(),
                config.sweeperInterval(), config.sweeperMaxPerRun(), telemetry);
        return new SweeperService(deliveries, queue, clock, config.sweeperGrace(), config.sweeperMaxPerRun(),
                telemetry, parked);
    }

    public StatusService statusService() {
        return new StatusService(deliveries(), attempts(), events(), config.statusApiToken());
    }
}

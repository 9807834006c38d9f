package dev.ben.infra;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * A receiver (system B) of Ben's webhooks, for a team outside this repository: its idempotency table, its webhook
 * function behind an HTTP API, the reconcile library's generic function on a schedule, signing secrets read from
 * Secrets Manager or SSM Parameter Store at start-up, permission to call A's status API, and an alarm on records
 * pending past the horizon.
 *
 * <pre>{@code
 * BenReceiver points = new BenReceiver(this, "Points", BenReceiverProps.builder()
 *         .scope("points")
 *         .code(Code.fromAsset("target/function.jar"))
 *         .webhookHandler("com.example.points.PointsReceiverHandler")
 *         .webhookPath("/webhooks/invoices")
 *         .secret(Secret.fromSecretNameV2(this, "Signing", "points/signing"))
 *         .statusApiUrl(senderApiUrl)
 *         .statusApiArn("arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5")
 *         .build());
 * }</pre>
 *
 * <p>IAM, least privilege: both functions read and write the idempotency table only (and what the receiver grants
 * them on its own tables); the webhook reads the one secret or parameter; reconcile may {@code execute-api:Invoke}
 * {@code GET /entities/*}, {@code /events/*} and {@code /deliveries/*} of A's API, any stage. The SAM equivalent is
 * {@code receiver-template.yaml} (checked against this construct by {@code ReceiverTemplateDriftTest}).
 */
public final class BenReceiver extends Construct {

    /** The generic reconcile function of {@code ben-reconcile}. */
    public static final String RECONCILE_HANDLER = "dev.ben.reconcile.ReconcileHandler::handleRequest";
    /** EMF namespace and metric of records pending past the horizon. */
    public static final String METRIC_NAMESPACE = "Ben";
    public static final String PAST_HORIZON_METRIC = "pastHorizon";
    /** Status API routes reconcile may call (GET only). */
    public static final List<String> STATUS_ROUTES = List.of("/*/GET/entities/*", "/*/GET/events/*",
            "/*/GET/deliveries/*");

    private final Table table;
    private final Function webhook;
    private final Function reconcile;
    private final HttpApi api;
    private final Rule schedule;
    private final Alarm horizonAlarm;

    public BenReceiver(Construct scope, String id, BenReceiverProps props) {
        super(scope, id);
        table = Table.Builder.create(this, "IdempotencyTable")
                .partitionKey(Attribute.builder().name("id").type(AttributeType.STRING).build())
                .timeToLiveAttribute("expiresAt")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.AWS_MANAGED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();

        Map<String, String> common = new LinkedHashMap<>(props.environment());
        common.put(props.idempotencyTableEnvVar(), table.getTableName());

        Map<String, String> webhookEnv = new LinkedHashMap<>(common);
        props.secret().ifPresent(s -> webhookEnv.put("BEN_RECEIVER_SECRETS_ARN", s.getSecretArn()));
        props.secretParameter().ifPresent(p -> webhookEnv.put("BEN_RECEIVER_SECRETS_PARAMETER", p.getParameterName()));
        webhook = function("Webhook", props, props.webhookHandler() + "::handleRequest", webhookEnv,
                Duration.seconds(10));
        table.grantReadWriteData(webhook);
        props.secret().ifPresent(s -> s.grantRead(webhook));
        props.secretParameter().ifPresent(p -> p.grantRead(webhook));
        api = HttpApi.Builder.create(this, "Api").description("Ben receiver " + props.scope() + ": webhook").build();
        api.addRoutes(AddRoutesOptions.builder().path(props.webhookPath()).methods(List.of(HttpMethod.POST))
                .integration(new HttpLambdaIntegration("WebhookIntegration", webhook)).build());

        Map<String, String> reconcileEnv = new LinkedHashMap<>(common);
        reconcileEnv.put("BEN_STATUS_API_URL", props.statusApiUrl());
        reconcileEnv.put("BEN_RECONCILE_CURSOR_TABLE", table.getTableName());
        reconcileEnv.put("BEN_RECONCILE_HORIZON", iso(props.horizon()));
        props.reconcileTarget().ifPresent(t -> reconcileEnv.put("BEN_RECONCILE_TARGET", t));
        reconcile = function("Reconcile", props, RECONCILE_HANDLER, reconcileEnv, Duration.seconds(120));
        table.grantReadWriteData(reconcile);
        reconcile.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("execute-api:Invoke"))
                .resources(STATUS_ROUTES.stream().map(route -> props.statusApiArn() + route).toList())
                .build());
        schedule = Rule.Builder.create(this, "ReconcileSchedule")
                .description("Ben receiver " + props.scope() + ": reconcile against A's status API")
                .schedule(Schedule.rate(Duration.minutes(props.reconcileEvery().toMinutes())))
                .targets(List.of(new LambdaFunction(reconcile)))
                .build();

        horizonAlarm = Alarm.Builder.create(this, "PastHorizonAlarm")
                .alarmDescription("Ben receiver " + props.scope() + ": records pending longer than "
                        + props.horizon() + " (reconcile no longer polls them); settle them at B")
                .metric(Metric.Builder.create().namespace(METRIC_NAMESPACE).metricName(PAST_HORIZON_METRIC)
                        .dimensionsMap(Map.of("service", "reconcile", "scope", props.scope()))
                        .statistic("Maximum").period(Duration.hours(1)).build())
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
    }

    /** ISO-8601 as people write it: {@code P7D} rather than {@code PT168H} for whole days. */
    static String iso(java.time.Duration duration) {
        return duration.toSeconds() % 86_400 == 0 ? "P" + duration.toDays() + "D" : duration.toString();
    }

    private Function function(String id, BenReceiverProps props, String handler, Map<String, String> env,
            Duration timeout) {
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs").retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        return Function.Builder.create(this, id + "Function")
                .description("Ben receiver " + props.scope() + ": " + handler)
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(handler)
                .code(props.code())
                .memorySize(props.memoryMb())
                .timeout(timeout)
                .logGroup(logs)
                .environment(env)
                .build();
    }

    /** The idempotency table (pk {@code id}, TTL {@code expiresAt}); it also keeps the reconcile cursor. */
    public Table table() {
        return table;
    }

    public Function webhookFunction() {
        return webhook;
    }

    public Function reconcileFunction() {
        return reconcile;
    }

    public HttpApi api() {
        return api;
    }

    /** The webhook's URL to register at A ({@code ben endpoints add <url>}). */
    public String webhookUrl() {
        return api.getApiEndpoint();
    }

    public Rule schedule() {
        return schedule;
    }

    public Alarm horizonAlarm() {
        return horizonAlarm;
    }
}

package dev.ben.infra;

import static dev.ben.infra.internal.Durations.cdk;

import dev.ben.infra.internal.Durations;
import dev.ben.infra.internal.Names;
import dev.ben.infra.internal.RetryPlan;
import dev.ben.settings.Access;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.Trigger;
import dev.ben.settings.Trigger.HttpAuth;
import dev.ben.settings.Trigger.HttpTrigger;
import dev.ben.settings.Trigger.QueueTrigger;
import dev.ben.settings.Trigger.ScheduleTrigger;
import dev.ben.settings.Trigger.StreamTrigger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRoute;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.StartingPosition;
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The whole Ben stack as one reusable construct: the tables, queues, functions and triggers declared in
 * {@link BenSettings}, wired with least-privilege grants, plus alarms and a dashboard.
 *
 * <p>Every function is deployed as java21 on arm64 with SnapStart on published versions; its triggers are
 * attached to the {@value #ALIAS} alias, so events always reach a SnapStart-enabled version.
 */
public final class BenNotification extends Construct {

    /** Alias every trigger invokes. */
    public static final String ALIAS = "live";
    /** JVM options for fast cold starts (C1 only; SnapStart restores the warmed heap). */
    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private final BenNotificationProps props;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, HttpApi> apis = new LinkedHashMap<>();
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();
    private final Map<String, List<HttpRoute>> routes = new LinkedHashMap<>();
    private final List<Alarm> alarms = new ArrayList<>();
    private final Dashboard dashboard;

    public BenNotification(Construct scope, String id, BenNotificationProps props) {
        super(scope, id);
        this.props = props;
        BenSettings settings = props.settings();
        checkRetryPlan(settings);
        settings.tables().forEach(this::createTable);
        createQueues(settings);
        settings.functions().stream()
                .flatMap(f -> f.triggers().stream())
                .filter(HttpTrigger.class::isInstance)
                .map(t -> ((HttpTrigger) t).api())
                .distinct()
                .forEach(api -> apis.put(api, HttpApi.Builder.create(this, Names.pascal(api) + "Api")
                        .description("Ben " + api + " (HTTP API, payload 2.0)")
                        .build()));
        settings.functions().forEach(this::createFunction);
        settings.functions().forEach(this::attachTriggers);
        grantStatusApiCallers(settings);
        createAlarms(settings);
        this.dashboard = createDashboard(settings);
    }

    public BenNotificationProps props() {
        return props;
    }

    /** Table by logical name (see {@link BenSettings}). */
    public Table table(String logicalName) {
        return lookup(tables, logicalName, "table");
    }

    public Queue queue(String logicalName) {
        return lookup(queues, logicalName, "queue");
    }

    public Function function(String logicalName) {
        return lookup(functions, logicalName, "function");
    }

    /** The {@value #ALIAS} alias of a function; its triggers invoke this. */
    public Alias alias(String logicalName) {
        return lookup(aliases, logicalName, "function");
    }

    public HttpApi api(String name) {
        return lookup(apis, name, "HTTP API");
    }

    public Map<String, HttpApi> apis() {
        return Collections.unmodifiableMap(apis);
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    public Dashboard dashboard() {
        return dashboard;
    }

    private static <T> T lookup(Map<String, T> items, String name, String kind) {
        T item = items.get(name);
        if (item == null) {
            throw new IllegalArgumentException("No " + kind + " named '" + name + "'; known: " + items.keySet());
        }
        return item;
    }

    private void checkRetryPlan(BenSettings settings) {
        for (QueueSpec queue : RetryPlan.retryQueues(settings)) {
            RetryPlan.check(props.retrySchedule(), queue, retentionOf(queue));
        }
        props.memoryMb().keySet().forEach(settings::function);
        props.statusApiCallers().forEach(settings::function);
    }

    private java.time.Duration retentionOf(QueueSpec queue) {
        boolean retryQueue = RetryPlan.retryQueues(props.settings()).contains(queue);
        return retryQueue ? props.retryQueueRetention().orElse(queue.retention()) : queue.retention();
    }

    private void createTable(TableSpec spec) {
        Table.Builder table = Table.Builder.create(this, Names.pascal(spec.logicalName()) + "Table")
                .partitionKey(attribute(spec, spec.partitionKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .removalPolicy(props.tableRemovalPolicy());
        spec.sortKeyName().ifPresent(sk -> table.sortKey(attribute(spec, sk)));
        spec.streamViewType().ifPresent(view -> table.stream(StreamViewType.valueOf(view)));
        spec.ttl().ifPresent(table::timeToLiveAttribute);
        Table built = table.build();
        for (TableSpec.IndexSpec index : spec.indexes()) {
            GlobalSecondaryIndexProps.Builder gsi = GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(attribute(spec, index.partitionKey()))
                    .projectionType(ProjectionType.ALL);
            index.sortKeyName().ifPresent(sk -> gsi.sortKey(attribute(spec, sk)));
            built.addGlobalSecondaryIndex(gsi.build());
        }
        tables.put(spec.logicalName(), built);
    }

    private static Attribute attribute(TableSpec spec, String name) {
        AttributeType type = "N".equals(spec.attributeType(name)) ? AttributeType.NUMBER : AttributeType.STRING;
        return Attribute.builder().name(name).type(type).build();
    }

    private void createQueues(BenSettings settings) {
        // Redrive targets first, so the queues that point at them can be built.
        List<QueueSpec> ordered = new ArrayList<>(settings.queues().stream()
                .filter(q -> q.redriveTarget().isEmpty()).toList());
        ordered.addAll(settings.queues().stream().filter(q -> q.redriveTarget().isPresent()).toList());
        for (QueueSpec spec : ordered) {
            Queue.Builder queue = Queue.Builder.create(this, Names.pascal(spec.logicalName()) + "Queue")
                    .visibilityTimeout(cdk(spec.visibilityTimeout()))
                    .retentionPeriod(cdk(retentionOf(spec)))
                    .encryption(QueueEncryption.SQS_MANAGED)
                    .enforceSsl(true);
            spec.redriveTarget().ifPresent(target -> queue.deadLetterQueue(DeadLetterQueue.builder()
                    .queue(queue(target)).maxReceiveCount(spec.maxReceiveCount()).build()));
            queues.put(spec.logicalName(), queue.build());
        }
    }

    private void createFunction(FunctionSpec spec) {
        String id = Names.pascal(spec.logicalName());
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs")
                .retention(props.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Function function = Function.Builder.create(this, id + "Function")
                .description("Ben " + spec.logicalName() + ": " + spec.handler())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(handlerOf(spec))
                .code(props.code().codeFor(spec))
                .memorySize(props.memoryMb().getOrDefault(spec.logicalName(), spec.memoryMb()))
                .timeout(cdk(spec.timeout()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(logs)
                .environment(environmentOf(spec))
                .build();
        // CDK warns on every SnapStart function that only published versions are snapshotted; we publish one
        // (currentVersion) and every trigger goes through the alias pointing at it.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "versions are published (currentVersion) and all triggers invoke the '" + ALIAS + "' alias");
        spec.tables().forEach(table -> grant(table(table), spec.access(table), function));
        spec.queues().stream().filter(queue -> spec.access(queue) == Access.SEND)
                .forEach(queue -> queue(queue).grantSendMessages(function));
        Alias alias = Alias.Builder.create(this, id + "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
        functions.put(spec.logicalName(), function);
        aliases.put(spec.logicalName(), alias);
    }

    /**
     * The grant of {@link Access}: read, write or both on the table; nothing for {@link Access#TRIGGER_ONLY}, whose
     * event source mapping grants what it needs (stream read on a source table, consume on a queue).
     */
    private static void grant(ITable table, Access access, IGrantable function) {
        switch (access) {
            case READ -> table.grantReadData(function);
            case WRITE -> table.grantWriteData(function);
            case READ_WRITE -> table.grantReadWriteData(function);
            case TRIGGER_ONLY -> { }
            case SEND -> throw new IllegalArgumentException("SEND is an access to a queue, not to a table");
        }
    }

    /** Lambda handler string of a function ({@code Class::handleRequest}). */
    public static String handlerOf(FunctionSpec spec) {
        return spec.handler() + "::handleRequest";
    }

    private Map<String, String> environmentOf(FunctionSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        spec.tables().forEach(t -> env.put(props.settings().table(t).envVar(), table(t).getTableName()));
        spec.queues().forEach(q -> env.put(props.settings().queue(q).envVar(), queue(q).getQueueUrl()));
        env.put(EnvVars.HTTPS_ONLY, Boolean.toString(props.httpsOnly()));
        if (!props.allowedHosts().isEmpty()) {
            env.put(EnvVars.ALLOWED_HOSTS, String.join(",", props.allowedHosts()));
        }
        props.historyRetention().ifPresent(r -> env.put(EnvVars.HISTORY_RETENTION, Durations.format(r)));
        if (!props.retrySchedule().isEmpty()) {
            env.put(EnvVars.RETRY_SCHEDULE, Durations.format(props.retrySchedule()));
        }
        boolean publicWebhook = spec.triggers().stream()
                .anyMatch(t -> t instanceof HttpTrigger http && http.auth() == HttpAuth.NONE);
        if (publicWebhook) {
            props.receiverSecrets().ifPresent(secrets -> env.put(EnvVars.RECEIVER_SECRETS, secrets));
        }
        if (spec.triggers().stream().anyMatch(StreamTrigger.class::isInstance)) {
            // functions reading source streams evaluate the rules (validated, at most 3 KB: see Declaration)
            env.put(EnvVars.DECLARATION, props.declaration().toJson());
        }
        if (props.statusApiCallers().contains(spec.logicalName()) && apis.containsKey(BenSettings.SENDER_API)) {
            env.put(EnvVars.STATUS_API_URL, apis.get(BenSettings.SENDER_API).getApiEndpoint());
        }
        env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        return env;
    }

    private void attachTriggers(FunctionSpec spec) {
        Alias alias = alias(spec.logicalName());
        String id = Names.pascal(spec.logicalName());
        Map<String, HttpLambdaIntegration> integrations = new LinkedHashMap<>();
        for (Trigger trigger : spec.triggers()) {
            switch (trigger) {
                case StreamTrigger stream -> alias.addEventSource(new DynamoEventSource(table(stream.table()),
                        streamSource(stream)));
                case QueueTrigger queue -> alias.addEventSource(new SqsEventSource(queue(queue.queue()),
                        queueSource(queue)));
                case ScheduleTrigger schedule -> Rule.Builder.create(this, Names.pascal(schedule.ruleName()) + "Rule")
                        .description("Ben: " + schedule.expression() + " → " + spec.logicalName())
                        .schedule(Schedule.expression(schedule.expression()))
                        .targets(List.of(new LambdaFunction(alias)))
                        .build();
                case HttpTrigger http -> {
                    HttpLambdaIntegration integration = integrations.computeIfAbsent(http.api(),
                            api -> new HttpLambdaIntegration(id + Names.pascal(api) + "Integration", alias));
                    AddRoutesOptions.Builder route = AddRoutesOptions.builder()
                            .path(http.path())
                            .methods(List.of(HttpMethod.valueOf(http.method())))
                            .integration(integration);
                    if (http.auth() == HttpAuth.IAM) {
                        route.authorizer(new HttpIamAuthorizer());
                    }
                    routes.computeIfAbsent(http.api(), api -> new ArrayList<>())
                            .addAll(api(http.api()).addRoutes(route.build()));
                }
            }
        }
    }

    private software.amazon.awscdk.services.lambda.eventsources.DynamoEventSourceProps streamSource(
            StreamTrigger stream) {
        var source = software.amazon.awscdk.services.lambda.eventsources.DynamoEventSourceProps.builder()
                .startingPosition(StartingPosition.valueOf(stream.startingPosition()))
                .batchSize(stream.batchSize())
                .bisectBatchOnError(stream.bisectBatchOnFunctionError())
                .retryAttempts(stream.maximumRetryAttempts())
                .maxRecordAge(cdk(stream.maximumRecordAge()))
                .reportBatchItemFailures(stream.reportBatchItemFailures())
                .parallelizationFactor(stream.parallelizationFactor())
                .filters(stream.filterPatterns().stream().map(p -> Map.<String, Object>of("pattern", p)).toList())
                // Always explicit, also when zero: the setting is part of what the SAM drift test compares.
                .maxBatchingWindow(cdk(stream.maxBatchingWindow()));
        stream.onFailureDestination().ifPresent(q -> source.onFailure(new SqsDlq(queue(q))));
        return source.build();
    }

    private static software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps queueSource(
            QueueTrigger trigger) {
        var source = software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps.builder()
                .batchSize(trigger.batchSize())
                .reportBatchItemFailures(trigger.reportBatchItemFailures())
                .maxConcurrency(trigger.maximumConcurrency());
        if (!trigger.maxBatchingWindow().isZero()) {
            source.maxBatchingWindow(cdk(trigger.maxBatchingWindow()));
        }
        return source.build();
    }

    private void grantStatusApiCallers(BenSettings settings) {
        List<HttpRoute> statusRoutes = routes.getOrDefault(BenSettings.SENDER_API, List.of());
        for (String caller : props.statusApiCallers()) {
            statusRoutes.forEach(route -> route.grantInvoke(function(caller)));
        }
    }

    /** Queues where failures land: redrive targets and stream on-failure destinations. */
    private Set<String> deadLetterQueues(BenSettings settings) {
        Set<String> names = new LinkedHashSet<>();
        settings.queues().forEach(q -> q.redriveTarget().ifPresent(names::add));
        settings.functions().stream().flatMap(f -> f.triggers().stream())
                .filter(StreamTrigger.class::isInstance)
                .forEach(t -> ((StreamTrigger) t).onFailureDestination().ifPresent(names::add));
        return names;
    }

    /**
     * Deliveries that ended FAILED, summed over every function: the functions publish the EMF metric with a
     * {@code function} dimension (their logical name), so the alarm adds one series per function.
     */
    private MathExpression failedMetric() {
        Map<String, IMetric> series = new LinkedHashMap<>();
        List<String> terms = new ArrayList<>();
        for (FunctionSpec spec : props.settings().functions()) {
            String id = "f" + series.size();
            series.put(id, Metric.Builder.create()
                    .namespace(BenNotificationProps.METRIC_NAMESPACE)
                    .metricName(props.failedMetricName())
                    .dimensionsMap(Map.of(BenNotificationProps.METRIC_DIMENSION, spec.logicalName()))
                    .statistic("Sum")
                    .period(software.amazon.awscdk.Duration.minutes(5))
                    .build());
            terms.add("FILL(" + id + ", 0)");
        }
        return MathExpression.Builder.create()
                .expression("SUM([" + String.join(", ", terms) + "])")
                .usingMetrics(series)
                .label("Deliveries ended FAILED")
                .period(software.amazon.awscdk.Duration.minutes(5))
                .build();
    }

    private void createAlarms(BenSettings settings) {
        for (String dlq : deadLetterQueues(settings)) {
            alarm(Names.pascal(dlq) + "DepthAlarm",
                    "Messages waiting in " + dlq + ": deliveries or stream batches gave up; inspect and redrive",
                    queue(dlq).metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                            .statistic("Maximum").period(software.amazon.awscdk.Duration.minutes(5)).build()),
                    1);
        }
        alarm("FailedDeliveriesAlarm", "Deliveries ended FAILED (retries exhausted or endpoint gone)",
                failedMetric(), props.failedAlarmThreshold());
        for (FunctionSpec spec : settings.functions()) {
            Function function = function(spec.logicalName());
            String id = Names.pascal(spec.logicalName());
            alarm(id + "ErrorsAlarm", "Function " + spec.logicalName() + " failed invocations",
                    function.metricErrors(MetricOptions.builder().statistic("Sum")
                            .period(software.amazon.awscdk.Duration.minutes(5)).build()),
                    1);
            if (spec.triggers().stream().anyMatch(StreamTrigger.class::isInstance)) {
                alarm(id + "IteratorAgeAlarm", "Stream records wait too long before " + spec.logicalName()
                                + " handles them",
                        function.metric("IteratorAge", MetricOptions.builder().statistic("Maximum")
                                .period(software.amazon.awscdk.Duration.minutes(5)).build()),
                        props.iteratorAgeAlarm().toMillis());
            }
        }
    }

    private void alarm(String id, String description, IMetric metric, double threshold) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        props.alarmTopic().ifPresent(topic -> alarm.addAlarmAction(new SnsAction(topic)));
        alarms.add(alarm);
    }

    private Dashboard createDashboard(BenSettings settings) {
        software.amazon.awscdk.Duration period = software.amazon.awscdk.Duration.minutes(5);
        List<IWidget> row1 = new ArrayList<>();
        row1.add(TextWidget.Builder.create()
                .markdown("# Ben\nDeliveries, retries and failures. Alarms: DLQ depth, FAILED deliveries, "
                        + "iterator age, function errors.")
                .width(6).height(6).build());
        row1.add(GraphWidget.Builder.create().title("Deliveries ended FAILED")
                .left(List.of(failedMetric())).width(6).height(6).build());
        row1.add(GraphWidget.Builder.create().title("Queue depth")
                .left(queues.values().stream().map(q -> (IMetric) q.metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().statistic("Maximum").period(period).build())).toList())
                .width(12).height(6).build());
        List<IWidget> row2 = new ArrayList<>();
        row2.add(GraphWidget.Builder.create().title("Invocations")
                .left(functions.values().stream().map(f -> (IMetric) f.metricInvocations(
                        MetricOptions.builder().statistic("Sum").period(period).build())).toList())
                .width(8).height(6).build());
        row2.add(GraphWidget.Builder.create().title("Errors")
                .left(functions.values().stream().map(f -> (IMetric) f.metricErrors(
                        MetricOptions.builder().statistic("Sum").period(period).build())).toList())
                .width(8).height(6).build());
        row2.add(GraphWidget.Builder.create().title("Duration p99")
                .left(functions.values().stream().map(f -> (IMetric) f.metricDuration(
                        MetricOptions.builder().statistic("p99").period(period).build())).toList())
                .width(8).height(6).build());
        List<IMetric> iteratorAge = settings.functions().stream()
                .filter(f -> f.triggers().stream().anyMatch(StreamTrigger.class::isInstance))
                .map(f -> (IMetric) function(f.logicalName()).metric("IteratorAge",
                        MetricOptions.builder().statistic("Maximum").period(period).build()))
                .toList();
        List<IWidget> row3 = new ArrayList<>();
        if (!iteratorAge.isEmpty()) {
            row3.add(GraphWidget.Builder.create().title("Stream iterator age (ms)")
                    .left(iteratorAge).width(12).height(6).build());
        }
        return Dashboard.Builder.create(this, "Dashboard")
                .widgets(row3.isEmpty() ? List.of(row1, row2) : List.of(row1, row2, row3))
                .build();
    }
}

package dev.ben.infra.internal;

import static dev.ben.infra.internal.Durations.cdk;

import dev.ben.settings.Access;
import dev.ben.settings.BenSettings;
import java.time.Duration;
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
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.Source;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Token;
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
import software.amazon.awscdk.services.lambda.eventsources.DynamoEventSourceProps;
import software.amazon.awscdk.services.lambda.eventsources.SqsDlq;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * Builds one part of a Ben deployment into a construct scope, from settings: its tables (except those given),
 * queues, HTTP APIs, functions (java21, arm64, SnapStart, the {@value #ALIAS} alias), triggers, grants by
 * {@link Access}, and alarms. {@code BenSender} is one part; the orders demo adds its receiver as another.
 * Construct ids are the settings' names ({@code Names.pascal(name) + "Table"}, …), so logical ids stay stable.
 */
public final class Parts {

    /** Alias every trigger invokes. */
    public static final String ALIAS = "live";
    /** JVM options for fast cold starts (C1 only; SnapStart restores the warmed heap). */
    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    /** CloudWatch namespace of Ben's EMF metrics. */
    public static final String METRIC_NAMESPACE = "Ben";
    /** EMF dimension the functions put their logical name in. */
    public static final String METRIC_DIMENSION = "function";
    /**
     * Bytes a value CloudFormation fills in at deploy time (a generated table name, a queue URL, an API endpoint)
     * is counted as when the environment is checked against Lambda's 4 KB at synth: more than any of them takes.
     */
    public static final int DEPLOY_TIME_VALUE_BYTES = 128;

    private static final Pattern TOKEN = Pattern.compile("\\$\\{Token\\[[^]]+]}");

    private final Construct scope;
    private final BenSettings settings;
    private final PartOptions options;
    private final Optional<Declaration> declaration;
    private final Map<String, Map<String, String>> extraEnvironment;
    private final Map<String, ITable> tables = new LinkedHashMap<>();
    private final Map<String, Queue> queues = new LinkedHashMap<>();
    private final Map<String, HttpApi> apis = new LinkedHashMap<>();
    private final Map<String, Function> functions = new LinkedHashMap<>();
    private final Map<String, Alias> aliases = new LinkedHashMap<>();
    private final Map<String, List<HttpRoute>> routes = new LinkedHashMap<>();
    private final List<Alarm> alarms = new ArrayList<>();

    /**
     * @param existing         tables of {@code settings} that exist already (the user's sources): used, not created
     * @param declaration      given to functions that read a source's stream ({@value EnvVars#DECLARATION})
     * @param extraEnvironment more environment per function (e.g. the status API's URL for its callers)
     */
    public Parts(Construct scope, BenSettings settings, Map<String, ITable> existing, PartOptions options,
                 Optional<Declaration> declaration, Map<String, Map<String, String>> extraEnvironment) {
        this.scope = scope;
        this.settings = settings;
        this.options = options;
        this.declaration = declaration;
        this.extraEnvironment = Map.copyOf(extraEnvironment);
        checkOptions();
        for (TableSpec spec : settings.tables()) {
            ITable given = existing.get(spec.logicalName());
            tables.put(spec.logicalName(), given != null ? given : createTable(scope, spec, options.tableRemovalPolicy()));
        }
        createQueues();
        settings.functions().stream().flatMap(f -> f.triggers().stream())
                .filter(HttpTrigger.class::isInstance).map(t -> ((HttpTrigger) t).api()).distinct()
                .forEach(api -> apis.put(api, HttpApi.Builder.create(scope, Names.pascal(api) + "Api")
                        .description("Ben " + api + " (HTTP API, payload 2.0)").build()));
        settings.functions().forEach(this::createFunction);
        settings.functions().forEach(this::attachTriggers);
        createAlarms();
    }

    /** A table of Ben's (or the demo's own source table): on-demand, PITR, AWS-managed KMS, GSIs projected as the spec says. */
    public static Table createTable(Construct scope, TableSpec spec, RemovalPolicy removalPolicy) {
        Table.Builder table = Table.Builder.create(scope, Names.pascal(spec.logicalName()) + "Table")
                .partitionKey(attribute(spec, spec.partitionKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .encryption(TableEncryption.AWS_MANAGED)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .removalPolicy(removalPolicy);
        spec.sortKeyName().ifPresent(sk -> table.sortKey(attribute(spec, sk)));
        spec.streamViewType().ifPresent(view -> table.stream(StreamViewType.valueOf(view)));
        spec.ttl().ifPresent(table::timeToLiveAttribute);
        Table built = table.build();
        for (TableSpec.IndexSpec index : spec.indexes()) {
            GlobalSecondaryIndexProps.Builder gsi = GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(attribute(spec, index.partitionKey()))
                    .projectionType(ProjectionType.valueOf(index.projection().name()));
            index.sortKeyName().ifPresent(sk -> gsi.sortKey(attribute(spec, sk)));
            built.addGlobalSecondaryIndex(gsi.build());
        }
        return built;
    }

    public BenSettings settings() {
        return settings;
    }

    public ITable table(String logicalName) {
        return lookup(tables, logicalName, "table");
    }

    public Queue queue(String logicalName) {
        return lookup(queues, logicalName, "queue");
    }

    public Function function(String logicalName) {
        return lookup(functions, logicalName, "function");
    }

    public Alias alias(String logicalName) {
        return lookup(aliases, logicalName, "function");
    }

    public HttpApi api(String name) {
        return lookup(apis, name, "HTTP API");
    }

    public Map<String, ITable> tables() {
        return Collections.unmodifiableMap(tables);
    }

    public Map<String, Queue> queues() {
        return Collections.unmodifiableMap(queues);
    }

    public Map<String, Function> functions() {
        return Collections.unmodifiableMap(functions);
    }

    public Map<String, HttpApi> apis() {
        return Collections.unmodifiableMap(apis);
    }

    /** The routes of one HTTP API (empty when this part has none). */
    public List<HttpRoute> routes(String api) {
        return List.copyOf(routes.getOrDefault(api, List.of()));
    }

    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    private static <T> T lookup(Map<String, T> items, String name, String kind) {
        T item = items.get(name);
        if (item == null) {
            throw new IllegalArgumentException("No " + kind + " named '" + name + "'; known: " + items.keySet());
        }
        return item;
    }

    private void checkOptions() {
        for (QueueSpec queue : RetryPlan.retryQueues(settings)) {
            RetryPlan.check(options.retrySchedule(), queue, retentionOf(queue));
        }
        options.memoryMb().keySet().forEach(settings::function);
        extraEnvironment.keySet().forEach(settings::function);
    }

    private java.time.Duration retentionOf(QueueSpec queue) {
        boolean retryQueue = RetryPlan.retryQueues(settings).contains(queue);
        return retryQueue ? options.retryQueueRetention().orElse(queue.retention()) : queue.retention();
    }

    private static Attribute attribute(TableSpec spec, String name) {
        AttributeType type = "N".equals(spec.attributeType(name)) ? AttributeType.NUMBER : AttributeType.STRING;
        return Attribute.builder().name(name).type(type).build();
    }

    private void createQueues() {
        // Redrive targets first, so the queues that point at them can be built.
        List<QueueSpec> ordered = new ArrayList<>(settings.queues().stream()
                .filter(q -> q.redriveTarget().isEmpty()).toList());
        ordered.addAll(settings.queues().stream().filter(q -> q.redriveTarget().isPresent()).toList());
        for (QueueSpec spec : ordered) {
            Queue.Builder queue = Queue.Builder.create(scope, Names.pascal(spec.logicalName()) + "Queue")
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
        LogGroup logs = LogGroup.Builder.create(scope, id + "Logs")
                .retention(options.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Map<String, String> environment = environmentOf(spec);
        checkEnvironmentSize(spec.logicalName(), environment);
        Function function = Function.Builder.create(scope, id + "Function")
                .description("Ben " + spec.logicalName() + ": " + spec.handler())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(handlerOf(spec))
                .code(options.code().codeFor(spec))
                .memorySize(options.memoryMb().getOrDefault(spec.logicalName(), spec.memoryMb()))
                .timeout(cdk(spec.timeout()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(logs)
                .environment(environment)
                .build();
        // CDK warns on every SnapStart function that only published versions are snapshotted; we publish one
        // (currentVersion) and every trigger goes through the alias pointing at it.
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "versions are published (currentVersion) and all triggers invoke the '" + ALIAS + "' alias");
        spec.tables().forEach(table -> grant(table(table), spec.access(table), function));
        spec.queues().stream().filter(queue -> spec.access(queue) == Access.SEND)
                .forEach(queue -> queue(queue).grantSendMessages(function));
        spec.queues().stream().filter(queue -> spec.access(queue) == Access.CONSUME)
                .forEach(queue -> queue(queue).grantConsumeMessages(function));
        Alias alias = Alias.Builder.create(scope, id + "Alias")
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
            case SEND, CONSUME -> throw new IllegalArgumentException(access + " is an access to a queue, not to a table");
        }
    }

    /** Lambda handler string of a function ({@code Class::handleRequest}). */
    public static String handlerOf(FunctionSpec spec) {
        return spec.handler() + "::handleRequest";
    }

    private Map<String, String> environmentOf(FunctionSpec spec) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String t : spec.tables()) {
            String name = table(t).getTableName();
            if (!namedInTheDeclaration(t, name)) {
                env.put(settings.table(t).envVar(), name);
            }
        }
        spec.queues().forEach(q -> env.put(settings.queue(q).envVar(), queue(q).getQueueUrl()));
        if (readsASource(spec)) {
            env.put(EnvVars.DECLARATION, declaration.orElseThrow(() -> new IllegalStateException(
                    "function " + spec.logicalName() + " reads a source's stream but no declaration was given"))
                    .toJson());
        }
        env.put(EnvVars.HTTPS_ONLY, Boolean.toString(options.httpsOnly()));
        if (!options.allowedHosts().isEmpty()) {
            env.put(EnvVars.ALLOWED_HOSTS, String.join(",", options.allowedHosts()));
        }
        options.historyRetention().ifPresent(r -> env.put(EnvVars.HISTORY_RETENTION, Durations.format(r)));
        if (!options.retrySchedule().isEmpty()) {
            env.put(EnvVars.RETRY_SCHEDULE, Durations.format(options.retrySchedule()));
        }
        env.putAll(extraEnvironment.getOrDefault(spec.logicalName(), Map.of()));
        env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        return env;
    }

    /**
     * A source whose physical name is the one its declaration names needs no override variable: the functions
     * read it from the declaration (and SAM, which cannot name the variable for any source, relies on that).
     */
    private boolean namedInTheDeclaration(String table, String physicalName) {
        if (!settings.sources().contains(table) || Token.isUnresolved(physicalName)) {
            return false;
        }
        return declaration.flatMap(d -> d.source(table)).map(Source::table).filter(physicalName::equals).isPresent();
    }

    private boolean readsASource(FunctionSpec spec) {
        return spec.triggers().stream().anyMatch(t -> t instanceof StreamTrigger s
                && settings.sources().contains(s.table()));
    }

    /**
     * Lambda refuses a function whose environment exceeds 4 KB only at deploy time; fail the synth instead, with
     * deploy-time values counted as {@value #DEPLOY_TIME_VALUE_BYTES} bytes each.
     */
    private static void checkEnvironmentSize(String function, Map<String, String> environment) {
        Map<String, String> estimated = new LinkedHashMap<>();
        environment.forEach((k, v) -> {
            Matcher m = TOKEN.matcher(v);
            estimated.put(k, m.replaceAll("x".repeat(DEPLOY_TIME_VALUE_BYTES)));
        });
        try {
            Declaration.checkEnvironmentSize(function, estimated);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (names and URLs CloudFormation fills in at deploy"
                    + " time counted as " + DEPLOY_TIME_VALUE_BYTES + " bytes each)", e);
        }
    }

    private void attachTriggers(FunctionSpec spec) {
        Alias alias = alias(spec.logicalName());
        String id = Names.pascal(spec.logicalName());
        Map<String, HttpLambdaIntegration> integrations = new LinkedHashMap<>();
        for (Trigger trigger : spec.triggers()) {
            switch (trigger) {
                case StreamTrigger stream -> alias.addEventSource(new DynamoEventSource(streamTable(stream),
                        streamSource(stream)));
                case QueueTrigger queue -> alias.addEventSource(new SqsEventSource(queue(queue.queue()),
                        queueSource(queue)));
                case ScheduleTrigger schedule -> Rule.Builder.create(scope, Names.pascal(schedule.ruleName()) + "Rule")
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

    private ITable streamTable(StreamTrigger stream) {
        ITable table = table(stream.table());
        if (table.getTableStreamArn() == null) {
            throw new IllegalArgumentException("table '" + stream.table() + "' has no stream ARN, which Ben reads:"
                    + " turn its stream on (NEW_AND_OLD_IMAGES) and import it with Table.fromTableAttributes(scope, id,"
                    + " TableAttributes.builder().tableName(...).tableStreamArn(<its LatestStreamArn>).build())");
        }
        return table;
    }

    private DynamoEventSourceProps streamSource(StreamTrigger stream) {
        var source = DynamoEventSourceProps.builder()
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

    private static SqsEventSourceProps queueSource(QueueTrigger trigger) {
        var source = SqsEventSourceProps.builder()
                .batchSize(trigger.batchSize())
                .reportBatchItemFailures(trigger.reportBatchItemFailures())
                .maxConcurrency(trigger.maximumConcurrency());
        if (!trigger.maxBatchingWindow().isZero()) {
            source.maxBatchingWindow(cdk(trigger.maxBatchingWindow()));
        }
        return source.build();
    }

    /** Queues where failures land: redrive targets and stream on-failure destinations. */
    private Set<String> deadLetterQueues() {
        Set<String> names = new LinkedHashSet<>();
        settings.queues().forEach(q -> q.redriveTarget().ifPresent(names::add));
        settings.functions().stream().flatMap(f -> f.triggers().stream())
                .filter(StreamTrigger.class::isInstance)
                .forEach(t -> ((StreamTrigger) t).onFailureDestination().ifPresent(names::add));
        return names;
    }

    /** Functions that deliver (and so may end deliveries FAILED): the sender's. */
    private List<FunctionSpec> deliveringFunctions() {
        return SettingsParts.delivering(settings);
    }

    /**
     * Deliveries that ended FAILED, summed over every delivering function: they publish the EMF metric with a
     * {@value #METRIC_DIMENSION} dimension (their logical name), so the alarm adds one series per function.
     */
    private MathExpression failedMetric() {
        return sumOverDeliveringFunctions(options.failedMetricName(), "Deliveries ended FAILED");
    }

    /** An EMF count metric of the sender functions, summed over their {@value #METRIC_DIMENSION} dimension. */
    private MathExpression sumOverDeliveringFunctions(String metricName, String label) {
        Map<String, IMetric> series = new LinkedHashMap<>();
        List<String> terms = new ArrayList<>();
        for (FunctionSpec spec : deliveringFunctions()) {
            String id = "f" + series.size();
            series.put(id, Metric.Builder.create()
                    .namespace(METRIC_NAMESPACE)
                    .metricName(metricName)
                    .dimensionsMap(Map.of(METRIC_DIMENSION, spec.logicalName()))
                    .statistic("Sum")
                    .period(software.amazon.awscdk.Duration.minutes(5))
                    .build());
            terms.add("FILL(" + id + ", 0)");
        }
        return MathExpression.Builder.create()
                .expression("SUM([" + String.join(", ", terms) + "])")
                .usingMetrics(series)
                .label(label)
                .period(software.amazon.awscdk.Duration.minutes(5))
                .build();
    }

    /** Oldest retry message age that alarms: twice the longest hop (SQS's 15-minute DelaySeconds). */
    static final Duration RETRY_BACKLOG_AGE = Duration.ofMinutes(30);

    /** An alarm on an EMF count of the sender functions: any occurrence in 5 minutes. */
    public record CountAlarm(String metric, String id, String description) {
    }

    /**
     * Alarms on what is never delivered but must not go unnoticed: events for a disabled endpoint (CANCELLED), events
     * no endpoint subscribes to, endpoint rows the sender cannot read, and endpoints whose circuit breaker opened.
     * Deliveries FAILED for a malformed secret or URL are counted by the FAILED alarm.
     */
    public static final List<CountAlarm> UNDELIVERED_ALARMS = List.of(
            new CountAlarm("cancelled", "CancelledDeliveriesAlarm",
                    "Deliveries CANCELLED because their endpoint is disabled; enable it, then ben recover"),
            new CountAlarm("eventsWithoutSubscribers", "EventsWithoutSubscribersAlarm",
                    "Events no endpoint subscribes to (kept on ben-events with the reason)"),
            new CountAlarm("malformedEndpoints", "MalformedEndpointsAlarm",
                    "Endpoint rows the sender cannot read (skipped); fix them with ben endpoints"),
            new CountAlarm("circuitOpened", "CircuitOpenedAlarm",
                    "An endpoint's circuit breaker opened: its deliveries wait in the retry queue"));

    private void createAlarms() {
        for (String dlq : deadLetterQueues()) {
            alarm(Names.pascal(dlq) + "DepthAlarm",
                    "Messages waiting in " + dlq + ": deliveries or stream batches gave up; inspect and redrive",
                    queue(dlq).metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                            .statistic("Maximum").period(software.amazon.awscdk.Duration.minutes(5)).build()),
                    1);
        }
        if (!deliveringFunctions().isEmpty()) {
            alarm("FailedDeliveriesAlarm", "Deliveries ended FAILED (retries exhausted or endpoint gone)",
                    failedMetric(), options.failedAlarmThreshold());
            UNDELIVERED_ALARMS.forEach(a -> alarm(a.id(), a.description(),
                    sumOverDeliveringFunctions(a.metric(), a.description()), 1));
        }
        if (queues.containsKey(BenSettings.RETRY_QUEUE)) {
            alarm("RetryBacklogAgeAlarm", "A retry message waited over " + RETRY_BACKLOG_AGE.toMinutes()
                            + " min: no wait is a message longer than 15 min, so retry is not keeping up",
                    queue(BenSettings.RETRY_QUEUE).metricApproximateAgeOfOldestMessage(MetricOptions.builder()
                            .statistic("Maximum").period(software.amazon.awscdk.Duration.minutes(5)).build()),
                    RETRY_BACKLOG_AGE.toSeconds());
        }
        if (tables.containsKey(BenSettings.DELIVERIES_TABLE)) {
            alarm("DeliveriesWriteThrottleAlarm", "Writes to " + BenSettings.DELIVERIES_TABLE + " throttled (a hot "
                            + "partition or index partition, or the account's table limit)",
                    Metric.Builder.create().namespace("AWS/DynamoDB").metricName("WriteThrottleEvents")
                            .dimensionsMap(Map.of("TableName", table(BenSettings.DELIVERIES_TABLE).getTableName()))
                            .statistic("Sum").period(software.amazon.awscdk.Duration.minutes(5)).build(),
                    1);
        }
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
                        options.iteratorAgeAlarm().toMillis());
            }
        }
    }

    private void alarm(String id, String description, IMetric metric, double threshold) {
        Alarm alarm = Alarm.Builder.create(scope, id)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        options.alarmTopic().ifPresent(topic -> alarm.addAlarmAction(new SnsAction(topic)));
        alarms.add(alarm);
    }

    /** A dashboard of this part: FAILED deliveries, queue depths, and the functions' graphs. */
    public Dashboard createDashboard(String id) {
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
        List<List<IWidget>> rows = new ArrayList<>(List.of(row1, functionWidgets("")));
        if (!row3.isEmpty()) {
            rows.add(row3);
        }
        return Dashboard.Builder.create(scope, id).widgets(rows).build();
    }

    /** Invocations, errors and p99 duration of this part's functions ({@code title} prefixes the graph titles). */
    public List<IWidget> functionWidgets(String title) {
        software.amazon.awscdk.Duration period = software.amazon.awscdk.Duration.minutes(5);
        return List.of(
                GraphWidget.Builder.create().title(title + "Invocations")
                        .left(functions.values().stream().map(f -> (IMetric) f.metricInvocations(
                                MetricOptions.builder().statistic("Sum").period(period).build())).toList())
                        .width(8).height(6).build(),
                GraphWidget.Builder.create().title(title + "Errors")
                        .left(functions.values().stream().map(f -> (IMetric) f.metricErrors(
                                MetricOptions.builder().statistic("Sum").period(period).build())).toList())
                        .width(8).height(6).build(),
                GraphWidget.Builder.create().title(title + "Duration p99")
                        .left(functions.values().stream().map(f -> (IMetric) f.metricDuration(
                                MetricOptions.builder().statistic("p99").period(period).build())).toList())
                        .width(8).height(6).build());
    }
}

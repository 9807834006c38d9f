package dev.ben.infra;

import static dev.ben.infra.CfnResources.at;
import static dev.ben.infra.CfnResources.logicalId;
import static dev.ben.infra.CfnResources.ofType;
import static dev.ben.infra.CfnResources.properties;
import static dev.ben.infra.CfnResources.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ben.infra.iam.ArnSpace;
import dev.ben.infra.iam.PermissionCheck;
import dev.ben.infra.iam.Role;
import dev.ben.infra.internal.Names;
import dev.ben.infra.internal.Parts;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.Trigger;
import dev.ben.settings.Trigger.HttpTrigger;
import dev.ben.settings.Trigger.QueueTrigger;
import dev.ben.settings.Trigger.ScheduleTrigger;
import dev.ben.settings.Trigger.StreamTrigger;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * template.yaml (SAM) against the shared settings and the synthesized CDK stack, so the two deployments of Ben
 * cannot drift: same handlers (which must exist and be RequestHandlers of the right event type), memory,
 * timeouts, environment, event-source settings, schedules, routes, tables, queues and alarms.
 *
 * <p>Checked for the orders demo (the template's defaults) here, and for a user's own table given by parameters in
 * {@link SamTemplateOnGivenTableDriftTest}: the SAM template is compared as CloudFormation instantiates it for the
 * configuration's parameters ({@link SamInstance}).
 */
class SamTemplateDriftTest {

    private static final Path TEMPLATE = repoRoot().resolve("template.yaml");
    private static Map<String, Object> sam;

    private final BenSettings settings = settings();
    private final Template cdk = cdk();
    /** template.yaml for {@link #parameters()}: conditions decided, parameters substituted. */
    private final Map<String, Object> instance;

    SamTemplateDriftTest() {
        instance = SamInstance.of(parseTemplate(), parameters());
    }

    /** The configuration's settings (here: the orders demo's). */
    BenSettings settings() {
        return SynthesizedBen.demoSettings();
    }

    /** The CDK synth of the same configuration. */
    Template cdk() {
        return SynthesizedBen.template();
    }

    /** template.yaml's parameters for the configuration (here: none, the defaults are the demo). */
    Map<String, String> parameters() {
        return Map.of();
    }

    /** Sources that exist already (neither template creates them). */
    Set<String> givenSources() {
        return Set.of();
    }

    /** The SAM template's parameter values in effect. */
    final Map<String, String> parameterValues() {
        return dev.ben.infra.iam.Intrinsics.parameters(sam, parameters());
    }

    private static synchronized Map<String, Object> parseTemplate() {
        if (sam == null) {
            try {
                sam = new YAMLMapper().readValue(TEMPLATE.toFile(), new TypeReference<Map<String, Object>>() { });
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return sam;
    }

    @Test
    void template_isPlainYaml_withLongFormIntrinsics() throws IOException {
        List<String> shortForms = Files.readAllLines(TEMPLATE).stream()
                .filter(line -> !line.stripLeading().startsWith("#"))
                .filter(line -> line.matches(".*(^|[\\s\\[{,:-])!(Ref|GetAtt|Sub|If|Join|Select|Split|Equals|Not)\\b.*"))
                .toList();

        assertThat(shortForms).as("short-form intrinsic tags (use Ref:, Fn::GetAtt: ...)").isEmpty();
        assertThat(sam.get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
    }

    @Test
    void declarationParameter_defaultsToTheDemoDeclaration_andReachesNotifyLikeInCdk() {
        Map<String, Object> parameter = at(sam, "Parameters", "Declaration");
        Map<String, Object> notify = properties(samResources("AWS::Serverless::Function").get("NotifyFunction"));
        Map<String, Object> cdkNotify = at(properties(resource(cdk, "AWS::Lambda::Function", "notify", "Function")),
                "Environment", "Variables");

        assertThat(parameter.get("Default")).isEqualTo(SynthesizedBen.demoDeclaration().toJson());
        assertThat(dev.ben.settings.declaration.Declaration.parse((String) parameter.get("Default")))
                .isEqualTo(SynthesizedBen.demoDeclaration());
        assertThat((Object) at(sam, "Resources", "NotifyFunction", "Properties", "Environment", "Variables",
                EnvVars.DECLARATION)).isEqualTo(Map.of("Ref", "Declaration"));
        assertThat((Object) at(notify, "Environment", "Variables", EnvVars.DECLARATION))
                .isEqualTo(parameterValues().get("Declaration")).isEqualTo(cdkNotify.get(EnvVars.DECLARATION));
        assertThat(dev.ben.settings.declaration.Declaration.parse(parameterValues().get("Declaration")))
                .as("the declaration the settings come from").satisfies(d -> assertThat(settings.tables())
                        .containsAll(BenSettings.of(d).tables()));
    }

    @Test
    void sourceParameters_forSamDeployGuided_describeThemselvesAndRefuseWrongValues() {
        Map<String, Map<String, Object>> parameters = at(sam, "Parameters");
        parameters.forEach((name, p) -> assertThat((String) p.get("Description")).as(name).isNotBlank());
        assertThat(parameters.get("ReceiverSecrets").get("NoEcho")).isEqualTo(true);
        assertThat((Integer) parameters.get("Declaration").get("MaxLength"))
                .isEqualTo(dev.ben.settings.declaration.Declaration.MAX_JSON_BYTES);
        Map<String, List<String>> accepted = Map.of(
                "SourceTableName", List.of("", "invoices", "my.table_2-prod"),
                "SourceStreamArn", List.of("", SynthesizedBen.INVOICES_STREAM,
                        "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/t-1/stream/2026-01-01T00:00:00.000"),
                "SourceEvents", List.of("INSERT,MODIFY", "REMOVE", "INSERT,MODIFY,REMOVE"));
        Map<String, List<String>> refused = Map.of(
                "SourceTableName", List.of("ab", "my table"),
                "SourceStreamArn", List.of("arn:aws:sqs:us-east-1:123456789012:q", "invoices"),
                "SourceEvents", List.of("UPDATE", "INSERT,", "insert"));
        accepted.forEach((name, values) -> values.forEach(v -> assertThat(v).as(name)
                .matches((String) parameters.get(name).get("AllowedPattern"))));
        refused.forEach((name, values) -> values.forEach(v -> assertThat(v).as(name)
                .doesNotMatch((String) parameters.get(name).get("AllowedPattern"))));
        Map<String, Object> givenSource = at(sam, "Rules", "GivenSourceNeedsItsStream");
        assertThat(givenSource.get("Assertions")).as("a given table needs its stream ARN").isNotNull();
    }

    @Test
    void everyHandler_existsAndIsARequestHandlerOfItsTriggersEventType() throws Exception {
        for (FunctionSpec spec : settings.functions()) {
            Class<?> handler = handlerClass(spec);

            assertThat(RequestHandler.class).as(spec.handler()).isAssignableFrom(handler);
            assertThat(Modifier.isPublic(handler.getConstructor().getModifiers()))
                    .as(spec.handler() + " has a public no-arg constructor for the Lambda runtime").isTrue();
            Set<Class<?>> expected = spec.triggers().stream().map(SamTemplateDriftTest::eventType)
                    .collect(Collectors.toSet());
            assertThat(expected).as(spec.logicalName() + " triggers of one event type").hasSize(1);
            assertThat(requestType(handler)).as(spec.handler() + " input").isEqualTo(expected.iterator().next());
        }
    }

    @Test
    void functions_sameHandlersMemoryTimeoutRuntimeAndEnvironment() {
        Map<String, Map<String, Object>> functions = samResources("AWS::Serverless::Function");
        Map<String, Object> globals = at(instance, "Globals", "Function");
        assertThat(functions.keySet()).containsExactlyInAnyOrderElementsOf(settings.functions().stream()
                .map(f -> Names.pascal(f.logicalName()) + "Function").toList());
        assertThat(globals.get("Runtime")).isEqualTo("java21");
        assertThat(globals.get("Architectures")).isEqualTo(List.of("arm64"));
        assertThat(globals.get("AutoPublishAlias")).isEqualTo(BenNotification.ALIAS);
        assertThat(globals.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
        Map<String, Object> globalEnv = at(globals, "Environment", "Variables");
        assertThat(globalEnv.get("JAVA_TOOL_OPTIONS")).isEqualTo(BenNotification.JAVA_TOOL_OPTIONS);
        assertThat(((Map<String, Object>) at(sam, "Globals", "Function", "Environment", "Variables")).keySet())
                .contains(EnvVars.HTTPS_ONLY, EnvVars.RETRY_SCHEDULE, EnvVars.ALLOWED_HOSTS, EnvVars.HISTORY_RETENTION);

        for (FunctionSpec spec : settings.functions()) {
            Map<String, Object> samFn = properties(functions.get(Names.pascal(spec.logicalName()) + "Function"));
            Map<String, Object> cdkFn = properties(resource(cdk, "AWS::Lambda::Function", spec.logicalName(),
                    "Function"));

            assertThat(samFn.get("Handler")).as(spec.logicalName()).isEqualTo(BenNotification.handlerOf(spec))
                    .isEqualTo(cdkFn.get("Handler"));
            assertThat(samFn.get("MemorySize")).as(spec.logicalName()).isEqualTo(spec.memoryMb())
                    .isEqualTo(cdkFn.get("MemorySize"));
            assertThat(samFn.get("Timeout")).as(spec.logicalName()).isEqualTo((int) spec.timeout().toSeconds())
                    .isEqualTo(cdkFn.get("Timeout"));
            assertThat(cdkFn.get("Runtime")).isEqualTo(globals.get("Runtime"));
            assertThat(cdkFn.get("Architectures")).isEqualTo(globals.get("Architectures"));
            assertThat(cdkFn.get("SnapStart")).isEqualTo(globals.get("SnapStart"));
            Set<String> samEnv = new HashSet<>(((Map<String, Object>) at(samFn, "Environment", "Variables")).keySet());
            globalEnv.forEach((key, value) -> {
                boolean conditional = value instanceof Map<?, ?> m && m.containsKey("Fn::If");
                if (!conditional) {
                    samEnv.add(key);
                }
            });
            Map<String, Object> cdkEnv = at(cdkFn, "Environment", "Variables");
            assertThat(samEnv).as(spec.logicalName() + " environment").containsExactlyInAnyOrderElementsOf(
                    cdkEnv.keySet());
            spec.tables().forEach(t -> assertThat((Object) at(samFn, "Environment", "Variables",
                    settings.table(t).envVar())).as(spec.logicalName() + " " + t)
                    .isEqualTo(givenSources().contains(t) ? null : Map.of("Ref", Names.pascal(t) + "Table")));
            spec.queues().forEach(q -> assertThat((Object) at(samFn, "Environment", "Variables",
                    settings.queue(q).envVar())).isEqualTo(Map.of("Ref", Names.pascal(q) + "Queue")));
        }
    }

    @Test
    void streamEvents_sameSettingsAsTheCdkEventSourceMappings() {
        for (FunctionSpec spec : settings.functions()) {
            for (StreamTrigger trigger : BenNotificationTest.triggers(spec, StreamTrigger.class)) {
                boolean given = givenSources().contains(trigger.table());
                Map<String, Object> event = samEvent(spec, "DynamoDB", "Stream", given
                        ? parameterValues().get("SourceStreamArn")
                        : Map.of("Fn::GetAtt", List.of(Names.pascal(trigger.table()) + "Table", "StreamArn")));
                Map<String, Object> mapping = cdkMapping(given ? SynthesizedBen.INVOICES_STREAM
                        : CfnResources.getAtt(logicalId(cdk, "AWS::DynamoDB::Table", trigger.table(), "Table"),
                        "StreamArn"));

                for (String key : List.of("StartingPosition", "BatchSize", "MaximumBatchingWindowInSeconds",
                        "BisectBatchOnFunctionError", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds",
                        "ParallelizationFactor", "FunctionResponseTypes", "FilterCriteria")) {
                    assertThat(event.get(key)).as(spec.logicalName() + " " + key).isEqualTo(mapping.get(key));
                }
                assertThat(event.get("BatchSize")).isEqualTo(trigger.batchSize());
                assertThat(event.get("MaximumRetryAttempts")).isEqualTo(trigger.maximumRetryAttempts());
                assertThat((Object) at(event, "DestinationConfig", "OnFailure", "Destination")).isEqualTo(Map.of(
                        "Fn::GetAtt", List.of(Names.pascal(trigger.onFailureQueue()) + "Queue", "Arn")));
                assertThat((Object) at(event, "DestinationConfig", "OnFailure", "Type")).isEqualTo("SQS");
            }
        }
    }

    @Test
    void queueEvents_sameSettingsAsTheCdkEventSourceMappings() {
        for (FunctionSpec spec : settings.functions()) {
            for (QueueTrigger trigger : BenNotificationTest.triggers(spec, QueueTrigger.class)) {
                Map<String, Object> event = samEvent(spec, "SQS", "Queue",
                        Map.of("Fn::GetAtt", List.of(Names.pascal(trigger.queue()) + "Queue", "Arn")));
                Map<String, Object> mapping = cdkMapping(CfnResources.getAtt(logicalId(cdk, "AWS::SQS::Queue",
                        trigger.queue(), "Queue"), "Arn"));

                for (String key : List.of("BatchSize", "MaximumBatchingWindowInSeconds", "FunctionResponseTypes",
                        "ScalingConfig")) {
                    assertThat(event.get(key)).as(spec.logicalName() + " " + key).isEqualTo(mapping.get(key));
                }
                assertThat(event.get("BatchSize")).isEqualTo(trigger.batchSize());
            }
        }
    }

    @Test
    void schedules_sameExpressionsOnTheSameFunctions() {
        Map<String, Set<String>> samSchedules = new LinkedHashMap<>();
        Map<String, Set<String>> cdkSchedules = new LinkedHashMap<>();
        Map<String, Set<String>> settingsSchedules = new LinkedHashMap<>();
        for (FunctionSpec spec : settings.functions()) {
            String alias = logicalId(cdk, "AWS::Lambda::Alias", spec.logicalName(), "Alias");
            samSchedules.put(spec.logicalName(), samEvents(spec, "Schedule").stream()
                    .map(e -> (String) e.get("Schedule")).collect(Collectors.toSet()));
            cdkSchedules.put(spec.logicalName(), ofType(cdk, "AWS::Events::Rule").values().stream()
                    .map(CfnResources::properties)
                    .filter(r -> Map.of("Ref", alias).equals(at(r, "Targets", 0, "Arn")))
                    .map(r -> (String) r.get("ScheduleExpression")).collect(Collectors.toSet()));
            settingsSchedules.put(spec.logicalName(), BenNotificationTest.triggers(spec, ScheduleTrigger.class)
                    .stream().map(ScheduleTrigger::expression).collect(Collectors.toSet()));
        }

        assertThat(samSchedules).isEqualTo(settingsSchedules).isEqualTo(cdkSchedules);
        assertThat(settingsSchedules.values().stream().mapToInt(Set::size).sum()).isPositive();
    }

    @Test
    void routes_sameMethodsPathsApisAndAuth() {
        Set<String> samRoutes = new HashSet<>();
        Set<String> settingsRoutes = new HashSet<>();
        for (FunctionSpec spec : settings.functions()) {
            for (Map<String, Object> event : samEvents(spec, "HttpApi")) {
                assertThat(event.get("PayloadFormatVersion")).isEqualTo("2.0");
                String auth = "AWS_IAM".equals(at(event, "Auth", "Authorizer")) ? "IAM" : "NONE";
                samRoutes.add(spec.logicalName() + " " + at(event, "ApiId", "Ref") + " " + event.get("Method") + " "
                        + event.get("Path") + " " + auth);
            }
            for (HttpTrigger trigger : BenNotificationTest.triggers(spec, HttpTrigger.class)) {
                settingsRoutes.add(spec.logicalName() + " " + Names.pascal(trigger.api()) + " " + trigger.method()
                        + " " + trigger.path() + " " + trigger.auth());
            }
        }
        Set<String> cdkRoutes = ofType(cdk, "AWS::ApiGatewayV2::Route").values().stream()
                .map(CfnResources::properties)
                .map(r -> r.get("RouteKey") + " " + ("AWS_IAM".equals(r.get("AuthorizationType")) ? "IAM" : "NONE"))
                .collect(Collectors.toSet());

        assertThat(samRoutes).isEqualTo(settingsRoutes);
        assertThat(settingsRoutes.stream().map(r -> r.substring(r.indexOf(' ', r.indexOf(' ') + 1) + 1))
                .collect(Collectors.toSet())).isEqualTo(cdkRoutes);
        Set<String> iamApis = settings.functions().stream()
                .flatMap(f -> BenNotificationTest.triggers(f, HttpTrigger.class).stream())
                .filter(t -> t.auth() == Trigger.HttpAuth.IAM).map(HttpTrigger::api).collect(Collectors.toSet());
        assertThat(iamApis).contains(BenSettings.SENDER_API);
        for (String api : iamApis) {
            Map<String, Object> samApi = samResources("AWS::Serverless::HttpApi").get(Names.pascal(api));
            assertThat((Object) at(properties(samApi), "Auth", "EnableIamAuthorizer")).as(api).isEqualTo(true);
        }
        assertThat(samResources("AWS::Serverless::HttpApi").keySet()).containsExactlyInAnyOrderElementsOf(
                settings.functions().stream().flatMap(f -> BenNotificationTest.triggers(f, HttpTrigger.class).stream())
                        .map(t -> Names.pascal(t.api())).collect(Collectors.toSet()));
    }

    /**
     * The same function gets the same access in both templates: by access class (read, write, stream read, send,
     * consume) on every table, index, stream and queue of the settings, and Invoke on every route. (Whether that
     * access is the least the calls need is {@code IamFromCallsIT}'s question.)
     */
    @Test
    void iam_samAndCdkRolesGrantTheSameAccess_onEveryTableIndexStreamQueueAndRoute() {
        Map<String, Role> samRoles = IamTemplates.samRoles(parseTemplate(), "template.yaml", settings, parameters());
        Map<String, Role> cdkRoles = IamTemplates.cdkRoles(cdk, settings);
        List<String> routes = settings.functions().stream()
                .flatMap(f -> BenNotificationTest.triggers(f, HttpTrigger.class).stream())
                .map(t -> ArnSpace.apiRoute(t.api(), t.method(), t.path())).toList();

        for (FunctionSpec spec : settings.functions()) {
            Set<String> sam = PermissionCheck.accessSummary(samRoles.get(spec.logicalName()), settings, routes);
            Set<String> cdkAccess = PermissionCheck.accessSummary(cdkRoles.get(spec.logicalName()), settings, routes);
            // what the event source mappings do with the role: SAM grants it through managed policies, CDK through
            // the mapping's own grant (both held to the mappings' needs by IamFromCallsIT)
            cdkAccess.removeAll(eventSourceAccess(spec));

            assertThat(sam).as(spec.logicalName() + ": template.yaml's role vs the CDK role").isEqualTo(cdkAccess);
            assertThat(cdkAccess).as(spec.logicalName() + " may do something").isNotEmpty();
        }
    }

    private Set<String> eventSourceAccess(FunctionSpec spec) {
        Set<String> access = new HashSet<>();
        for (Trigger trigger : spec.triggers()) {
            switch (trigger) {
                case StreamTrigger s -> access.add(ArnSpace.stream(s.table()) + " → STREAM_READ");
                case QueueTrigger q -> access.add(ArnSpace.queue(q.queue()) + " → QUEUE_CONSUME");
                case ScheduleTrigger s -> { }
                case HttpTrigger h -> { }
            }
        }
        return access;
    }

    @Test
    void tables_sameKeysIndexesStreamsTtlPitrAndEncryption() {
        Map<String, Map<String, Object>> tables = samResources("AWS::DynamoDB::Table");
        List<TableSpec> created = settings.tables().stream().filter(t -> !givenSources().contains(t.logicalName()))
                .toList();
        assertThat(tables.keySet()).containsExactlyInAnyOrderElementsOf(created.stream()
                .map(t -> Names.pascal(t.logicalName()) + "Table").toList());
        assertThat(ofType(cdk, "AWS::DynamoDB::Table")).hasSameSizeAs(created);
        for (TableSpec spec : created) {
            Map<String, Object> samTable = tables.get(Names.pascal(spec.logicalName()) + "Table");
            assertThat(samTable).as(spec.logicalName()).isNotNull();
            Map<String, Object> s = properties(samTable);
            Map<String, Object> c = properties(resource(cdk, "AWS::DynamoDB::Table", spec.logicalName(), "Table"));

            for (String key : List.of("KeySchema", "BillingMode", "StreamSpecification",
                    "PointInTimeRecoverySpecification", "SSESpecification", "TimeToLiveSpecification")) {
                assertThat(s.get(key)).as(spec.logicalName() + " " + key).isEqualTo(c.get(key));
            }
            assertThat(new HashSet<>((List<?>) s.get("AttributeDefinitions"))).as(spec.logicalName())
                    .isEqualTo(new HashSet<>((List<?>) c.get("AttributeDefinitions")));
            assertThat(indexes(s)).as(spec.logicalName()).isEqualTo(indexes(c));
            assertThat(samTable.get("DeletionPolicy")).isEqualTo("Retain");
        }
    }

    @Test
    void queues_sameVisibilityRetentionRedriveAndEncryption() {
        Map<String, Map<String, Object>> queues = samResources("AWS::SQS::Queue");
        assertThat(queues).hasSameSizeAs(settings.queues());
        for (QueueSpec spec : settings.queues()) {
            Map<String, Object> s = properties(queues.get(Names.pascal(spec.logicalName()) + "Queue"));
            Map<String, Object> c = properties(resource(cdk, "AWS::SQS::Queue", spec.logicalName(), "Queue"));

            for (String key : List.of("VisibilityTimeout", "MessageRetentionPeriod", "SqsManagedSseEnabled")) {
                assertThat(s.get(key)).as(spec.logicalName() + " " + key).isEqualTo(c.get(key));
            }
            assertThat((Object) at(s, "RedrivePolicy", "maxReceiveCount"))
                    .isEqualTo(at(c, "RedrivePolicy", "maxReceiveCount"));
            assertThat((Object) at(s, "RedrivePolicy", "deadLetterTargetArn")).isEqualTo(spec.redriveTarget()
                    .map(dlq -> Map.of("Fn::GetAtt", List.of(Names.pascal(dlq) + "Queue", "Arn"))).orElse(null));
        }
    }

    @Test
    void alarms_coverTheSameDeadLetterQueuesAndFailedMetric() {
        List<Map<String, Object>> samAlarms = samResources("AWS::CloudWatch::Alarm").values().stream()
                .map(CfnResources::properties).toList();
        Set<String> samDlqs = samAlarms.stream()
                .filter(a -> "ApproximateNumberOfMessagesVisible".equals(a.get("MetricName")))
                .map(a -> (String) ((List<?>) at(a, "Dimensions", 0, "Value", "Fn::GetAtt")).get(0))
                .collect(Collectors.toSet());
        Set<String> cdkDlqs = ofType(cdk, "AWS::CloudWatch::Alarm").values().stream().map(CfnResources::properties)
                .filter(a -> "ApproximateNumberOfMessagesVisible".equals(a.get("MetricName")))
                .map(a -> (String) ((List<?>) at(a, "Dimensions", 0, "Value", "Fn::GetAtt")).get(0))
                .map(id -> settings.queues().stream().map(QueueSpec::logicalName)
                        .filter(q -> id.matches("Ben" + Names.pascal(q) + "Queue[0-9A-F]{8}")).findFirst().orElseThrow())
                .map(q -> Names.pascal(q) + "Queue")
                .collect(Collectors.toSet());

        assertThat(samDlqs).isEqualTo(cdkDlqs).isNotEmpty();
        List<Map<String, Object>> cdkAlarms = ofType(cdk, "AWS::CloudWatch::Alarm").values().stream()
                .map(CfnResources::properties).toList();
        assertThat(summedSeries(samAlarms, "failed")).isEqualTo(summedSeries(cdkAlarms, "failed"))
                .hasSameSizeAs(dev.ben.infra.internal.SettingsParts.delivering(settings));
        for (Parts.CountAlarm alarm : Parts.UNDELIVERED_ALARMS) {
            assertThat(summedSeries(samAlarms, alarm.metric())).as(alarm.id())
                    .isEqualTo(summedSeries(cdkAlarms, alarm.metric()))
                    .hasSameSizeAs(dev.ben.infra.internal.SettingsParts.delivering(settings));
        }
    }

    @Test
    void alarms_onTheRetryBacklogAgeAndDeliveriesThrottling_areTheSameInBoth() {
        for (String metric : List.of("ApproximateAgeOfOldestMessage", "WriteThrottleEvents")) {
            Map<String, Object> sam = alarmOn(samResources("AWS::CloudWatch::Alarm").values(), metric);
            Map<String, Object> c = alarmOn(ofType(cdk, "AWS::CloudWatch::Alarm").values(), metric);
            for (String key : List.of("Namespace", "Statistic", "Period", "Threshold", "ComparisonOperator",
                    "AlarmDescription")) {
                assertThat(String.valueOf(sam.get(key))).as(metric + " " + key).isEqualTo(String.valueOf(c.get(key)));
            }
        }
    }

    private static Map<String, Object> alarmOn(Collection<Map<String, Object>> alarms, String metric) {
        return alarms.stream().map(CfnResources::properties).filter(a -> metric.equals(a.get("MetricName")))
                .findFirst().orElseThrow(() -> new AssertionError("no alarm on " + metric));
    }

    /** The series of one EMF metric summed by an alarm (the alarms with a SUM expression). */
    private static Set<Object> summedSeries(List<Map<String, Object>> alarms, String metricName) {
        return alarms.stream()
                .filter(a -> a.get("Metrics") instanceof List<?> metrics && metrics.stream()
                        .anyMatch(m -> String.valueOf(((Map<?, ?>) m).get("Expression")).startsWith("SUM(")))
                .flatMap(a -> ((List<?>) a.get("Metrics")).stream())
                .map(m -> (Object) at(m, "MetricStat", "Metric"))
                .filter(java.util.Objects::nonNull)
                .filter(m -> metricName.equals(((Map<?, ?>) m).get("MetricName")))
                .collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------ helpers

    private static Class<?> eventType(Trigger trigger) {
        return switch (trigger) {
            case StreamTrigger s -> DynamodbEvent.class;
            case QueueTrigger q -> SQSEvent.class;
            case ScheduleTrigger s -> ScheduledEvent.class;
            case HttpTrigger h -> APIGatewayV2HTTPEvent.class;
        };
    }

    /** The I of the RequestHandler<I, O> the class (or a superclass) implements. */
    private static Type requestType(Class<?> handler) {
        for (Class<?> c = handler; c != null; c = c.getSuperclass()) {
            for (Type type : c.getGenericInterfaces()) {
                if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments()[0];
                }
            }
        }
        throw new AssertionError(handler + " does not declare RequestHandler<I, O> with concrete types");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> samResources(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        ((Map<String, Object>) instance.get("Resources")).forEach((id, r) -> {
            Map<String, Object> resource = (Map<String, Object>) r;
            if (type.equals(resource.get("Type"))) {
                found.put(id, resource);
            }
        });
        return found;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> samEvents(FunctionSpec spec, String type) {
        Map<String, Object> function = samResources("AWS::Serverless::Function")
                .get(Names.pascal(spec.logicalName()) + "Function");
        Map<String, Object> events = (Map<String, Object>) properties(function).getOrDefault("Events", Map.of());
        List<Map<String, Object>> found = new ArrayList<>();
        events.values().forEach(e -> {
            Map<String, Object> event = (Map<String, Object>) e;
            if (type.equals(event.get("Type"))) {
                found.add((Map<String, Object>) event.get("Properties"));
            }
        });
        return found;
    }

    private Map<String, Object> samEvent(FunctionSpec spec, String type, String sourceKey, Object source) {
        return samEvents(spec, type).stream().filter(e -> source.equals(e.get(sourceKey))).findFirst()
                .orElseThrow(() -> new AssertionError(spec.logicalName() + ": no " + type + " event from " + source));
    }

    private Map<String, Object> cdkMapping(Object eventSourceArn) {
        return ofType(cdk, "AWS::Lambda::EventSourceMapping").values().stream().map(CfnResources::properties)
                .filter(p -> eventSourceArn.equals(p.get("EventSourceArn"))).findFirst().orElseThrow();
    }

    private static Set<Object> indexes(Map<String, Object> table) {
        List<?> indexes = (List<?>) table.getOrDefault("GlobalSecondaryIndexes", List.of());
        return new HashSet<>(indexes);
    }

    static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }

    /** Fails (never skips) when a handler declared in the settings is missing from its module. */
    private static Class<?> handlerClass(FunctionSpec spec) {
        try {
            return Class.forName(spec.handler());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("Handler " + spec.handler() + " of function '" + spec.logicalName()
                    + "' (BenSettings) is not in module " + spec.module() + ": template.yaml and the CDK app deploy it",
                    e);
        }
    }
}

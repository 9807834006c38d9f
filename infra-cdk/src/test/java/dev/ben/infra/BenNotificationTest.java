package dev.ben.infra;

import static dev.ben.infra.CfnResources.at;
import static dev.ben.infra.CfnResources.getAtt;
import static dev.ben.infra.CfnResources.logicalId;
import static dev.ben.infra.CfnResources.ofType;
import static dev.ben.infra.CfnResources.properties;
import static dev.ben.infra.CfnResources.ref;
import static dev.ben.infra.CfnResources.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.infra.internal.Parts;
import dev.ben.infra.internal.SettingsParts;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.Trigger.HttpAuth;
import dev.ben.settings.Trigger.HttpTrigger;
import dev.ben.settings.Trigger.QueueTrigger;
import dev.ben.settings.Trigger.ScheduleTrigger;
import dev.ben.settings.Trigger.StreamTrigger;
import dev.ben.settings.declaration.Source;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The synthesized default stack against {@link BenSettings}: every spec and trigger becomes the right resources. */
class BenNotificationTest {

    private final BenSettings settings = SynthesizedBen.demoSettings();
    private final Template template = SynthesizedBen.template();

    @Test
    void synth_printsNoValidationWarningsOrErrors() {
        assertThat(SynthesizedBen.annotations().findWarning("*", Match.anyValue())).isEmpty();
        assertThat(SynthesizedBen.annotations().findError("*", Match.anyValue())).isEmpty();
    }

    @Test
    void tables_matchSettings_withStreamsTtlPointInTimeRecoveryAndEncryption() {
        assertThat(ofType(template, "AWS::DynamoDB::Table")).hasSize(settings.tables().size());
        for (TableSpec spec : settings.tables()) {
            Map<String, Object> table = resource(template, "AWS::DynamoDB::Table", spec.logicalName(), "Table");
            Map<String, Object> p = properties(table);

            List<Map<String, Object>> keys = new ArrayList<>(List.of(Map.of("AttributeName", spec.partitionKey(),
                    "KeyType", "HASH")));
            spec.sortKeyName().ifPresent(sk -> keys.add(Map.of("AttributeName", sk, "KeyType", "RANGE")));
            assertThat(p.get("KeySchema")).as(spec.logicalName()).isEqualTo(keys);
            List<Map<String, Object>> attributes = at(p, "AttributeDefinitions");
            attributes.forEach(a -> assertThat(a.get("AttributeType")).as(spec.logicalName() + " " + a)
                    .isEqualTo(spec.attributeType((String) a.get("AttributeName"))));
            assertThat(p.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
            assertThat((Object) at(p, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")).isEqualTo(true);
            assertThat((Object) at(p, "SSESpecification", "SSEEnabled")).as(spec.logicalName()).isEqualTo(true);
            assertThat((Object) at(p, "StreamSpecification", "StreamViewType")).as(spec.logicalName())
                    .isEqualTo(spec.streamViewType().orElse(null));
            assertThat((Object) at(p, "TimeToLiveSpecification", "AttributeName")).as(spec.logicalName())
                    .isEqualTo(spec.ttl().orElse(null));
            List<Map<String, Object>> indexes = at(p, "GlobalSecondaryIndexes");
            assertThat(indexes == null ? List.of() : indexes.stream().map(i -> i.get("IndexName")).toList())
                    .containsExactlyElementsOf(spec.indexes().stream().map(TableSpec.IndexSpec::name).toList());
            for (TableSpec.IndexSpec index : spec.indexes()) {
                Map<String, Object> gsi = indexes.stream().filter(i -> index.name().equals(i.get("IndexName")))
                        .findFirst().orElseThrow();
                assertThat((Object) at(gsi, "KeySchema", 0, "AttributeName")).isEqualTo(index.partitionKey());
                assertThat((Object) at(gsi, "Projection", "ProjectionType")).isEqualTo(index.projection().name());
                index.sortKeyName().ifPresent(sk -> assertThat((Object) at(gsi, "KeySchema", 1, "AttributeName"))
                        .isEqualTo(sk));
            }
            assertThat(table.get("DeletionPolicy")).as("tables survive stack deletion").isEqualTo("Retain");
        }
    }

    @Test
    void queues_matchSettings_visibilityAtLeastSixRetryTimeouts_retentionAndRedrive() {
        assertThat(ofType(template, "AWS::SQS::Queue")).hasSize(settings.queues().size());
        for (QueueSpec spec : settings.queues()) {
            Map<String, Object> p = properties(resource(template, "AWS::SQS::Queue", spec.logicalName(), "Queue"));

            assertThat(p.get("VisibilityTimeout")).as(spec.logicalName())
                    .isEqualTo((int) spec.visibilityTimeout().toSeconds());
            assertThat(p.get("MessageRetentionPeriod")).isEqualTo((int) spec.retention().toSeconds());
            assertThat(p.get("SqsManagedSseEnabled")).isEqualTo(true);
            if (spec.redriveTarget().isPresent()) {
                String dlq = logicalId(template, "AWS::SQS::Queue", spec.deadLetterQueue(), "Queue");
                assertThat((Object) at(p, "RedrivePolicy", "deadLetterTargetArn")).isEqualTo(getAtt(dlq, "Arn"));
                assertThat((Object) at(p, "RedrivePolicy", "maxReceiveCount")).isEqualTo(spec.maxReceiveCount());
            } else {
                assertThat(p).doesNotContainKey("RedrivePolicy");
            }
        }
        int retryTimeout = (int) settings.function("retry").timeout().toSeconds();
        Map<String, Object> retryQueue = properties(resource(template, "AWS::SQS::Queue", BenSettings.RETRY_QUEUE,
                "Queue"));
        assertThat((Integer) retryQueue.get("VisibilityTimeout")).isGreaterThanOrEqualTo(6 * retryTimeout);
    }

    @Test
    void queues_refuseNonTlsAccess() {
        template.resourcePropertiesCountIs("AWS::SQS::QueuePolicy", Match.objectLike(Map.of(
                "PolicyDocument", Map.of("Statement", List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))),
                settings.queues().size());
    }

    @Test
    void functions_matchSettings_java21Arm64SnapStartWithEnvironment() {
        assertThat(ofType(template, "AWS::Lambda::Function")).hasSize(settings.functions().size());
        for (FunctionSpec spec : settings.functions()) {
            Map<String, Object> p = properties(resource(template, "AWS::Lambda::Function", spec.logicalName(),
                    "Function"));

            assertThat(p.get("Handler")).isEqualTo(spec.handler() + "::handleRequest");
            assertThat(p.get("Runtime")).isEqualTo("java21");
            assertThat(p.get("Architectures")).isEqualTo(List.of("arm64"));
            assertThat(p.get("MemorySize")).as(spec.logicalName()).isEqualTo(spec.memoryMb());
            assertThat(p.get("Timeout")).isEqualTo((int) spec.timeout().toSeconds());
            assertThat(p.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            Map<String, Object> env = at(p, "Environment", "Variables");
            for (String table : spec.tables()) {
                assertThat(env.get(settings.table(table).envVar())).as(spec.logicalName() + " → " + table)
                        .isEqualTo(ref(logicalId(template, "AWS::DynamoDB::Table", table, "Table")));
            }
            for (String queue : spec.queues()) {
                assertThat(env.get(settings.queue(queue).envVar())).as(spec.logicalName() + " → " + queue)
                        .isEqualTo(ref(logicalId(template, "AWS::SQS::Queue", queue, "Queue")));
            }
            assertThat(env).containsEntry(EnvVars.HTTPS_ONLY, "true");
            Set<String> expectedKeys = new java.util.HashSet<>();
            spec.tables().forEach(t -> expectedKeys.add(settings.table(t).envVar()));
            spec.queues().forEach(q -> expectedKeys.add(settings.queue(q).envVar()));
            assertThat(env.keySet()).as("no table/queue env var the function does not use")
                    .filteredOn(k -> k.endsWith("_TABLE") || k.startsWith(Source.TABLE_ENV_PREFIX)
                            || k.endsWith("_URL") && !k.equals(EnvVars.STATUS_API_URL))
                    .containsExactlyInAnyOrderElementsOf(expectedKeys);
        }
        Map<String, Object> receiverEnv = at(properties(resource(template, "AWS::Lambda::Function", "receiver",
                "Function")), "Environment", "Variables");
        assertThat(receiverEnv.get(EnvVars.RECEIVER_SECRETS)).isEqualTo(ref(BenStack.RECEIVER_SECRETS_PARAMETER));
        Map<String, Object> reconcileEnv = at(properties(resource(template, "AWS::Lambda::Function", "reconcile",
                "Function")), "Environment", "Variables");
        assertThat(reconcileEnv.get(EnvVars.STATUS_API_URL)).isEqualTo(getAtt(logicalId(template,
                "AWS::ApiGatewayV2::Api", BenSettings.SENDER_API, "Api"), "ApiEndpoint"));
    }

    @Test
    void receiverSecrets_parameterIsNoEcho() {
        template.hasParameter(BenStack.RECEIVER_SECRETS_PARAMETER, Map.of("Type", "String", "NoEcho", true,
                "MinLength", 1, "Description", Match.anyValue()));
    }

    @Test
    void aStackOnAUsersDeclarationAlone_deploysBenOnly_withoutReceiverSecretsParameter() {
        BenStack stack = new BenStack(new App(), "UsersOwn", StackProps.builder().build(),
                BenNotificationProps.builder().declaration(SynthesizedBen.invoicesDeclaration())
                        .code(SynthesizedBen.placeholderCode()));

        Template own = Template.fromStack(stack);

        assertThat(own.findParameters(BenStack.RECEIVER_SECRETS_PARAMETER)).isEmpty();
        assertThat(ofType(own, "AWS::Lambda::Function")).hasSize(
                BenSettings.of(SynthesizedBen.invoicesDeclaration()).functions().size());
        assertThat(BenSettings.of(SynthesizedBen.invoicesDeclaration()).functions()).extracting(FunctionSpec::module)
                .containsOnly(SettingsParts.SENDER_MODULE, SettingsParts.ADMIN_MODULE);
    }

    @Test
    void everyFunction_hasPublishedVersionAndLiveAlias() {
        for (FunctionSpec spec : settings.functions()) {
            String function = logicalId(template, "AWS::Lambda::Function", spec.logicalName(), "Function");
            Map<String, Object> alias = properties(resource(template, "AWS::Lambda::Alias", spec.logicalName(),
                    "Alias"));

            assertThat(alias.get("Name")).isEqualTo(BenNotification.ALIAS);
            assertThat(alias.get("FunctionName")).isEqualTo(ref(function));
            List<Object> version = at(alias, "FunctionVersion", "Fn::GetAtt");
            Map<String, Object> versionResource = ofType(template, "AWS::Lambda::Version").get((String) version.get(0));
            assertThat(versionResource).as(spec.logicalName() + " alias points at a published version").isNotNull();
            assertThat(properties(versionResource).get("FunctionName")).isEqualTo(ref(function));
        }
    }

    @Test
    void streamTriggers_becomeEventSourceMappingsOnTheAlias_withEverySetting() {
        for (FunctionSpec spec : settings.functions()) {
            for (StreamTrigger trigger : triggers(spec, StreamTrigger.class)) {
                String table = logicalId(template, "AWS::DynamoDB::Table", trigger.table(), "Table");
                Map<String, Object> p = mappingFrom(getAtt(table, "StreamArn"));

                assertThat(p.get("FunctionName")).as("event source on the alias").isEqualTo(aliasFunctionName(spec));
                assertThat(p.get("BatchSize")).isEqualTo(trigger.batchSize());
                assertThat(p.get("MaximumBatchingWindowInSeconds"))
                        .isEqualTo((int) trigger.maxBatchingWindow().toSeconds());
                assertThat(p.get("StartingPosition")).isEqualTo(trigger.startingPosition());
                assertThat(p.get("BisectBatchOnFunctionError")).isEqualTo(trigger.bisectBatchOnFunctionError());
                assertThat(p.get("MaximumRetryAttempts")).isEqualTo(trigger.maximumRetryAttempts());
                assertThat(p.get("MaximumRecordAgeInSeconds")).isEqualTo((int) trigger.maximumRecordAge().toSeconds());
                assertThat(p.get("ParallelizationFactor")).isEqualTo(trigger.parallelizationFactor());
                assertThat(p.get("FunctionResponseTypes")).isEqualTo(trigger.reportBatchItemFailures()
                        ? List.of("ReportBatchItemFailures") : null);
                assertThat((Object) at(p, "FilterCriteria", "Filters")).isEqualTo(trigger.filterPatterns().stream()
                        .map(pattern -> Map.of("Pattern", pattern)).toList());
                assertThat((Object) at(p, "DestinationConfig", "OnFailure", "Destination")).isEqualTo(getAtt(
                        logicalId(template, "AWS::SQS::Queue", trigger.onFailureQueue(), "Queue"), "Arn"));
            }
        }
    }

    @Test
    void queueTriggers_becomeEventSourceMappingsOnTheAlias_withPartialBatchResponses() {
        for (FunctionSpec spec : settings.functions()) {
            for (QueueTrigger trigger : triggers(spec, QueueTrigger.class)) {
                String queue = logicalId(template, "AWS::SQS::Queue", trigger.queue(), "Queue");
                Map<String, Object> p = mappingFrom(getAtt(queue, "Arn"));

                assertThat(p.get("FunctionName")).isEqualTo(aliasFunctionName(spec));
                assertThat(p.get("BatchSize")).isEqualTo(trigger.batchSize());
                assertThat(p.get("MaximumBatchingWindowInSeconds")).isEqualTo(trigger.maxBatchingWindow().isZero()
                        ? null : (int) trigger.maxBatchingWindow().toSeconds());
                assertThat(p.get("FunctionResponseTypes")).isEqualTo(trigger.reportBatchItemFailures()
                        ? List.of("ReportBatchItemFailures") : null);
                assertThat((Object) at(p, "ScalingConfig", "MaximumConcurrency"))
                        .isEqualTo(trigger.maximumConcurrency());
            }
        }
    }

    @Test
    void eventSourceMappings_oneForEachStreamAndQueueTrigger() {
        long expected = settings.functions().stream().flatMap(f -> f.triggers().stream())
                .filter(t -> t instanceof StreamTrigger || t instanceof QueueTrigger).count();

        assertThat(ofType(template, "AWS::Lambda::EventSourceMapping")).hasSize((int) expected);
    }

    @Test
    void scheduleTriggers_becomeEventBridgeRulesTargetingTheAlias() {
        int count = 0;
        for (FunctionSpec spec : settings.functions()) {
            for (ScheduleTrigger trigger : triggers(spec, ScheduleTrigger.class)) {
                Map<String, Object> p = properties(resource(template, "AWS::Events::Rule", trigger.ruleName(),
                        "Rule"));

                assertThat(p.get("ScheduleExpression")).isEqualTo(trigger.expression());
                assertThat(p.get("State")).isEqualTo("ENABLED");
                assertThat((Object) at(p, "Targets", 0, "Arn")).isEqualTo(ref(logicalId(template,
                        "AWS::Lambda::Alias", spec.logicalName(), "Alias")));
                count++;
            }
        }
        assertThat(ofType(template, "AWS::Events::Rule")).hasSize(count);
    }

    @Test
    void httpTriggers_becomeRoutesWithTheirAuth_onPayload2Integrations() {
        List<HttpTrigger> http = settings.functions().stream().flatMap(f -> triggers(f, HttpTrigger.class).stream())
                .toList();
        assertThat(ofType(template, "AWS::ApiGatewayV2::Route")).hasSize(http.size());
        assertThat(ofType(template, "AWS::ApiGatewayV2::Api"))
                .hasSize((int) http.stream().map(HttpTrigger::api).distinct().count());
        for (FunctionSpec spec : settings.functions()) {
            for (HttpTrigger trigger : triggers(spec, HttpTrigger.class)) {
                String api = logicalId(template, "AWS::ApiGatewayV2::Api", trigger.api(), "Api");
                Map<String, Object> route = ofType(template, "AWS::ApiGatewayV2::Route").values().stream()
                        .map(CfnResources::properties)
                        .filter(r -> (trigger.method() + " " + trigger.path()).equals(r.get("RouteKey")))
                        .findFirst().orElseThrow(() -> new AssertionError("no route for " + trigger));

                assertThat(route.get("ApiId")).isEqualTo(ref(api));
                assertThat(route.get("AuthorizationType")).isEqualTo(trigger.auth() == HttpAuth.IAM ? "AWS_IAM"
                        : "NONE");
                List<Object> target = at(route, "Target", "Fn::Join", 1);
                Map<String, Object> integration = properties(ofType(template, "AWS::ApiGatewayV2::Integration")
                        .get(((Map<?, ?>) target.get(1)).get("Ref")));
                assertThat(integration.get("PayloadFormatVersion")).isEqualTo("2.0");
                assertThat(integration.get("IntegrationType")).isEqualTo("AWS_PROXY");
                assertThat(integration.get("IntegrationUri")).isEqualTo(ref(logicalId(template,
                        "AWS::Lambda::Alias", spec.logicalName(), "Alias")));
            }
        }
    }

    @Test
    void iam_allowsNoWildcardActions_andEveryFunctionReachesOnlyItsOwnTablesAndQueues() {
        Map<String, Map<String, Object>> policies = ofType(template, "AWS::IAM::Policy");
        for (Map<String, Object> policy : policies.values()) {
            List<Map<String, Object>> statements = at(properties(policy), "PolicyDocument", "Statement");
            for (Map<String, Object> statement : statements) {
                assertThat(actions(statement)).as("allowed actions of " + statement)
                        .allSatisfy(action -> assertThat(action).doesNotContain("*"));
            }
        }
        for (FunctionSpec spec : settings.functions()) {
            String role = logicalId(template, "AWS::IAM::Role", spec.logicalName(), "FunctionServiceRole");
            String policy = policies.entrySet().stream()
                    .filter(e -> at(properties(e.getValue()), "Roles", 0) instanceof Map<?, ?> r
                            && role.equals(r.get("Ref")))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            String document = properties(policies.get(policy)).get("PolicyDocument").toString();
            for (TableSpec table : settings.tables()) {
                String tableId = logicalId(template, "AWS::DynamoDB::Table", table.logicalName(), "Table");
                assertThat(document.contains(tableId)).as(spec.logicalName() + " may use " + table.logicalName())
                        .isEqualTo(spec.tables().contains(table.logicalName()));
            }
            for (QueueSpec queue : settings.queues()) {
                String queueId = logicalId(template, "AWS::SQS::Queue", queue.logicalName(), "Queue");
                boolean uses = spec.queues().contains(queue.logicalName()) || spec.triggers().stream().anyMatch(t ->
                        t instanceof QueueTrigger q && q.queue().equals(queue.logicalName())
                                || t instanceof StreamTrigger s && s.onFailureQueue().equals(queue.logicalName()));
                assertThat(document.contains(queueId)).as(spec.logicalName() + " may use " + queue.logicalName())
                        .isEqualTo(uses);
            }
            assertThat(document.contains("execute-api:Invoke")).as(spec.logicalName() + " may call the status API")
                    .isEqualTo(spec.logicalName().equals("reconcile"));
        }
    }

    @Test
    void alarms_coverDeadLetterQueuesFailedDeliveriesIteratorAgeAndErrors() {
        Collection<Map<String, Object>> alarms = ofType(template, "AWS::CloudWatch::Alarm").values().stream()
                .map(CfnResources::properties).toList();
        for (String dlq : List.of(BenSettings.RETRY_DLQ, BenSettings.NOTIFY_FAILURES_QUEUE)) {
            String queue = logicalId(template, "AWS::SQS::Queue", dlq, "Queue");
            assertThat(alarms).as("depth alarm on " + dlq).anySatisfy(a -> {
                assertThat(a.get("MetricName")).isEqualTo("ApproximateNumberOfMessagesVisible");
                assertThat((Object) at(a, "Dimensions", 0, "Value")).isEqualTo(getAtt(queue, "QueueName"));
                assertThat(a.get("Threshold")).isEqualTo(1);
            });
        }
        assertThat(alarms).as("FAILED deliveries from EMF, summed over every delivering (sender) function's dimension")
                .anySatisfy(a -> {
                    List<Map<String, Object>> metrics = at(a, "Metrics");
                    assertThat(metrics).anySatisfy(m -> assertThat((String) m.get("Expression")).startsWith("SUM(["));
                    List<Object> series = metrics.stream().filter(m -> m.containsKey("MetricStat"))
                            .map(m -> (Object) at(m, "MetricStat", "Metric")).toList();
                    assertThat(series).containsExactlyInAnyOrderElementsOf(SettingsParts.delivering(settings)
                            .stream().map(f -> (Object) Map.of("Namespace", BenNotificationProps.METRIC_NAMESPACE,
                                    "MetricName", "failed",
                                    "Dimensions", List.of(Map.of("Name", BenNotificationProps.METRIC_DIMENSION,
                                            "Value", f.logicalName()))))
                            .toList());
                });
        for (FunctionSpec spec : settings.functions()) {
            String function = logicalId(template, "AWS::Lambda::Function", spec.logicalName(), "Function");
            assertThat(alarms).as("errors of " + spec.logicalName()).anySatisfy(a -> {
                assertThat(a.get("MetricName")).isEqualTo("Errors");
                assertThat((Object) at(a, "Dimensions", 0, "Value")).isEqualTo(ref(function));
            });
            boolean stream = !triggers(spec, StreamTrigger.class).isEmpty();
            assertThat(alarms.stream().anyMatch(a -> "IteratorAge".equals(a.get("MetricName"))
                    && ref(function).equals(at(a, "Dimensions", 0, "Value"))))
                    .as("iterator age alarm of " + spec.logicalName()).isEqualTo(stream);
        }
        for (Parts.CountAlarm undelivered : Parts.UNDELIVERED_ALARMS) {
            assertThat(alarms).filteredOn(a -> a.containsKey("Metrics"))
                    .as("alarm on " + undelivered.metric() + ", summed over the sender functions")
                    .anySatisfy(a -> {
                        List<Map<String, Object>> metrics = at(a, "Metrics");
                        assertThat(metrics.stream().filter(m -> m.containsKey("MetricStat"))
                                .map(m -> (String) at(m, "MetricStat", "Metric", "MetricName")).toList())
                                .hasSameSizeAs(SettingsParts.delivering(settings))
                                .containsOnly(undelivered.metric());
                        assertThat(a.get("Threshold")).isEqualTo(1);
                    });
        }
        assertThat(alarms).allSatisfy(a -> assertThat(a.get("TreatMissingData")).isEqualTo("notBreaching"));
    }

    @Test
    void dashboard_showsFailuresQueuesAndEveryFunction() {
        Map<String, Object> dashboard = ofType(template, "AWS::CloudWatch::Dashboard").values().iterator().next();
        String body = String.valueOf(properties(dashboard).get("DashboardBody"));

        assertThat(body).contains("[\"Ben\",\"failed\",\"function\",\"notify\"", "SUM([FILL(", "ApproximateNumberOfMessagesVisible",
                "IteratorAge", "Invocations", "Errors", "Duration");
        for (FunctionSpec spec : settings.functions()) {
            assertThat(body).contains(logicalId(template, "AWS::Lambda::Function", spec.logicalName(), "Function"));
        }
    }

    private Map<String, Object> mappingFrom(Object eventSourceArn) {
        return ofType(template, "AWS::Lambda::EventSourceMapping").values().stream()
                .map(CfnResources::properties)
                .filter(p -> eventSourceArn.equals(p.get("EventSourceArn")))
                .findFirst().orElseThrow(() -> new AssertionError("no event source mapping from " + eventSourceArn));
    }

    private Object aliasFunctionName(FunctionSpec spec) {
        String alias = logicalId(template, "AWS::Lambda::Alias", spec.logicalName(), "Alias");
        return Map.of("Fn::Join", List.of("", List.of(
                Map.of("Fn::Select", List.of(6, Map.of("Fn::Split", List.of(":", ref(alias))))),
                ":" + BenNotification.ALIAS)));
    }

    static <T> List<T> triggers(FunctionSpec spec, Class<T> type) {
        return spec.triggers().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> actions(Map<String, Object> statement) {
        Object action = statement.get("Action");
        return action instanceof List<?> list ? (List<String>) list : List.of((String) action);
    }

    static Set<String> names(Collection<FunctionSpec> functions) {
        return functions.stream().map(FunctionSpec::logicalName).collect(Collectors.toSet());
    }
}

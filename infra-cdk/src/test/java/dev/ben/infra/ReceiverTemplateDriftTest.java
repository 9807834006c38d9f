package dev.ben.infra;

import static dev.ben.infra.CfnResources.at;
import static dev.ben.infra.CfnResources.ofType;
import static dev.ben.infra.CfnResources.properties;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.infra.iam.ArnSpace;
import dev.ben.infra.internal.Names;
import dev.ben.infra.iam.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * {@code receiver-template.yaml} (SAM) against {@link BenReceiver} (CDK) for the same receiver: the same table, the
 * same two functions (handler, runtime, memory, timeout, environment variable names), the same schedule and alarm,
 * and execution roles that allow the calls the receiver's code makes — and refuse what it does not need.
 */
class ReceiverTemplateDriftTest {

    /**
     * The calls the code makes, per function: the kit's DynamoDbIdempotencyStore (PutItem, GetItem, UpdateItem,
     * DeleteItem) and the reconcile cursor (GetItem, PutItem, DeleteItem) on the idempotency table; SigningSecrets'
     * GetSecretValue or GetParameter at start-up (webhook); HttpStatusApi's GET of A's entity events (reconcile).
     */
    private static final List<String> TABLE_CALLS = List.of("dynamodb:PutItem", "dynamodb:GetItem",
            "dynamodb:UpdateItem", "dynamodb:DeleteItem");

    private static Map<String, Object> sam(boolean parameterStore) {
        return SamInstance.of(ReceiverTemplates.samTemplate(), ReceiverTemplates.samParameters(parameterStore));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> samResource(Map<String, Object> sam, String id) {
        return (Map<String, Object>) ((Map<String, Object>) sam.get("Resources")).get(id);
    }

    private static Map<String, Object> cdkFunction(Template cdk, String name) {
        return properties(CfnResources.resource(cdk, "AWS::Lambda::Function", name, "Function"));
    }

    @Test
    void template_isPlainYaml_withLongFormIntrinsics() throws IOException {
        List<String> shortForms = Files.readAllLines(ReceiverTemplates.SAM_TEMPLATE).stream()
                .filter(line -> !line.stripLeading().startsWith("#"))
                .filter(line -> line.matches(".*(^|[\\s\\[{,:-])!(Ref|GetAtt|Sub|If|Join|Select|Split|Equals|Not)\\b.*"))
                .toList();

        assertThat(shortForms).isEmpty();
        assertThat(ReceiverTemplates.samTemplate().get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
    }

    @Test
    void idempotencyTable_isTheSame_pkIdTtlExpiresAtOnDemandPitr() {
        Map<String, Object> samTable = properties(samResource(sam(false), "IdempotencyTable"));
        Map<String, Object> cdkTable = properties(CfnResources.resource(ReceiverTemplates.cdk(false),
                "AWS::DynamoDB::Table", "idempotency", "Table"));

        for (String property : List.of("KeySchema", "AttributeDefinitions", "TimeToLiveSpecification", "BillingMode",
                "PointInTimeRecoverySpecification")) {
            assertThat((Object) samTable.get(property)).as(property).isEqualTo(cdkTable.get(property));
        }
        assertThat((Object) at(samTable, "TimeToLiveSpecification", "AttributeName")).isEqualTo("expiresAt");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void functions_sameHandlersRuntimeMemoryTimeout_andEnvironmentNames(boolean parameterStore) {
        Map<String, Object> sam = sam(parameterStore);
        Template cdk = ReceiverTemplates.cdk(parameterStore);

        for (String name : List.of("webhook", "reconcile")) {
            Map<String, Object> s = properties(samResource(sam, Names.pascal(name) + "Function"));
            Map<String, Object> c = cdkFunction(cdk, name);
            assertThat(s.get("Handler")).as(name).isEqualTo(c.get("Handler"));
            assertThat(s.get("Runtime")).as(name).isEqualTo(c.get("Runtime"));
            assertThat(s.get("Architectures")).as(name).isEqualTo(c.get("Architectures"));
            assertThat(s.get("MemorySize")).as(name).isEqualTo(c.get("MemorySize"));
            assertThat(s.get("Timeout")).as(name).isEqualTo(c.get("Timeout"));
            Map<String, Object> samEnv = at(s, "Environment", "Variables");
            Map<String, Object> cdkEnv = at(c, "Environment", "Variables");
            assertThat(new TreeSet<>(samEnv.keySet())).as(name).isEqualTo(new TreeSet<>(cdkEnv.keySet()));
        }
        Map<String, Object> webhookEnv = at(cdkFunction(cdk, "webhook"), "Environment", "Variables");
        assertThat(webhookEnv).containsKey(parameterStore ? "BEN_RECEIVER_SECRETS_PARAMETER"
                : "BEN_RECEIVER_SECRETS_ARN").doesNotContainKey("BEN_RECEIVER_SECRETS");
        assertThat((Object) at(cdkFunction(cdk, "reconcile"), "Handler")).isEqualTo(BenReceiver.RECONCILE_HANDLER);
        Map<String, Object> samReconcileEnv = at(properties(samResource(sam, "ReconcileFunction")), "Environment",
                "Variables");
        assertThat(samReconcileEnv).containsEntry("BEN_STATUS_API_URL", ReceiverTemplates.API_URL)
                .containsEntry("BEN_RECONCILE_HORIZON", "P7D");
    }

    @Test
    void schedule_andHorizonAlarm_areTheSame() {
        Map<String, Object> sam = sam(false);
        Template cdk = ReceiverTemplates.cdk(false);
        Map<String, Object> rule = properties(ofType(cdk, "AWS::Events::Rule").values().iterator().next());
        Map<String, Object> samAlarm = properties(samResource(sam, "PastHorizonAlarm"));
        Map<String, Object> cdkAlarm = properties(ofType(cdk, "AWS::CloudWatch::Alarm").values().iterator().next());

        assertThat((Object) at(properties(samResource(sam, "ReconcileFunction")), "Events", "ReconcileSchedule",
                "Properties", "Schedule")).isEqualTo(rule.get("ScheduleExpression")).isEqualTo("rate(15 minutes)");
        for (String property : List.of("Namespace", "MetricName", "Statistic", "Period", "EvaluationPeriods",
                "Threshold", "ComparisonOperator", "TreatMissingData")) {
            assertThat(String.valueOf(samAlarm.get(property))).as(property)
                    .isEqualTo(String.valueOf(cdkAlarm.get(property)));
        }
        Set<Object> samDimensions = Set.copyOf((List<?>) samAlarm.get("Dimensions"));
        assertThat(samDimensions).isEqualTo(Set.copyOf((List<?>) cdkAlarm.get("Dimensions")));
        assertThat(samDimensions).contains(Map.of("Name", "scope", "Value", ReceiverTemplates.SCOPE));
        assertThat(cdkAlarm.get("MetricName")).isEqualTo(BenReceiver.PAST_HORIZON_METRIC);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void roles_allowTheCallsTheCodeMakes_inBothTemplates(boolean parameterStore) {
        String table = ArnSpace.table(ReceiverTemplates.TABLE);
        String entityEvents = ReceiverTemplates.API_ARN + "/prod/GET/entities/inv-7/events";

        for (Map<String, Role> roles : List.of(ReceiverTemplates.samRoles(parameterStore),
                ReceiverTemplates.cdkRoles(ReceiverTemplates.cdk(parameterStore)))) {
            for (String function : List.of("webhook", "reconcile")) {
                for (String action : TABLE_CALLS) {
                    assertThat(roles.get(function).decide(action, table).allowed())
                            .as("%s %s %s", roles.get(function).template(), function, action).isTrue();
                }
            }
            Role webhook = roles.get("webhook");
            if (parameterStore) {
                assertThat(webhook.decide("ssm:GetParameter", ReceiverTemplates.PARAMETER_ARN).allowed())
                        .as(webhook.template()).isTrue();
            } else {
                assertThat(webhook.decide("secretsmanager:GetSecretValue", ReceiverTemplates.SECRET_ARN).allowed())
                        .as(webhook.template()).isTrue();
            }
            assertThat(roles.get("reconcile").decide("execute-api:Invoke", entityEvents).allowed())
                    .as(webhook.template()).isTrue();
        }
    }

    @Test
    void roles_refuseWhatTheCodeDoesNotNeed_inBothTemplates() {
        for (Map<String, Role> roles : List.of(ReceiverTemplates.samRoles(false),
                ReceiverTemplates.cdkRoles(ReceiverTemplates.cdk(false)))) {
            Role webhook = roles.get("webhook");
            Role reconcile = roles.get("reconcile");
            String where = webhook.template();
            assertThat(webhook.decide("execute-api:Invoke", ReceiverTemplates.API_ARN + "/prod/GET/entities/x/events")
                    .allowed()).as(where).isFalse();
            assertThat(reconcile.decide("secretsmanager:GetSecretValue", ReceiverTemplates.SECRET_ARN).allowed())
                    .as(where).isFalse();
            assertThat(reconcile.decide("execute-api:Invoke", ReceiverTemplates.API_ARN + "/prod/POST/entities/x")
                    .allowed()).as(where).isFalse();
            assertThat(reconcile.decide("execute-api:Invoke", "arn:aws:execute-api:" + ArnSpace.REGION + ":"
                    + ArnSpace.ACCOUNT + ":otherapi/prod/GET/entities/x/events").allowed()).as(where).isFalse();
            assertThat(webhook.decide("dynamodb:PutItem", ArnSpace.table("other-table")).allowed()).as(where)
                    .isFalse();
            assertThat(webhook.decide("secretsmanager:GetSecretValue", ReceiverTemplates.SECRET_ARN + "x")
                    .allowed()).as(where).isFalse();
        }
    }
}

package dev.ben.infra.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ben.settings.Access;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.QueueSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.Trigger;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IAM check on tiny fixture templates: the refusal that today's template had (retry without
 * {@code sqs:ChangeMessageVisibility}) with the message it prints, its fix, and the evaluator's rules.
 */
class IamCheckTest {

    private static final String RETRY_QUEUE = ArnSpace.queue("ben-retry");
    private static final AwsCall RESCHEDULE = new AwsCall("retry", "sqs:ChangeMessageVisibility",
            new CallResource.Queue("ben-retry"));

    /** One retry function consuming ben-retry and dead-lettering to ben-retry-dlq. */
    private static final BenSettings SETTINGS = new BenSettings(
            List.of(new TableSpec("orders", "BEN_ORDERS_TABLE", "orderId", "", "NEW_AND_OLD_IMAGES", "", List.of(),
                    List.of())),
            List.of(new QueueSpec("ben-retry", "BEN_RETRY_QUEUE_URL", Duration.ofSeconds(180), Duration.ofDays(4),
                            "ben-retry-dlq", 25),
                    new QueueSpec("ben-retry-dlq", "BEN_RETRY_DLQ_URL", Duration.ofSeconds(30), Duration.ofDays(14), "",
                            0)),
            List.of(new FunctionSpec("retry", "dev.ben.sender.retry.RetryHandler", "functions/ben-sender", 1024,
                    Duration.ofSeconds(30), List.of(new Trigger.QueueTrigger("ben-retry", 10, Duration.ZERO, true, 10)),
                    List.of(), List.of("ben-retry", "ben-retry-dlq")).withAccess("ben-retry", Access.TRIGGER_ONLY)));

    @Test
    void samRetryWithSendMessagePolicyOnly_isRefusedChangeMessageVisibility_andTheMessageSaysWhy() {
        Map<String, Role> roles = samRoles("retry-without-change-visibility.yaml");

        List<String> missing = PermissionCheck.missing(roles, List.of(Requirement.of(RESCHEDULE)));

        assertThat(missing).singleElement().asString()
                .startsWith("retry-without-change-visibility.yaml: retry is refused sqs:ChangeMessageVisibility on "
                        + RETRY_QUEUE + " (implicit deny: no statement allows it); needed because the function called"
                        + " it (queue ben-retry).")
                .contains("Allow [sqs:SendMessage*] on [" + RETRY_QUEUE + "] [RetryFunction Policies (SAM policy "
                        + "template SQSSendMessagePolicy)]")
                .contains("Allow [sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes, logs:CreateLogGroup, "
                        + "logs:CreateLogStream, logs:PutLogEvents] on [*] [managed policy AWSLambdaSQSQueueExecutionRole]");
    }

    @Test
    void samRetryWithPollerPolicy_isAllowedToRescheduleAndToEverythingItsEventSourceDoes() {
        Map<String, Role> roles = samRoles("retry-with-poller-policy.yaml");
        List<Requirement> needed = new java.util.ArrayList<>(List.of(Requirement.of(RESCHEDULE),
                Requirement.of(new AwsCall("retry", "sqs:SendMessage", new CallResource.Queue("ben-retry-dlq")))));
        needed.addAll(Requirements.eventSources(SETTINGS.function("retry"), SETTINGS));

        assertThat(PermissionCheck.missing(roles, needed)).isEmpty();
    }

    @Test
    void explicitDeny_winsOverAnyAllow() {
        Role role = samRoles("retry-with-poller-policy.yaml").get("retry");

        Role.Decision decision = role.decide("sqs:SendMessage", RETRY_QUEUE);

        assertThat(decision).isInstanceOf(Role.Decision.ExplicitDeny.class);
        assertThat(PermissionCheck.missing(Map.of("retry", role), List.of(Requirement.of(new AwsCall("retry",
                "sqs:SendMessage", new CallResource.Queue("ben-retry")))))).singleElement().asString()
                .contains("explicit deny by Deny [sqs:SendMessage] on [" + RETRY_QUEUE + "]");
    }

    @Test
    void overGrants_nameWildcardActionsAndActionsOfAClassTheCallsNeverUse() {
        Map<String, Role> roles = samRoles("retry-without-change-visibility.yaml");
        List<Requirement> needed = new java.util.ArrayList<>(List.of(Requirement.of(RESCHEDULE),
                Requirement.of(new AwsCall("retry", "sqs:SendMessage", new CallResource.Queue("ben-retry-dlq")))));
        needed.addAll(Requirements.eventSources(SETTINGS.function("retry"), SETTINGS));

        List<String> excess = PermissionCheck.overGrants(roles, needed, SETTINGS);

        assertThat(excess).anySatisfy(line -> assertThat(line).contains("retry has a wildcard action: Allow "
                + "[sqs:SendMessage*] on [" + RETRY_QUEUE + "]"));
        assertThat(excess).anySatisfy(line -> assertThat(line).contains("retry may [sqs:SendMessage, "
                + "sqs:SendMessageBatch] on " + RETRY_QUEUE + " but needs only [sqs:ChangeMessageVisibility, "
                + "sqs:DeleteMessage, sqs:GetQueueAttributes, sqs:ReceiveMessage] there"));
        assertThat(excess).noneSatisfy(line -> assertThat(line).contains("AWSLambdaSQSQueueExecutionRole"));
    }

    @Test
    void overGrants_flagCrudOnASourceTableTheFunctionOnlyReadsThroughItsStream() {
        Role notify = new Role("fixture", "retry", Statement.ofDocument(resolve("""
                {"Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"],
                                "Resource": {"Fn::GetAtt": ["OrdersTable", "Arn"]}}]}"""), "fixture", true));

        List<String> excess = PermissionCheck.overGrants(Map.of("retry", notify), List.of(), SETTINGS);

        assertThat(excess).containsExactly("fixture: retry may [dynamodb:GetItem, dynamodb:PutItem] on "
                + ArnSpace.table("orders") + " but never touches it (granted by fixture)");
    }

    @Test
    void conditionalAllow_doesNotCount_becauseTheCheckCannotProveTheCondition() {
        Role role = new Role("fixture", "retry", Statement.ofDocument(Map.of("Statement", List.of(Map.of(
                "Effect", "Allow", "Action", "sqs:ChangeMessageVisibility", "Resource", RETRY_QUEUE,
                "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "true"))))), "fixture", true));

        assertThat(role.decide("sqs:ChangeMessageVisibility", RETRY_QUEUE)).isInstanceOf(Role.Decision.ImplicitDeny.class);
    }

    @Test
    void wildcards_matchActionsCaseInsensitively_andArnsExactly() {
        assertThat(Statement.matches("sqs:SendMessage*", "sqs:sendmessagebatch", true)).isTrue();
        assertThat(Statement.matches("dynamodb:Get?tem", "dynamodb:GetItem", true)).isTrue();
        assertThat(Statement.matches("arn:aws:dynamodb:*:*:table/ben-deliveries/index/*",
                ArnSpace.index("ben-deliveries", "byDue"), false)).isTrue();
        assertThat(Statement.matches("arn:aws:dynamodb:*:*:table/ben-deliveries", ArnSpace.table("Ben-Deliveries"),
                false)).isFalse();
        Statement notAction = Statement.of(Map.of("Effect", "Allow", "NotAction", "sqs:DeleteQueue", "Resource", "*"),
                "fixture", true);
        assertThat(notAction.appliesTo("sqs:SendMessage", RETRY_QUEUE)).isTrue();
        assertThat(notAction.appliesTo("sqs:DeleteQueue", RETRY_QUEUE)).isFalse();
    }

    @Test
    void intrinsics_resolveRefGetAttJoinSubIfSelectAndSplit_toArnSpaceValues() {
        Object resolved = resolve("""
                {"a": {"Fn::GetAtt": ["OrdersTable", "StreamArn"]},
                 "b": {"Fn::Join": ["", [{"Fn::GetAtt": ["OrdersTable", "Arn"]}, "/index/*"]]},
                 "c": {"Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${BenRetryQueue.QueueName}"},
                 "d": {"Fn::Sub": ["${api}/*/GET/orders/*", {"api": {"Ref": "SenderApi"}}]},
                 "e": {"Fn::If": ["IsDemo", {"Ref": "Source"}, {"Ref": "AWS::NoValue"}]},
                 "f": {"Fn::Select": [1, {"Fn::Split": [":", "a:b:c"]}]},
                 "g": [{"Ref": "BenRetryQueue"}, {"Fn::If": ["IsDemo", {"Ref": "AWS::NoValue"}, "x"]}]}""");

        assertThat(resolved).isEqualTo(Map.of(
                "a", ArnSpace.stream("orders"),
                "b", ArnSpace.table("orders") + "/index/*",
                "c", RETRY_QUEUE,
                "d", "sender-api/*/GET/orders/*",
                "f", "b",
                "g", List.of(ArnSpace.queueUrl("ben-retry"), "x")));
    }

    @Test
    void intrinsics_unknownReference_failsNamingIt() {
        assertThatThrownBy(() -> resolve("{\"Ref\": \"NoSuchTable\"}"))
                .hasMessageContaining("Ref NoSuchTable: not a parameter, pseudo parameter or resource the IAM check knows");
        assertThatThrownBy(() -> resolve("{\"Fn::ImportValue\": \"x\"}"))
                .hasMessageContaining("intrinsic Fn::ImportValue is not supported");
    }

    @Test
    void samOnFailureDestination_givesSendMessageOnTheDestination_asSamDoes() {
        Map<String, Object> template = yaml("""
                Resources:
                  NotifyFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Stream:
                          Type: DynamoDB
                          Properties:
                            Stream: {Fn::GetAtt: [OrdersTable, StreamArn]}
                            DestinationConfig:
                              OnFailure: {Type: SQS, Destination: {Fn::GetAtt: [BenRetryQueue, Arn]}}
                """);

        Role notify = SamRoles.of(template, "fixture", Map.of("notify", "NotifyFunction"), intrinsics(template))
                .get("notify");

        assertThat(notify.decide("sqs:SendMessage", RETRY_QUEUE).allowed()).isTrue();
        assertThat(notify.decide("dynamodb:GetRecords", ArnSpace.stream("orders")).allowed()).isTrue();
        assertThat(notify.decide("dynamodb:GetItem", ArnSpace.table("orders")).allowed()).isFalse();
    }

    @Test
    void cdkRole_collectsManagedPoliciesInlinePoliciesAndAttachedPolicies() {
        Map<String, Object> template = json("""
                {"Resources": {
                  "RetryRole": {"Type": "AWS::IAM::Role", "Properties": {
                    "ManagedPolicyArns": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
                        ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]]}],
                    "Policies": [{"PolicyName": "inline", "PolicyDocument": {"Statement": [{"Effect": "Allow",
                        "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["BenRetryDlqQueue", "Arn"]}}]}}]}},
                  "RetryRoleDefaultPolicy": {"Type": "AWS::IAM::Policy", "Properties": {
                    "Roles": [{"Ref": "RetryRole"}],
                    "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": ["sqs:ChangeMessageVisibility"],
                        "Resource": {"Fn::GetAtt": ["BenRetryQueue", "Arn"]}}]}}},
                  "OtherPolicy": {"Type": "AWS::IAM::Policy", "Properties": {"Roles": [{"Ref": "OtherRole"}],
                    "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "sqs:DeleteQueue", "Resource": "*"}]}}}
                }}""");

        Role retry = CfnRoles.of(template, "fixture", Map.of("retry", "RetryRole"), intrinsics(template)).get("retry");

        assertThat(retry.decide("logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:x").allowed()).isTrue();
        assertThat(retry.decide("sqs:SendMessage", ArnSpace.queue("ben-retry-dlq")).allowed()).isTrue();
        assertThat(retry.decide("sqs:ChangeMessageVisibility", RETRY_QUEUE).allowed()).isTrue();
        assertThat(retry.decide("sqs:DeleteQueue", RETRY_QUEUE).allowed()).isFalse();
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Role> samRoles(String fixture) {
        Map<String, Object> template;
        try (InputStream in = IamCheckTest.class.getResourceAsStream("/iam/" + fixture)) {
            template = new YAMLMapper().readValue(in, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return SamRoles.of(template, fixture, Map.of("retry", "RetryFunction"), intrinsics(template));
    }

    @SuppressWarnings("unchecked")
    private static Intrinsics intrinsics(Map<String, Object> template) {
        Identities identities = new Identities().table("OrdersTable", "orders").queue("BenRetryQueue", "ben-retry")
                .queue("BenRetryDlqQueue", "ben-retry-dlq").api("SenderApi", "sender-api");
        return new Intrinsics(identities.asMap(), Intrinsics.parameters(template, Map.of()),
                (Map<String, Object>) template.getOrDefault("Conditions", Map.of()));
    }

    private static Object resolve(String json) {
        Identities identities = new Identities().table("OrdersTable", "orders").queue("BenRetryQueue", "ben-retry")
                .api("SenderApi", "sender-api");
        Intrinsics intrinsics = new Intrinsics(identities.asMap(), Map.of("Source", "invoices"),
                Map.of("IsDemo", Map.of("Fn::Equals", List.of(Map.of("Ref", "Source"), "orders"))));
        try {
            return intrinsics.resolve(new ObjectMapper().readValue(json, Object.class));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> yaml(String text) {
        try {
            return new YAMLMapper().readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> json(String text) {
        try {
            return new ObjectMapper().readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

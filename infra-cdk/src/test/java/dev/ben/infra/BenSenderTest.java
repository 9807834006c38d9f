package dev.ben.infra;

import static dev.ben.infra.CfnResources.at;
import static dev.ben.infra.CfnResources.ofType;
import static dev.ben.infra.CfnResources.properties;
import static dev.ben.infra.CfnResources.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.infra.iam.ArnSpace;
import dev.ben.infra.iam.Role;
import dev.ben.infra.internal.SettingsParts;
import dev.ben.settings.BenSettings;
import dev.ben.settings.EnvVars;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.Source;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableAttributes;

/**
 * {@link BenSender} in a user's CDK app on the user's existing {@code invoices} table (composite key, tenants): it
 * creates none of the user's tables, notify may only read the table's stream, no policy has a wildcard action, the
 * declaration reaches notify, and an environment over Lambda's 4 KB fails the synth.
 */
class BenSenderTest {

    private static final List<String> TABLE_DATA_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:BatchGetItem",
            "dynamodb:Query", "dynamodb:Scan", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable");

    private final Template template = SynthesizedBen.senderOnly();
    private final BenSettings settings = SettingsParts.sender(SynthesizedBen.invoicesSettings());

    @Test
    void createsOnlyBensOwnTables_noneOfTheUsersAndNoReceiver() {
        List<String> own = settings.ownTables().stream().map(TableSpec::logicalName).toList();
        List<List<Object>> keys = ofType(template, "AWS::DynamoDB::Table").values().stream()
                .map(t -> (List<Object>) at(properties(t), "KeySchema")).toList();

        assertThat(ofType(template, "AWS::DynamoDB::Table")).hasSize(own.size());
        assertThat(own).containsExactlyInAnyOrder(BenSettings.ENDPOINTS_TABLE, BenSettings.DELIVERIES_TABLE,
                BenSettings.ATTEMPTS_TABLE, BenSettings.TENANTS_TABLE, BenSettings.EVENTS_TABLE,
                BenSettings.IDEMPOTENCY_TABLE);
        assertThat(keys).noneSatisfy(k -> assertThat(k.toString()).contains("invoiceId"));
        assertThat(ofType(template, "AWS::Lambda::Function")).hasSize(5);
        assertThat(ofType(template, "AWS::ApiGatewayV2::Api")).hasSize(2);
        Annotations annotations = Annotations.fromStack(Stack.of(SynthesizedBen.senderOnlyConstruct()));
        assertThat(annotations.findError("*", Match.anyValue())).isEmpty();
        assertThat(annotations.findWarning("*", Match.anyValue())).isEmpty();
    }

    @Test
    void notify_mayOnlyReadTheSourcesStream_andNoOtherFunctionTouchesTheSource() {
        Map<String, Role> roles = IamTemplates.cdkRoles(template, settings);
        String table = ArnSpace.table(SynthesizedBen.INVOICES);
        String stream = SynthesizedBen.INVOICES_STREAM;

        for (Role role : roles.values()) {
            for (String action : TABLE_DATA_ACTIONS) {
                assertThat(role.decide(action, table).allowed()).as(role.function() + " " + action + " on the table")
                        .isFalse();
                assertThat(role.decide(action, table + "/index/any").allowed()).as(role.function() + " " + action)
                        .isFalse();
            }
            boolean notify = role.function().equals("notify");
            for (String action : List.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                    "dynamodb:ListStreams")) {
                assertThat(role.decide(action, stream).allowed()).as(role.function() + " " + action + " on the stream")
                        .isEqualTo(notify);
            }
        }
    }

    @Test
    void noPolicy_allowsAWildcardAction() {
        for (Map<String, Object> policy : ofType(template, "AWS::IAM::Policy").values()) {
            List<Map<String, Object>> statements = at(properties(policy), "PolicyDocument", "Statement");
            for (Map<String, Object> statement : statements) {
                Object action = statement.get("Action");
                List<?> actions = action instanceof List<?> l ? l : List.of(action);
                assertThat(actions).as(statement.toString()).allSatisfy(a -> assertThat((String) a).doesNotContain("*"));
                assertThat(statement).doesNotContainKey("NotAction");
            }
        }
    }

    @Test
    void notify_getsTheDeclaration_andNoOverrideForATableTheDeclarationNames() {
        Map<String, Object> env = at(properties(resource(template, "AWS::Lambda::Function", "notify", "Function")),
                "Environment", "Variables");
        Source invoices = SynthesizedBen.invoicesDeclaration().source(SynthesizedBen.INVOICES).orElseThrow();

        assertThat(env).containsEntry(EnvVars.DECLARATION, SynthesizedBen.invoicesDeclaration().toJson())
                .doesNotContainKey(invoices.tableEnvVar());
        for (FunctionSpec spec : settings.functions()) {
            Map<String, Object> other = at(properties(resource(template, "AWS::Lambda::Function", spec.logicalName(),
                    "Function")), "Environment", "Variables");
            assertThat(other.containsKey(EnvVars.DECLARATION)).as(spec.logicalName())
                    .isEqualTo(spec.logicalName().equals("notify"));
        }
    }

    @Test
    void aTableWithAnotherNameThanTheDeclarations_getsItsNameThroughTheOverrideVariable() {
        Stack stack = new Stack(new App(), "Renamed");
        new BenSender(stack, "Ben", BenSenderProps.builder().declaration(SynthesizedBen.invoicesDeclaration())
                .source(SynthesizedBen.INVOICES, Table.fromTableAttributes(stack, "Prod", TableAttributes.builder()
                        .tableName("invoices-prod").tableStreamArn(ArnSpace.stream("invoices-prod")).build()))
                .code(SynthesizedBen.placeholderCode()).build());

        Map<String, Object> env = at(properties(resource(Template.fromStack(stack), "AWS::Lambda::Function", "notify",
                "Function")), "Environment", "Variables");

        assertThat(env).containsEntry("BEN_SOURCE_TABLE_INVOICES", "invoices-prod");
    }

    @Test
    void anEnvironmentOverLambdas4Kb_failsTheSynth_namingTheFunctionAndTheLargestVariables() {
        Declaration large = largeDeclaration();
        Stack stack = new Stack(new App(), "Large");

        assertThatThrownBy(() -> new BenSender(stack, "Ben", BenSenderProps.builder().declaration(large)
                .source(SynthesizedBen.INVOICES, SynthesizedBen.importInvoices(stack))
                .code(SynthesizedBen.placeholderCode()).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the environment of function notify is")
                .hasMessageContaining("Lambda allows 4096")
                .hasMessageContaining(EnvVars.DECLARATION)
                .hasMessageContaining("counted as 128 bytes each");
    }

    @Test
    void aDeclaredSourceWithoutItsTable_orATableForNoDeclaredSource_isRefused() {
        Stack stack = new Stack(new App(), "Missing");

        assertThatThrownBy(() -> new BenSender(stack, "Ben", BenSenderProps.builder()
                .declaration(SynthesizedBen.invoicesDeclaration()).code(SynthesizedBen.placeholderCode()).build()))
                .hasMessageContaining("declared source 'invoices' has no table")
                .hasMessageContaining(".source(\"invoices\"");
        assertThatThrownBy(() -> new BenSender(stack, "Ben2", BenSenderProps.builder()
                .declaration(SynthesizedBen.invoicesDeclaration())
                .source(SynthesizedBen.INVOICES, SynthesizedBen.importInvoices(stack))
                .source("orders", Table.fromTableName(stack, "Orders", "orders"))
                .code(SynthesizedBen.placeholderCode()).build()))
                .hasMessageContaining("source 'orders' is not in the declaration; declared: [invoices]");
    }

    @Test
    void aSourceTableWithoutItsStreamArn_isRefused_sayingHowToImportIt() {
        Stack stack = new Stack(new App(), "NoStream");

        assertThatThrownBy(() -> new BenSender(stack, "Ben", BenSenderProps.builder()
                .declaration(SynthesizedBen.invoicesDeclaration())
                .source(SynthesizedBen.INVOICES, Table.fromTableName(stack, "Invoices", "invoices"))
                .code(SynthesizedBen.placeholderCode()).build()))
                .hasMessageContaining("table 'invoices' has no stream ARN")
                .hasMessageContaining("tableStreamArn");
    }

    /** The invoices source with rules until its JSON is just under the declaration's 3072-byte limit. */
    private static Declaration largeDeclaration() {
        String rules = IntStream.range(0, 60)
                .mapToObj(i -> "{\"eventType\":\"invoice.change" + i + "\",\"when\":{\"attribute\":\"field"
                        + i + "\",\"changes\":true},\"payload\":\"newImage\"}")
                .collect(Collectors.toList()).stream().reduce((a, b) -> a + "," + b).orElseThrow();
        String json = "{\"sources\":[{\"name\":\"invoices\",\"table\":\"invoices\",\"partitionKey\":"
                + "{\"name\":\"tenantId\",\"type\":\"S\"},\"rules\":[" + rules + "]}]}";
        while (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Declaration.MAX_JSON_BYTES) {
            json = json.substring(0, json.lastIndexOf(",{\"eventType\"")) + "]}]}";
        }
        return Declaration.parse(json);
    }
}

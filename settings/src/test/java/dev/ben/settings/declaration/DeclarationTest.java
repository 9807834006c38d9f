package dev.ben.settings.declaration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ben.settings.EnvVars;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeclarationTest {

    static final String INVOICES = """
            {
              "sources": [{
                "name": "invoices",
                "table": "invoices",
                "partitionKey": {"name": "tenantId", "type": "S"},
                "sortKey": {"name": "invoiceId", "type": "S"},
                "rules": [{
                  "eventType": "invoice.Settled",
                  "on": ["INSERT", "MODIFY"],
                  "when": {"attribute": "settled", "becomes": true},
                  "version": "version",
                  "tenant": "tenantId",
                  "payload": {"attributes": ["invoiceId", "settled", "amount"]},
                  "notifyUrl": "notifyUrl"
                }, {
                  "eventType": "invoice.state",
                  "on": ["MODIFY", "REMOVE"],
                  "when": {"attribute": "state", "changes": true},
                  "payload": "newImage"
                }, {
                  "eventType": "invoice.three",
                  "when": {"attribute": "state", "becomes": 3.0}
                  , "payload": "newImage"
                }]
              }]
            }
            """;

    @Test
    void parse_fullExample_buildsTheTypedModel() {
        Declaration d = Declaration.parse(INVOICES);

        Source s = d.sources().getFirst();
        assertThat(s.name()).isEqualTo("invoices");
        assertThat(s.partitionKey()).isEqualTo(KeyAttribute.string("tenantId"));
        assertThat(s.sortKeyAttribute()).contains(KeyAttribute.string("invoiceId"));
        assertThat(s.streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        Rule settled = s.rules().get(0);
        assertThat(settled.eventType()).isEqualTo("invoice.Settled");
        assertThat(settled.when()).isEqualTo(new Condition.Becomes("settled", new ScalarValue.Bool(true)));
        assertThat(settled.versionAttribute()).contains("version");
        assertThat(settled.tenantAttribute()).contains("tenantId");
        assertThat(settled.notifyUrlAttribute()).contains("notifyUrl");
        assertThat(settled.payload()).isEqualTo(new Payload.Projection(List.of("invoiceId", "settled", "amount")));
        Rule state = s.rules().get(1);
        assertThat(state.on()).containsExactly(ChangeKind.MODIFY, ChangeKind.REMOVE);
        assertThat(state.when()).isEqualTo(new Condition.Changes("state"));
        assertThat(state.versionAttribute()).isEmpty();
        assertThat(state.payload()).isInstanceOf(Payload.WholeImage.class);
        assertThat(s.rules().get(2).when()).isEqualTo(new Condition.Becomes("state",
                new ScalarValue.Number(new BigDecimal("3"))));
        assertThat(s.rules().get(2).on()).isEqualTo(Rule.DEFAULT_ON);
    }

    @Test
    void toJson_roundTrips_andLeavesDefaultsOut() {
        Declaration d = Declaration.parse(INVOICES);

        String json = d.toJson();

        assertThat(Declaration.parse(json)).isEqualTo(d);
        assertThat(Declaration.parse(d.toPrettyJson())).isEqualTo(d);
        assertThat(json).doesNotContain("streamViewType").doesNotContain("\"on\":[\"INSERT\",\"MODIFY\"]")
                .contains("\"on\":[\"MODIFY\",\"REMOVE\"]").contains("\"becomes\":3}");
        assertThat(json).startsWith("{\"sources\":[{\"name\":\"invoices\",\"table\":\"invoices\",");
    }

    @Test
    void builtInCode_equalsTheParsedForm() {
        Declaration built = new Declaration(List.of(Source.of("orders", "orders", KeyAttribute.string("orderId"),
                Rule.of("order.paid", Rule.attributes("orderId", "status", "version", "amount", "currency"))
                        .withWhen(new Condition.Becomes("status", new ScalarValue.Text("PAID")))
                        .withVersion("version"))));

        Declaration parsed = Declaration.parse("""
                {"sources": [{"name": "orders", "table": "orders", "partitionKey": {"name": "orderId", "type": "S"},
                  "rules": [{"eventType": "order.paid", "when": {"attribute": "status", "becomes": "PAID"},
                    "version": "version",
                    "payload": {"attributes": ["orderId", "status", "version", "amount", "currency"]}}]}]}""");

        assertThat(built).isEqualTo(parsed);
        assertThat(built.toJson()).isEqualTo(parsed.toJson());
    }

    @Test
    void invalidInCode_failsInTheConstructor_withTheSamePaths() {
        assertThatThrownBy(() -> new Declaration(List.of(Source.of("orders", "orders", KeyAttribute.string("orderId"),
                Rule.of("order.paid", null).withOn()))))
                .isInstanceOf(DeclarationException.class)
                .hasMessageContaining("sources[0].rules[0].on: is empty")
                .hasMessageContaining("sources[0].rules[0].payload: must be \"newImage\" or {\"attributes\": [...]}");
    }

    @Test
    void parse_collectsEveryProblem_eachNamingItsPathAndTheFix() {
        String json = """
                {"sources": [{
                  "name": "invoices", "table": "invoices", "colour": "red",
                  "partitionKey": {"name": "tenantId", "type": "B"},
                  "sortKey": {"name": "tenantId", "type": "S"},
                  "rules": [
                    {"eventType": "a", "when": {"attribute": "x", "becomes": null}, "payload": "newImage"},
                    {"eventType": "a", "on": [], "payload": {"attributes": []}},
                    {"eventType": "b c", "on": ["INSERT", "DELETE", "INSERT"], "payload": "everything"},
                    {"eventType": "d", "when": {"attribute": "x", "changes": false}, "payload": "newImage"},
                    {"eventType": "e", "on": ["REMOVE"], "when": {"attribute": "x", "becomes": "Y"}, "payload": "newImage"},
                    {"eventType": "f", "notifyUrl": "url", "payload": "newImage"},
                    {"eventType": "g", "when": {"attribute": "x", "becomes": 1, "changes": true}, "payload": "newImage"}
                  ]}]}""";

        List<Problem> problems = Declaration.problems(json);

        assertThat(problems).extracting(Problem::path).containsExactlyInAnyOrder(
                "sources[0].colour",
                "sources[0].partitionKey.type",
                "sources[0].sortKey.name",
                "sources[0].rules[0].when.becomes",
                "sources[0].rules[1].on",
                "sources[0].rules[1].payload.attributes",
                "sources[0].rules[1].eventType",
                "sources[0].rules[2].eventType",
                "sources[0].rules[2].on[1]",
                "sources[0].rules[2].on[2]",
                "sources[0].rules[2].payload",
                "sources[0].rules[3].when.changes",
                "sources[0].rules[4].when.becomes",
                "sources[0].rules[5].notifyUrl",
                "sources[0].rules[6].when");
        assertThat(message(problems, "sources[0].colour")).contains("unknown field \"colour\"").contains("partitionKey");
        assertThat(message(problems, "sources[0].partitionKey.type")).contains("binary keys are not supported");
        assertThat(message(problems, "sources[0].rules[0].when.becomes")).contains("string, number or boolean");
        assertThat(message(problems, "sources[0].rules[1].eventType")).contains("also the event type of rules[0]")
                .contains("same event id");
        assertThat(message(problems, "sources[0].rules[2].on[1]")).contains("INSERT, MODIFY or REMOVE");
        assertThat(message(problems, "sources[0].rules[2].on[2]")).contains("listed twice");
        assertThat(message(problems, "sources[0].rules[3].when.changes")).contains("leave \"when\" out");
        assertThat(message(problems, "sources[0].rules[4].when.becomes")).contains("never matches REMOVE");
        assertThat(message(problems, "sources[0].rules[5].notifyUrl")).contains("needs \"tenant\"")
                .contains("allowedHosts");
        assertThat(message(problems, "sources[0].rules[6].when")).contains("keep one");
        assertThatThrownBy(() -> Declaration.parse(json)).isInstanceOf(DeclarationException.class)
                .hasMessageStartingWith("invalid Ben declaration (15 problems; reference: docs/declaration.md):")
                .hasMessageContaining("\n  - sources[0].colour: unknown field");
    }

    @Test
    void parse_rootAndSourceLevelMistakes() {
        assertThat(paths("[]")).containsExactly(Problem.ROOT);
        assertThat(paths("{}")).containsExactly("sources");
        assertThat(paths("{\"sources\": []}")).containsExactly("sources");
        assertThat(paths("{\"sources\": [1]}")).containsExactly("sources[0]");
        assertThat(paths("{\"sources\": [{}]}")).containsExactlyInAnyOrder("sources[0].name", "sources[0].table",
                "sources[0].partitionKey", "sources[0].rules");
        assertThat(paths("{\"sources\": [{\"name\": \"9x\", \"table\": \"ab\", \"partitionKey\": {\"name\": \"\"},"
                + " \"rules\": [{\"eventType\": \"x\", \"payload\": \"newImage\"}]}]}"))
                .containsExactlyInAnyOrder("sources[0].name", "sources[0].table", "sources[0].partitionKey.name",
                        "sources[0].partitionKey.type");
        assertThat(paths("{\"sources\": [{\"name\": \"ben-x\", \"table\": \"abc\", \"partitionKey\": {\"name\": \"k\","
                + " \"type\": \"S\"}, \"rules\": [{\"eventType\": \"x\", \"payload\": \"newImage\"}]}]}"))
                .containsExactly("sources[0].name");
    }

    @Test
    void parse_duplicateSourceNames_areRefused_ignoringCaseAndDashes() {
        String source = "{\"name\": \"%s\", \"table\": \"abc\", \"partitionKey\": {\"name\": \"k\", \"type\": \"S\"},"
                + " \"rules\": [{\"eventType\": \"x\", \"payload\": \"newImage\"}]}";

        List<Problem> problems = Declaration.problems("{\"sources\": [" + source.formatted("my-table") + ", "
                + source.formatted("MY_table") + "]}");

        assertThat(problems).extracting(Problem::path).containsExactly("sources[1].name");
        assertThat(problems.getFirst().message()).contains("same source as sources[0]")
                .contains("BEN_SOURCE_TABLE_MY_TABLE");
    }

    @Test
    void parse_streamViewTypes_limitWhatRulesMaySay() {
        String template = "{\"sources\": [{\"name\": \"t\", \"table\": \"abc\", \"streamViewType\": \"%s\","
                + " \"partitionKey\": {\"name\": \"k\", \"type\": \"S\"}, \"rules\": [%s]}]}";
        String becomes = "{\"eventType\": \"x\", \"when\": {\"attribute\": \"a\", \"becomes\": 1}, \"payload\": \"newImage\"}";
        String any = "{\"eventType\": \"y\", \"payload\": \"newImage\"}";
        String remove = "{\"eventType\": \"z\", \"on\": [\"REMOVE\"], \"payload\": \"newImage\"}";

        assertThat(Declaration.problems(template.formatted("KEYS_ONLY", any))).singleElement()
                .satisfies(p -> assertThat(p.toString()).startsWith("sources[0].streamViewType: KEYS_ONLY")
                        .contains("NEW_AND_OLD_IMAGES"));
        assertThat(paths(template.formatted("NEW_IMAGE", becomes + "," + any + "," + remove)))
                .containsExactly("sources[0].rules[0].when", "sources[0].rules[2].on");
        assertThat(paths(template.formatted("OLD_IMAGE", becomes + "," + any + "," + remove)))
                .containsExactly("sources[0].rules[0].on", "sources[0].rules[0].when", "sources[0].rules[1].on");
        assertThat(paths(template.formatted("NEW_AND_OLD_IMAGES", becomes + "," + any + "," + remove))).isEmpty();
        assertThat(paths(template.formatted("ALL", any))).containsExactly("sources[0].streamViewType");
    }

    @Test
    void parse_badJson_namesLineAndColumn() {
        assertThat(Declaration.problems("{\"sources\": [\n  {\"name\": \"x\",, }]}")).singleElement()
                .satisfies(p -> assertThat(p.toString()).isEqualTo(
                        "(declaration): is not valid JSON: line 2, column 16: expected a member name in double quotes"));
        assertThat(Declaration.problems("{\"sources\": 1, \"sources\": 2}").getFirst().message())
                .contains("\"sources\" appears twice");
    }

    @Test
    void parse_tooLargeForTheLambdaEnvironment_isRefusedWithTheSize() {
        StringBuilder attributes = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            attributes.append(i == 0 ? "" : ",").append("\"attribute").append(i).append('"');
        }
        String json = "{\"sources\": [{\"name\": \"t\", \"table\": \"abc\", \"partitionKey\": {\"name\": \"k\","
                + " \"type\": \"S\"}, \"rules\": [{\"eventType\": \"x\", \"payload\": {\"attributes\": ["
                + attributes + "]}}]}]}";

        assertThat(Declaration.problems(json)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo(Problem.ROOT);
            assertThat(p.message()).contains("at most 3072").contains("4 KB");
        });
    }

    @Test
    void fromEnvironment_missingVariable_saysWhatToSet() {
        assertThatThrownBy(() -> Declaration.fromEnvironment(Map.of()))
                .isInstanceOf(DeclarationException.class)
                .hasMessageContaining("environment variable BEN_DECLARATION is not set");
        assertThatThrownBy(() -> Declaration.fromEnvironment(Map.of(EnvVars.DECLARATION, "{}")))
                .hasMessageStartingWith("invalid Ben declaration in environment variable BEN_DECLARATION");
        assertThat(Declaration.fromEnvironment(Map.of(EnvVars.DECLARATION, INVOICES)))
                .isEqualTo(Declaration.parse(INVOICES));
    }

    @Test
    void read_namesTheFileInItsErrors(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ben.json"), "{\"sources\": []}");

        assertThatThrownBy(() -> Declaration.read(file)).hasMessageContaining("invalid Ben declaration in " + file)
                .hasMessageContaining("sources: is empty");
    }

    @Test
    void checkEnvironmentSize_refusesMoreThan4KiB_namingTheLargestVariables() {
        Declaration.checkEnvironmentSize("notify", Map.of("A", "x".repeat(4000)));

        assertThatThrownBy(() -> Declaration.checkEnvironmentSize("notify",
                Map.of(EnvVars.DECLARATION, "x".repeat(4000), "B", "y".repeat(100))))
                .hasMessageContaining("function notify is 4116 bytes; Lambda allows 4096")
                .hasMessageContaining("BEN_DECLARATION=4015");
    }

    @Test
    void source_tableEnvVar_isDerivedFromTheName() {
        Source s = Source.of("my-invoices", "prod_invoices", KeyAttribute.string("k"),
                Rule.of("x", new Payload.WholeImage()));

        assertThat(s.tableEnvVar()).isEqualTo("BEN_SOURCE_TABLE_MY_INVOICES");
    }

    @Test
    void rule_defaults() {
        Rule r = Rule.of("x", new Payload.WholeImage());

        assertThat(r.on()).isEqualTo(Set.of(ChangeKind.INSERT, ChangeKind.MODIFY));
        assertThat(r.when()).isEqualTo(new Condition.AnyChange());
        assertThat(r.tenantAttribute()).isEmpty();
    }

    private static List<String> paths(String json) {
        return Declaration.problems(json).stream().map(Problem::path).toList();
    }

    private static String message(List<Problem> problems, String path) {
        return problems.stream().filter(p -> p.path().equals(path)).findFirst().orElseThrow().message();
    }
}

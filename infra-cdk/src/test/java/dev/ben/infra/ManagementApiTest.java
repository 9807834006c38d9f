package dev.ben.infra;

import static dev.ben.infra.CfnResources.logicalId;
import static dev.ben.infra.CfnResources.ofType;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ben.infra.iam.ArnSpace;
import dev.ben.infra.iam.PermissionCheck;
import dev.ben.infra.iam.Role;
import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.TableSpec;
import dev.ben.settings.Trigger.HttpTrigger;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * The management API in the synthesized stack: one route per operation of docs/api/openapi.yaml (no more, no
 * fewer, besides the catch-all for unknown paths), every one IAM-authorized and integrated with the management function's alias, and that function's role
 * holding exactly the access the API needs — nothing on the tables and queues it does not use, no stream, no other
 * API.
 */
class ManagementApiTest {

    private final Template template = SynthesizedBen.template();
    private final BenSettings settings = SynthesizedBen.demoSettings();
    private final FunctionSpec function = settings.function(BenSettings.MANAGEMENT_FUNCTION);

    /** "METHOD /path" of every operation of the OpenAPI document. */
    private static Set<String> documentedOperations() throws IOException {
        JsonNode openapi = new YAMLMapper().readTree(SamTemplateDriftTest.repoRoot()
                .resolve("docs/api/openapi.yaml").toFile());
        Set<String> operations = new TreeSet<>();
        openapi.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (Set.of("get", "post", "put", "patch", "delete").contains(op.getKey())) {
                operations.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    @Test
    void everyOperationOfTheOpenApiDocument_isAnIamAuthorizedRouteOfTheManagementApi_andNothingElseIs()
            throws IOException {
        String api = logicalId(template, "AWS::ApiGatewayV2::Api", BenSettings.MANAGEMENT_API, "Api");
        List<Map<String, Object>> routes = ofType(template, "AWS::ApiGatewayV2::Route").values().stream()
                .map(CfnResources::properties).filter(r -> Map.of("Ref", api).equals(r.get("ApiId"))).toList();
        Set<String> settingsRoutes = function.triggers().stream().map(t -> (HttpTrigger) t)
                .map(t -> t.method() + " " + t.path()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> cdkRoutes = routes.stream().map(r -> (String) r.get("RouteKey"))
                .collect(Collectors.toCollection(TreeSet::new));

        Set<String> expected = new TreeSet<>(documentedOperations());
        // unknown paths and methods reach the function too, so they get the API's error shape, IAM-authorized alike
        expected.add("ANY " + BenSettings.MANAGEMENT_FALLBACK_ROUTE);

        assertThat(cdkRoutes).isEqualTo(expected).isEqualTo(settingsRoutes);
        assertThat(routes).allSatisfy(r -> assertThat(r.get("AuthorizationType")).as((String) r.get("RouteKey"))
                .isEqualTo("AWS_IAM"));
        assertThat(ofType(template, "AWS::ApiGatewayV2::Route").values().stream().map(CfnResources::properties)
                .filter(r -> !Map.of("Ref", api).equals(r.get("ApiId"))).map(r -> (String) r.get("RouteKey")))
                .as("no management route on another API").noneMatch(k -> k.contains(" /v1/"));
    }

    @Test
    void theManagementFunctionsRole_mayDoWhatTheApiNeeds_andNothingMore() {
        Role role = IamTemplates.cdkRoles(template, settings).get(BenSettings.MANAGEMENT_FUNCTION);
        List<String> routes = settings.functions().stream().flatMap(f -> f.triggers().stream())
                .filter(HttpTrigger.class::isInstance).map(t -> (HttpTrigger) t)
                .map(t -> ArnSpace.apiRoute(t.api(), t.method(), t.path())).toList();
        Set<String> expected = new TreeSet<>();
        readWrite(expected, BenSettings.ENDPOINTS_TABLE);
        readWrite(expected, BenSettings.DELIVERIES_TABLE); // replay's conditional take-over of a delivery
        readWrite(expected, BenSettings.TENANTS_TABLE);
        readWrite(expected, BenSettings.IDEMPOTENCY_TABLE);
        expected.add(ArnSpace.table(BenSettings.ATTEMPTS_TABLE) + " → TABLE_READ"); // attempt history only
        expected.add(ArnSpace.queue(BenSettings.RETRY_QUEUE) + " → QUEUE_SEND"); // replays are enqueued
        expected.add(ArnSpace.queue(BenSettings.RETRY_DLQ) + " → QUEUE_CONSUME"); // inspect and redrive

        assertThat(PermissionCheck.accessSummary(role, settings, routes)).isEqualTo(expected);
    }

    /** Read and write on the table and each of its indexes (CDK grants the indexes with the table). */
    private void readWrite(Set<String> expected, String table) {
        TableSpec spec = settings.table(table);
        expected.add(ArnSpace.table(table) + " → TABLE_READ");
        expected.add(ArnSpace.table(table) + " → TABLE_WRITE");
        for (TableSpec.IndexSpec index : spec.indexes()) {
            expected.add(ArnSpace.index(table, index.name()) + " → TABLE_READ");
            expected.add(ArnSpace.index(table, index.name()) + " → TABLE_WRITE");
        }
    }
}

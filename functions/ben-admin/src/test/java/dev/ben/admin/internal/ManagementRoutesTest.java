package dev.ben.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.settings.BenSettings;
import dev.ben.settings.Trigger.HttpAuth;
import dev.ben.settings.Trigger.HttpTrigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The routes the function serves, the routes BenSettings deploys (CDK, SAM, local) and docs/api/openapi.yaml agree. */
class ManagementRoutesTest {

    private static final Path DOCUMENT = Path.of("..", "..", "docs", "api", "openapi.yaml");
    private static final Pattern PATH = Pattern.compile("^  (/\\S+):\\s*$");
    private static final Pattern METHOD = Pattern.compile("^    (get|post|patch|put|delete):\\s*$");

    private static List<String> served() {
        return ManagementRoutes.router(nullOperations(), new Idempotency(null, Clock.systemUTC())).routeKeys();
    }

    /** Method references need targets; these are never invoked here. */
    private static ManagementRoutes.Operations nullOperations() {
        return new ManagementRoutes.Operations(new TenantsApi(null, null), new EndpointsApi(null, null, null),
                new TestEvents(null, null, null, null), new DeliveriesApi(null, null, null, null, null),
                new RecoveryApi(null, null, null, null), new OperatorApi(null, null, null));
    }

    private static List<HttpTrigger> deployed() {
        return BenSettings.own().function(BenSettings.MANAGEMENT_FUNCTION).triggers().stream()
                .map(t -> (HttpTrigger) t).toList();
    }

    private static List<String> documented() throws IOException {
        List<String> routes = new ArrayList<>();
        String path = null;
        for (String line : Files.readAllLines(DOCUMENT)) {
            Matcher p = PATH.matcher(line);
            Matcher m = METHOD.matcher(line);
            if (p.matches()) {
                path = p.group(1);
            } else if (m.matches() && path != null) {
                routes.add(m.group(1).toUpperCase(Locale.ROOT) + " " + path);
            } else if (!line.startsWith(" ")) {
                path = null;
            }
        }
        return routes;
    }

    @Test
    void everyServedRoute_isDeployed_andDocumented_andNothingElse() throws IOException {
        List<String> deployedKeys = deployed().stream().map(t -> t.method() + " " + t.path()).toList();

        assertThat(deployedKeys).containsExactlyInAnyOrderElementsOf(concat(served(),
                "ANY " + BenSettings.MANAGEMENT_FALLBACK_ROUTE));
        assertThat(documented()).containsExactlyInAnyOrderElementsOf(served());
        assertThat(deployed()).allSatisfy(t -> {
            assertThat(t.auth()).isEqualTo(HttpAuth.IAM);
            assertThat(t.api()).isEqualTo(BenSettings.MANAGEMENT_API);
        });
    }

    @Test
    void tenantScopedRoutes_areNestedUnderTheTenant() {
        assertThat(served()).filteredOn(r -> !r.endsWith(" /v1/tenants") && !r.contains("/v1/stats")
                && !r.contains("/v1/dlq"))
                .allSatisfy(r -> assertThat(r).contains(" /v1/tenants/{tenantId}"));
    }

    private static List<String> concat(List<String> routes, String more) {
        List<String> all = new ArrayList<>(routes);
        all.add(more);
        return all;
    }
}

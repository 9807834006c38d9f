package dev.ben.settings.layout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.settings.layout.LayoutRules.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The build check of the layout ({@link LayoutRules}): run on the repository it must find nothing; run on samples
 * it finds each kind of violation, naming file, line and rule.
 */
class LayoutRulesTest {

    private static final Path ROOT = repoRoot();

    @Test
    void theRepository_keepsTheLayoutRules() {
        List<Violation> violations = new LayoutRules(ROOT).check();

        assertThat(violations).as("layout rules broken (see LayoutRules, CONVENTIONS.md):%n%s",
                violations.stream().map(Violation::toString).collect(Collectors.joining("\n"))).isEmpty();
    }

    @Test
    void theRepository_hasProductModulesAndExamples() {
        List<String> modules = new LayoutRules(ROOT).modules();

        assertThat(modules).contains("settings", "functions/ben-sender", "functions/ben-reconcile", "infra-cdk",
                "local/launcher", "cli", "examples/orders/receiver", "examples/orders/demo", "examples/invoices-points");
    }

    @Test
    void demoNamesInProductJava_areFound_inLiteralsAndIdentifiers_notInComments() {
        String source = """
                package dev.ben.x;
                /** How notify orders its writes, e.g. for the orders demo (order.paid). */
                class X {
                    // GET /orders/{orderId}
                    static final String TABLE = "receiver-orders";
                    OrderState state;
                    String inOrder = "in order, border, ordered";
                    long amount = 3;
                    String type = "order.paid";
                    String text = \"""
                        fine
                        {"orderId": 1}
                        \""";
                }
                """;

        List<Violation> found = LayoutRules.demoNamesInJava("p/X.java", source);

        assertThat(found).extracting(Violation::line).containsExactly(5, 6, 9, 12);
        assertThat(found).allSatisfy(v -> assertThat(v.rule()).isEqualTo(LayoutRules.NO_DEMO_NAMES));
        assertThat(found.getFirst().toString()).startsWith("p/X.java:5: string \"receiver-orders\" names the orders"
                + " example's 'orders'");
    }

    @Test
    void demoNames_matchWordsAndCamelCase_only() {
        assertThat(List.of("/webhooks/orders", "BEN_SOURCE_TABLE_ORDERS", "OrdersTable", "orderId", "status PAID",
                "amount", "{\"currency\":\"EUR\"}")).allSatisfy(t -> assertThat(LayoutRules.demoNameIn(t)).isNotNull());
        assertThat(List.of("border: 1px", "in order", "ordered", "reorder", "order of ids", "paidup"))
                .allSatisfy(t -> assertThat(LayoutRules.demoNameIn(t)).as(t).isNull());
        assertThat(List.of("OrderState", "ORDER_ID", "receiverOrders", "ORDER_PAID"))
                .allSatisfy(t -> assertThat(LayoutRules.demoNameInIdentifier(t)).as(t).isNotNull());
        assertThat(List.of("inOrder", "sortOrder", "order", "amount", "currency"))
                .allSatisfy(t -> assertThat(LayoutRules.demoNameInIdentifier(t)).as(t).isNull());
    }

    @Test
    void theInvoicesExamplesNames_areFoundInProductCode_andNamedAsItsOwn() {
        String source = """
                package dev.ben.x;
                class Z {
                    String table = "points-invoices";
                    String type = "invoice.paid";
                    PointsLedger ledger;
                    String fine = "endpoints, checkpoints, e.g. invoice.settled, it points at";
                }
                """;

        List<Violation> found = LayoutRules.demoNamesInJava("p/Z.java", source);

        assertThat(found).extracting(Violation::line).containsExactly(3, 4, 5);
        assertThat(found.getFirst().toString()).contains("the invoices example's 'points-invoices'")
                .contains("examples/invoices-points");
    }

    @Test
    void demoNamesInAResource_areFoundPerLine() {
        List<Violation> found = LayoutRules.demoNamesInText("p/page.js", "const a = 1;\nfetch('/orders/' + id);\n");

        assertThat(found).singleElement().satisfies(v -> {
            assertThat(v.file()).isEqualTo("p/page.js");
            assertThat(v.line()).isEqualTo(2);
        });
    }

    @Test
    void anExampleNamingAProductInternalPackage_isFound_itsOwnInternalsAreNot() {
        String source = """
                package dev.ben.examples.x;
                import dev.ben.sender.internal.aws.DynamoDbEndpointStore;
                import dev.ben.examples.x.internal.Mine;
                import dev.ben.receiver.kit.WebhookReceiver;
                class Y {
                    Object o = dev.ben.receiver.kit.internal.DynamoDbIdempotencyStore.class;
                }
                """;

        List<Violation> found = LayoutRules.internalImports("examples/x/Y.java", source);

        assertThat(found).extracting(Violation::line).containsExactly(2, 6);
        assertThat(found).allSatisfy(v -> assertThat(v.rule()).isEqualTo(LayoutRules.PUBLIC_API_ONLY));
    }

    @Test
    void aProductDependingOnAnExampleOrOnSampleEventsOutsideTests_isFound() {
        String pom = """
                <project>
                  <dependencies>
                    <dependency><groupId>dev.ben</groupId><artifactId>ben-example-orders-receiver</artifactId></dependency>
                    <dependency><groupId>dev.ben</groupId><artifactId>ben-events</artifactId><scope>test</scope></dependency>
                    <dependency>
                      <groupId>dev.ben</groupId><artifactId>ben-events</artifactId><scope>runtime</scope>
                    </dependency>
                  </dependencies>
                </project>
                """;

        List<Violation> found = LayoutRules.dependencyScopes("p/pom.xml", pom);

        assertThat(found).extracting(Violation::line).containsExactly(3, 5);
        assertThat(found).extracting(Violation::detail).first().asString().contains("ben-example-orders-receiver")
                .contains("scope compile");
    }

    private static Path repoRoot() {
        String configured = System.getProperty("ben.repoRoot");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("examples"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root (pom.xml and examples/) above " + Path.of("").toAbsolutePath());
    }
}

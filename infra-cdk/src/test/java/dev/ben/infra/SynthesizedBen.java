package dev.ben.infra;

import dev.ben.examples.orders.OrdersExample;
import dev.ben.settings.BenSettings;
import dev.ben.settings.declaration.Declaration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableAttributes;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One synth of the default stack per test run (a synth takes seconds: every test class shares this one).
 * Function code is a placeholder jar built here, so the tests do not depend on the shaded jars being packaged.
 */
final class SynthesizedBen {

    static final String STACK_ID = "BenTest";

    private SynthesizedBen() {
    }

    static BenStack stack() {
        return Holder.STACK;
    }

    static Template template() {
        return Holder.TEMPLATE;
    }

    static Annotations annotations() {
        return Holder.ANNOTATIONS;
    }

    /** A second stack in the same app with every prop changed from its default (synthesized on first use). */
    static Template customized() {
        return CustomHolder.TEMPLATE;
    }

    /** The orders example's declaration (examples/orders/ben.json): template.yaml's default. */
    static Declaration demoDeclaration() {
        return OrdersExample.declaration();
    }

    /** The settings of the demo stack: Ben on the example's declaration plus the example's receiver side. */
    static BenSettings demoSettings() {
        return OrdersExample.settings();
    }

    /** Props of the demo stack, as the example's CDK app sets them. */
    static BenNotificationProps.Builder demoProps() {
        return BenNotificationProps.builder().declaration(demoDeclaration()).settings(demoSettings())
                .statusApiCallers(List.of(OrdersExample.RECONCILE_FUNCTION)).code(placeholderCode());
    }

    /** Name and stream ARN of the user's own table in the non-demo configuration (see {@link #invoicesDeclaration}). */
    static final String INVOICES = "invoices";
    static final String INVOICES_STREAM = dev.ben.infra.iam.ArnSpace.stream(INVOICES);

    /**
     * A user's declaration that is not the demo: table {@code invoices} with composite key tenantId + invoiceId, a
     * BOOL and a numeric rule with tenants, and a REMOVE rule ({@code declarations/invoices.json}).
     */
    static Declaration invoicesDeclaration() {
        try (var in = SynthesizedBen.class.getResourceAsStream("/declarations/invoices.json")) {
            return Declaration.parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ben on the invoices declaration plus the example's receiver side, which template.yaml deploys beside Ben
     * whichever table it is given.
     */
    static BenSettings invoicesSettings() {
        return BenSettings.of(invoicesDeclaration()).plus(OrdersExample.receiverTables(), List.of(),
                OrdersExample.receiverFunctions());
    }

    /** The demo app (sender + demo receiver) given the user's existing invoices table: creates no source table. */
    static Template onGivenTable() {
        return GivenTableHolder.TEMPLATE;
    }

    /** Only {@link BenSender}, on the user's existing invoices table (what a user's own CDK app builds). */
    static Template senderOnly() {
        return SenderOnlyHolder.TEMPLATE;
    }

    static BenSender senderOnlyConstruct() {
        return SenderOnlyHolder.SENDER;
    }

    /** The user's table as a CDK app imports it: by name and stream ARN. */
    static ITable importInvoices(Construct scope) {
        return Table.fromTableAttributes(scope, "Invoices", TableAttributes.builder().tableName(INVOICES)
                .tableStreamArn(INVOICES_STREAM).build());
    }

    private static final class GivenTableHolder {
        static final BenStack STACK = new BenStack(new App(), STACK_ID + "GivenTable", StackProps.builder().build(),
                BenNotificationProps.builder().declaration(invoicesDeclaration()).settings(invoicesSettings())
                        .statusApiCallers(List.of(OrdersExample.RECONCILE_FUNCTION)).code(placeholderCode()),
                java.util.Map.of(INVOICES, INVOICES_STREAM));
        static final Template TEMPLATE = Template.fromStack(STACK);
    }

    private static final class SenderOnlyHolder {
        static final App APP = new App();
        static final Stack STACK = new Stack(APP, STACK_ID + "SenderOnly");
        static final BenSender SENDER = new BenSender(STACK, "Ben", BenSenderProps.builder()
                .declaration(invoicesDeclaration())
                .source(INVOICES, importInvoices(STACK))
                .code(placeholderCode())
                .build());
        static final Template TEMPLATE = Template.fromStack(STACK);
    }

    /** Code for tests: a jar holding only a manifest (CDK needs an asset; its content does not matter here). */
    static FunctionCode placeholderCode() {
        Path jar = Holder.PLACEHOLDER;
        return function -> Code.fromAsset(jar.toString());
    }

    private static final class CustomHolder {
        static final BenStack STACK = new BenStack(new App(), STACK_ID + "Custom", StackProps.builder().build(),
                demoProps()
                        .retrySchedule(List.of(Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofHours(2)))
                        .retryQueueRetention(Duration.ofDays(2))
                        .historyRetention(Duration.ofDays(7))
                        .allowedHosts(List.of("10.1.2.3", "192.168.50.0/24"))
                        .httpsOnly(false)
                        .memoryMb("notify", 2048)
                        .statusApiCallers(List.of())
                        .logRetention(RetentionDays.ONE_WEEK)
                        .failedAlarmThreshold(5)
                        .iteratorAgeAlarm(Duration.ofMinutes(2)));
        static final Template TEMPLATE = Template.fromStack(STACK);
    }

    private static final class Holder {
        static final Path PLACEHOLDER = placeholderJar();
        static final App APP = new App();
        static final BenStack STACK = new BenStack(APP, STACK_ID, StackProps.builder().build(), demoProps());
        static final Template TEMPLATE = Template.fromStack(STACK);
        static final Annotations ANNOTATIONS = Annotations.fromStack(STACK);

        private static Path placeholderJar() {
            try {
                Path dir = Files.createDirectories(Path.of("target", "placeholder"));
                Path jar = dir.resolve("placeholder-function.jar");
                if (!Files.exists(jar)) {
                    Manifest manifest = new Manifest();
                    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
                    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                        out.putNextEntry(new ZipEntry("README.txt"));
                        out.write("placeholder for CDK assertion tests".getBytes());
                        out.closeEntry();
                    }
                }
                return jar.toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

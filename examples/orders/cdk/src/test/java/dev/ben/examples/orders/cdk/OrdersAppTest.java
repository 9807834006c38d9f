package dev.ben.examples.orders.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ben.examples.orders.OrdersExample;
import dev.ben.infra.BenStack;
import dev.ben.settings.EnvVars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;

/** The example's CDK app composes Ben's construct with B's side: every example function, reconcile wired to A. */
class OrdersAppTest {

    @Test
    void theExampleStack_hasBensFunctionsAndBs_andReconcileGetsTheStatusApiUrl() throws IOException {
        Path jar = placeholderJar();
        BenStack stack = new BenStack(new App(), "OrdersExampleTest", StackProps.builder().build(),
                OrdersApp.props().code(function -> Code.fromAsset(jar.toString())));

        Template template = Template.fromStack(stack);

        template.resourceCountIs("AWS::Lambda::Function", OrdersExample.settings().functions().size());
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "Handler", "dev.ben.reconcile.ReconcileHandler::handleRequest",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(EnvVars.STATUS_API_URL, Match.anyValue())))));
        template.hasResourceProperties("AWS::DynamoDB::Table", Map.of("KeySchema",
                List.of(Map.of("AttributeName", "orderId", "KeyType", "HASH")), "StreamSpecification",
                Map.of("StreamViewType", "NEW_AND_OLD_IMAGES")));
        assertThat(stack.notification().function(OrdersExample.RECEIVER_FUNCTION)).isNotNull();
    }

    private static Path placeholderJar() throws IOException {
        Path jar = Files.createDirectories(Path.of("target", "placeholder")).resolve("function.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.closeEntry();
        }
        return jar.toAbsolutePath();
    }
}

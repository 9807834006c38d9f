package dev.ben.infra;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ben.infra.iam.ArnSpace;
import dev.ben.infra.iam.CfnRoles;
import dev.ben.infra.iam.Identities;
import dev.ben.infra.iam.Intrinsics;
import dev.ben.infra.iam.Role;
import dev.ben.infra.iam.SamRoles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.ssm.SecureStringParameterAttributes;
import software.amazon.awscdk.services.ssm.StringParameter;

/**
 * The receiver's two deployments for the same receiver (a points service): {@link BenReceiver} synthesized (construct
 * id {@code Ben}) and {@code receiver-template.yaml} for the equivalent parameters, with their execution roles for
 * the IAM check.
 */
final class ReceiverTemplates {

    static final String SCOPE = "points";
    static final String SECRET_ARN = "arn:aws:secretsmanager:" + ArnSpace.REGION + ":" + ArnSpace.ACCOUNT
            + ":secret:points/signing-AbCdEf";
    static final String PARAMETER = "points/signing";
    static final String PARAMETER_ARN = "arn:aws:ssm:" + ArnSpace.REGION + ":" + ArnSpace.ACCOUNT + ":parameter/"
            + PARAMETER;
    static final String API_ID = "a1b2c3d4e5";
    static final String API_ARN = "arn:aws:execute-api:" + ArnSpace.REGION + ":" + ArnSpace.ACCOUNT + ":" + API_ID;
    static final String API_URL = "https://" + API_ID + ".execute-api." + ArnSpace.REGION + ".amazonaws.com";
    static final String HANDLER = "com.example.points.PointsReceiverHandler";
    static final String PATH = "/webhooks/points";
    /** The physical name the IAM check gives the idempotency table in both templates. */
    static final String TABLE = "receiver-idempotency";
    static final Path SAM_TEMPLATE = SamTemplateDriftTest.repoRoot().resolve("receiver-template.yaml");

    private ReceiverTemplates() {
    }

    /** The CDK synth; {@code parameterStore} chooses the SSM variant of the signing secrets. */
    static Template cdk(boolean parameterStore) {
        App app = new App();
        Stack stack = new Stack(app, "ReceiverTest", StackProps.builder()
                .env(Environment.builder().account(ArnSpace.ACCOUNT).region(ArnSpace.REGION).build()).build());
        BenReceiverProps.Builder props = BenReceiverProps.builder().scope(SCOPE)
                .code(Code.fromAsset(placeholderJar().toString())).webhookHandler(HANDLER).webhookPath(PATH)
                .statusApiUrl(API_URL).statusApiArn(API_ARN);
        if (parameterStore) {
            props.secretParameter(StringParameter.fromSecureStringParameterAttributes(stack, "Signing",
                    SecureStringParameterAttributes.builder().parameterName("/" + PARAMETER).build()));
        } else {
            props.secret(Secret.fromSecretCompleteArn(stack, "Signing", SECRET_ARN));
        }
        new BenReceiver(stack, "Ben", props.build());
        return Template.fromStack(stack);
    }

    /** receiver-template.yaml's parameters for the same receiver. */
    static Map<String, String> samParameters(boolean parameterStore) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Scope", SCOPE);
        p.put("CodeUri", "target/function.jar");
        p.put("WebhookHandler", HANDLER);
        p.put("WebhookPath", PATH);
        p.put(parameterStore ? "SigningSecretParameter" : "SigningSecretArn", parameterStore ? PARAMETER : SECRET_ARN);
        p.put("StatusApiUrl", API_URL);
        p.put("StatusApiId", API_ID);
        return p;
    }

    static Map<String, Object> samTemplate() {
        try {
            return new YAMLMapper().readValue(SAM_TEMPLATE.toFile(), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SAM template's execution roles (webhook, reconcile) as SAM would generate them. */
    @SuppressWarnings("unchecked")
    static Map<String, Role> samRoles(boolean parameterStore) {
        Map<String, Object> template = samTemplate();
        Identities identities = new Identities().table("IdempotencyTable", TABLE).api("ReceiverApi", "receiver-api")
                .other("WebhookFunction", "webhook").other("ReconcileFunction", "reconcile");
        Intrinsics intrinsics = new Intrinsics(identities.asMap(), Intrinsics.parameters(template,
                samParameters(parameterStore)), (Map<String, Object>) template.getOrDefault("Conditions", Map.of()));
        return SamRoles.of(template, "receiver-template.yaml", Map.of("webhook", "WebhookFunction",
                "reconcile", "ReconcileFunction"), intrinsics);
    }

    /** The CDK synth's execution roles (webhook, reconcile). */
    static Map<String, Role> cdkRoles(Template template) {
        Identities identities = new Identities().table(CfnResources.logicalId(template, "AWS::DynamoDB::Table",
                "idempotency", "Table"), TABLE);
        Map<String, String> roles = Map.of(
                "webhook", CfnResources.logicalId(template, "AWS::IAM::Role", "webhook", "FunctionServiceRole"),
                "reconcile", CfnResources.logicalId(template, "AWS::IAM::Role", "reconcile", "FunctionServiceRole"));
        return CfnRoles.of(CfnResources.json(template), "CDK synth", roles, new Intrinsics(identities.asMap(),
                Map.of(), Map.of()));
    }

    private static Path placeholderJar() {
        try {
            Path jar = Files.createTempFile("receiver-function", ".jar");
            try (OutputStream out = Files.newOutputStream(jar);
                 JarOutputStream ignored = new JarOutputStream(out, new Manifest())) {
                // an empty jar: the synth only needs an asset
            }
            jar.toFile().deleteOnExit();
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.ben.infra;

import static dev.ben.infra.CfnResources.ofType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.secretsmanager.Secret;

class BenReceiverTest {

    private final Template template = ReceiverTemplates.cdk(false);

    @Test
    void synth_createsTheReceiversParts_andNothingOfTheSender() {
        assertThat(ofType(template, "AWS::DynamoDB::Table")).hasSize(1);
        assertThat(ofType(template, "AWS::Lambda::Function")).hasSize(2);
        assertThat(ofType(template, "AWS::ApiGatewayV2::Route")).hasSize(1);
        assertThat(ofType(template, "AWS::Events::Rule")).hasSize(1);
        assertThat(ofType(template, "AWS::CloudWatch::Alarm")).hasSize(1);
        assertThat(ofType(template, "AWS::SQS::Queue")).isEmpty();
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of("RouteKey",
                "POST " + ReceiverTemplates.PATH));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler", BenReceiver.RECONCILE_HANDLER,
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "BEN_STATUS_API_URL", ReceiverTemplates.API_URL, "BEN_RECONCILE_HORIZON", "P7D",
                        "BEN_RECONCILE_CURSOR_TABLE", Match.anyValue(),
                        "BEN_RECEIVER_IDEMPOTENCY_TABLE", Match.anyValue())))));
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Handler",
                ReceiverTemplates.HANDLER + "::handleRequest", "Environment", Map.of("Variables", Match.objectLike(
                        Map.of("BEN_RECEIVER_SECRETS_ARN", ReceiverTemplates.SECRET_ARN)))));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("MetricName", "pastHorizon",
                "Namespace", "Ben", "Dimensions", Match.arrayWith(List.of(Map.of("Name", "scope",
                        "Value", ReceiverTemplates.SCOPE)))));
    }

    @Test
    void statusApiPermission_isExecuteApiInvokeOnTheGetStatusRoutesOnly() {
        template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Map.of("Effect", "Allow", "Action", "execute-api:Invoke",
                        "Resource", List.of(ReceiverTemplates.API_ARN + "/*/GET/entities/*",
                                ReceiverTemplates.API_ARN + "/*/GET/events/*",
                                ReceiverTemplates.API_ARN + "/*/GET/deliveries/*")))))));
    }

    @Test
    void props_refuseNoOrTwoSecretSources_aBadScopeOrApiArn_andAScheduleUnderTwoMinutes() {
        Stack stack = new Stack(new App(), "Props");
        BenReceiverProps.Builder base = BenReceiverProps.builder().scope("points").code(Code.fromAsset("."))
                .webhookHandler("x.Y").webhookPath("/w").statusApiUrl("https://a").statusApiArn(
                        ReceiverTemplates.API_ARN);

        assertThatThrownBy(base::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one of secret");
        base.secret(Secret.fromSecretCompleteArn(stack, "S", ReceiverTemplates.SECRET_ARN));
        assertThatThrownBy(() -> base.statusApiArn(ReceiverTemplates.API_ARN + "/prod/GET/x").build())
                .hasMessageContaining("no stage or route");
        base.statusApiArn(ReceiverTemplates.API_ARN);
        assertThatThrownBy(() -> base.scope("a#b").build()).hasMessageContaining("scope");
        base.scope("points");
        assertThatThrownBy(() -> base.reconcileEvery(Duration.ofMinutes(1)).build())
                .hasMessageContaining("at least 2");
        assertThat(base.reconcileEvery(Duration.ofMinutes(5)).build().reconcileEvery()).hasMinutes(5);
    }
}

package dev.ben.infra;

import dev.ben.infra.internal.Names;
import dev.ben.settings.BenSettings;
import dev.ben.settings.Trigger.HttpAuth;
import dev.ben.settings.Trigger.HttpTrigger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableAttributes;
import software.constructs.Construct;

/**
 * A deployable stack holding one {@link BenNotification}. When the settings deploy a public webhook beside Ben (a
 * receiver, as the orders example does), its signing secrets come from the {@value #RECEIVER_SECRETS_PARAMETER}
 * parameter (NoEcho), never from source; Ben alone has no such parameter.
 */
public final class BenStack extends Stack {

    public static final String RECEIVER_SECRETS_PARAMETER = "ReceiverSecrets";

    private final BenNotification notification;

    /**
     * @param props the construct's props; the receiver secrets are set from the stack parameter (if any)
     */
    public BenStack(Construct scope, String id, StackProps stackProps, BenNotificationProps.Builder props) {
        this(scope, id, stackProps, props, Map.of());
    }

    /**
     * @param sourceStreams existing tables for declared sources: source name → the table's stream ARN (the table
     *                      name is the ARN's {@code table/NAME} part); those sources are not created
     */
    public BenStack(Construct scope, String id, StackProps stackProps, BenNotificationProps.Builder props,
                    Map<String, String> sourceStreams) {
        super(scope, id, stackProps);
        sourceStreams.forEach((source, streamArn) -> props.sourceTable(source, Table.fromTableAttributes(this,
                Names.pascal(source) + "Source", TableAttributes.builder().tableName(tableOf(streamArn))
                        .tableStreamArn(streamArn).build())));
        if (hasPublicWebhook(props.build().settings())) {
            CfnParameter secrets = CfnParameter.Builder.create(this, RECEIVER_SECRETS_PARAMETER)
                    .type("String")
                    .noEcho(true)
                    .minLength(1)
                    .description("Receiver webhook signing secrets (whsec_...), space separated")
                    .build();
            props.receiverSecrets(secrets.getValueAsString());
        }
        this.notification = new BenNotification(this, "Ben", props.build());
        notification.apis().forEach((name, api) -> CfnOutput.Builder.create(this, "Url" + Names.pascal(name))
                .description("Base URL of " + name)
                .value(api.getApiEndpoint())
                .build());
        CfnOutput.Builder.create(this, "DashboardName")
                .value(notification.dashboard().getDashboardName())
                .build();
    }

    private static boolean hasPublicWebhook(BenSettings settings) {
        return settings.functions().stream().flatMap(f -> f.triggers().stream())
                .anyMatch(t -> t instanceof HttpTrigger http && http.auth() == HttpAuth.NONE);
    }

    /** {@code arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL} → {@code NAME}. */
    static String tableOf(String streamArn) {
        Matcher m = STREAM_ARN.matcher(streamArn);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a DynamoDB stream ARN: '" + streamArn + "' (expected"
                    + " arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL, e.g. from aws dynamodb describe-table"
                    + " --table-name NAME --query Table.LatestStreamArn)");
        }
        return m.group(1);
    }

    private static final Pattern STREAM_ARN = Pattern.compile(
            "arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/([a-zA-Z0-9_.-]{3,255})/stream/[0-9A-Za-z:._-]+");

    public BenNotification notification() {
        return notification;
    }
}

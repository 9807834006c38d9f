package dev.ben.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * A deployable stack holding one {@link BenNotification}. The receiver's webhook secrets come from the
 * {@value #RECEIVER_SECRETS_PARAMETER} parameter (NoEcho), never from source.
 */
public final class BenStack extends Stack {

    public static final String RECEIVER_SECRETS_PARAMETER = "ReceiverSecrets";

    private final BenNotification notification;

    /**
     * @param props the construct's props; the receiver secrets are set from the stack parameter
     */
    public BenStack(Construct scope, String id, StackProps stackProps, BenNotificationProps.Builder props) {
        super(scope, id, stackProps);
        CfnParameter secrets = CfnParameter.Builder.create(this, RECEIVER_SECRETS_PARAMETER)
                .type("String")
                .noEcho(true)
                .minLength(1)
                .description("Receiver webhook signing secrets (whsec_...), space separated")
                .build();
        this.notification = new BenNotification(this, "Ben",
                props.receiverSecrets(secrets.getValueAsString()).build());
        notification.apis().forEach((name, api) -> CfnOutput.Builder.create(this, "Url"
                        + dev.ben.infra.internal.Names.pascal(name))
                .description("Base URL of " + name)
                .value(api.getApiEndpoint())
                .build());
        CfnOutput.Builder.create(this, "DashboardName")
                .value(notification.dashboard().getDashboardName())
                .build();
    }

    public BenNotification notification() {
        return notification;
    }
}

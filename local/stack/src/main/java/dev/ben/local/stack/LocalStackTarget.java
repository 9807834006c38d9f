package dev.ben.local.stack;

import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * LocalStack through Testcontainers, behind the {@link LocalAws} API. Loaded only when asked for.
 *
 * <p>Read against Testcontainers 2.0.5 and LocalStack 4.14.0: {@code LocalStackContainer} itself mounts the
 * Docker socket (nothing to add: Docker refuses a second mount on the same path), {@code SERVICES=dynamodb,sqs}
 * also loads {@code dynamodbstreams} and {@code kinesis} (LocalStack's {@code API_DEPENDENCIES}), and no Lambda
 * runs here, so no architecture is chosen. The first table with a stream makes LocalStack fetch its Kinesis
 * emulator: the clients wait minutes ({@link LocalAws.Timeouts#LOCALSTACK}) and provisioning creates tables
 * through {@link TableCreation}.
 */
final class LocalStackTarget {

    static final String DEFAULT_IMAGE = "localstack/localstack:4.14.0";
    static final String IMAGE_VARIABLE = "BEN_LOCALSTACK_IMAGE";
    static final String AUTH_TOKEN_VARIABLE = "LOCALSTACK_AUTH_TOKEN";

    private LocalStackTarget() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static String image() {
        String configured = System.getProperty(IMAGE_VARIABLE, System.getenv(IMAGE_VARIABLE));
        return configured == null || configured.isBlank() ? DEFAULT_IMAGE : configured;
    }

    /** A container of {@link #image()} for these services, with {@code LOCALSTACK_AUTH_TOKEN} when it is set. */
    static LocalStackContainer container(String... services) {
        LocalStackContainer container = new LocalStackContainer(LocalAws.localStackImage()).withServices(services);
        String token = System.getenv(AUTH_TOKEN_VARIABLE);
        if (token != null && !token.isBlank()) {
            container.withEnv(AUTH_TOKEN_VARIABLE, token);
        }
        return container;
    }

    static LocalAws start() {
        if (!dockerAvailable()) {
            throw new IllegalStateException("LocalStack needs Docker, and Docker is not available here. "
                    + "Use LocalAws.start() (the Docker-free local stack) instead.");
        }
        LocalStackContainer container = container("dynamodb", "sqs");
        container.start();
        try {
            return LocalAws.ofLocalStack(container.getEndpoint(),
                    "LocalStack " + image() + " at " + container.getEndpoint(), List.of(container::stop));
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }
}

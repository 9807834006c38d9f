package dev.ben.local.stack;

import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;

/** LocalStack through Testcontainers, behind the {@link LocalAws} API. Loaded only when asked for. */
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

    static LocalAws start() {
        if (!dockerAvailable()) {
            throw new IllegalStateException("LocalStack needs Docker, and Docker is not available here. "
                    + "Use LocalAws.start() (the Docker-free local stack) instead.");
        }
        LocalStackContainer container = new LocalStackContainer(LocalAws.localStackImage())
                .withServices("dynamodb", "sqs");
        String token = System.getenv(AUTH_TOKEN_VARIABLE);
        if (token != null && !token.isBlank()) {
            container.withEnv(AUTH_TOKEN_VARIABLE, token);
        }
        container.start();
        try {
            return new LocalAws(container.getEndpoint(), container.getEndpoint(), null, null,
                    "LocalStack " + image() + " at " + container.getEndpoint(), List.of(container::stop));
        } catch (RuntimeException e) {
            container.stop();
            throw e;
        }
    }
}

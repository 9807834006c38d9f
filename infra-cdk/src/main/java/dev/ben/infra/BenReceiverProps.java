package dev.ben.infra;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.ssm.IParameter;

/**
 * What {@link BenReceiver} deploys for one receiver (system B). Build with {@link #builder()}.
 *
 * @param scope             the receiver's idempotency scope (its handler's name, 1-64 of {@code [A-Za-z0-9._-]});
 *                          the horizon alarm watches the reconcile metrics of this scope
 * @param code              the receiver's deployment jar (its webhook handler, its {@code ReconcileTarget}, the kit
 *                          and the reconcile library)
 * @param webhookHandler    the webhook function's handler class ({@code RequestHandler} of HTTP API payload 2.0)
 * @param webhookPath       the webhook route ({@code POST}), e.g. {@code /webhooks/invoices}
 * @param secret            signing secrets in Secrets Manager (its {@code SecretString} is the space-separated
 *                          {@code whsec_} list); exactly one of {@code secret} and {@code secretParameter}
 * @param secretParameter   signing secrets in SSM Parameter Store (a {@code SecureString})
 * @param statusApiUrl      base URL of A's status API ({@code BEN_STATUS_API_URL})
 * @param statusApiArn      A's HTTP API as {@code arn:<partition>:execute-api:<region>:<account>:<apiId>}:
 *                          reconcile may {@code execute-api:Invoke} its {@code GET} status routes, nothing else
 * @param reconcileTarget   the {@code ReconcileTarget} class, when the jar registers none as a service provider
 * @param reconcileEvery    the reconcile schedule (default 15 minutes)
 * @param horizon           records pending longer are reported (metric {@code pastHorizon}, alarm), default 7 days
 * @param idempotencyTableEnvVar the environment variable through which the receiver's code gets the table's name
 * @param environment       more environment variables for both functions (the receiver's own tables, say)
 * @param memoryMb          memory of both functions (default 512)
 */
public record BenReceiverProps(String scope, Code code, String webhookHandler, String webhookPath,
        Optional<ISecret> secret, Optional<IParameter> secretParameter, String statusApiUrl, String statusApiArn,
        Optional<String> reconcileTarget, Duration reconcileEvery, Duration horizon, String idempotencyTableEnvVar,
        Map<String, String> environment, int memoryMb) {

    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern API_ARN = Pattern.compile("arn:[^:]+:execute-api:[^:]*:[^:]*:[^:/]+|\\$\\{Token\\[.*");

    public BenReceiverProps {
        Objects.requireNonNull(scope, "scope");
        if (!SCOPE.matcher(scope).matches()) {
            throw new IllegalArgumentException("scope must be 1-64 of [A-Za-z0-9._-], was '" + scope + "'");
        }
        Objects.requireNonNull(code, "code: the receiver's deployment jar");
        Objects.requireNonNull(webhookHandler, "webhookHandler");
        Objects.requireNonNull(webhookPath, "webhookPath");
        if (!webhookPath.startsWith("/")) {
            throw new IllegalArgumentException("webhookPath must start with '/', was '" + webhookPath + "'");
        }
        if (secret.isPresent() == secretParameter.isPresent()) {
            throw new IllegalArgumentException("give exactly one of secret (Secrets Manager) and secretParameter"
                    + " (SSM Parameter Store) for the signing secrets; a plain stack parameter is not offered");
        }
        Objects.requireNonNull(statusApiUrl, "statusApiUrl: A's status API base URL");
        Objects.requireNonNull(statusApiArn, "statusApiArn");
        if (!API_ARN.matcher(statusApiArn).matches()) {
            throw new IllegalArgumentException("statusApiArn must be arn:<partition>:execute-api:<region>:<account>:"
                    + "<apiId> (no stage or route), was '" + statusApiArn + "'");
        }
        if (reconcileEvery.compareTo(Duration.ofMinutes(2)) < 0 || reconcileEvery.toSeconds() % 60 != 0
                || horizon.compareTo(reconcileEvery) <= 0) {
            throw new IllegalArgumentException("reconcileEvery must be whole minutes, at least 2, and horizon longer");
        }
        environment = Map.copyOf(environment);
        if (memoryMb < 128) {
            throw new IllegalArgumentException("memoryMb must be at least 128");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; scope, code, webhookHandler, webhookPath, one secret source and the status API are required. */
    public static final class Builder {
        private String scope;
        private Code code;
        private String webhookHandler;
        private String webhookPath;
        private ISecret secret;
        private IParameter secretParameter;
        private String statusApiUrl;
        private String statusApiArn;
        private String reconcileTarget;
        private Duration reconcileEvery = Duration.ofMinutes(15);
        private Duration horizon = Duration.ofDays(7);
        private String idempotencyTableEnvVar = "BEN_RECEIVER_IDEMPOTENCY_TABLE";
        private final Map<String, String> environment = new LinkedHashMap<>();
        private int memoryMb = 512;

        private Builder() {
        }

        public Builder scope(String value) { this.scope = value; return this; }
        public Builder code(Code value) { this.code = value; return this; }
        public Builder webhookHandler(String value) { this.webhookHandler = value; return this; }
        public Builder webhookPath(String value) { this.webhookPath = value; return this; }
        public Builder secret(ISecret value) { this.secret = value; return this; }
        public Builder secretParameter(IParameter value) { this.secretParameter = value; return this; }
        public Builder statusApiUrl(String value) { this.statusApiUrl = value; return this; }
        public Builder statusApiArn(String value) { this.statusApiArn = value; return this; }
        public Builder reconcileTarget(String value) { this.reconcileTarget = value; return this; }
        public Builder reconcileEvery(Duration value) { this.reconcileEvery = value; return this; }
        public Builder horizon(Duration value) { this.horizon = value; return this; }
        public Builder idempotencyTableEnvVar(String value) { this.idempotencyTableEnvVar = value; return this; }
        public Builder environment(String name, String value) { this.environment.put(name, value); return this; }
        public Builder memoryMb(int value) { this.memoryMb = value; return this; }

        public BenReceiverProps build() {
            return new BenReceiverProps(scope, code, webhookHandler, webhookPath, Optional.ofNullable(secret),
                    Optional.ofNullable(secretParameter), statusApiUrl, statusApiArn,
                    Optional.ofNullable(reconcileTarget), reconcileEvery, horizon, idempotencyTableEnvVar,
                    environment, memoryMb);
        }
    }
}

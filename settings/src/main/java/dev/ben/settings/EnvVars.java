package dev.ben.settings;

/** Environment variables shared by functions, CDK, SAM and the local runtime (besides table/queue env vars). */
public final class EnvVars {
    /**
     * The declaration (sources and rules) as JSON, for the functions that read source streams; see
     * {@code dev.ben.settings.declaration.Declaration}. Replaces the old {@code BEN_EVENT_RULES} string.
     */
    public static final String DECLARATION = "BEN_DECLARATION";
    /** Base URL of system A's status API, for reconcile. */
    public static final String STATUS_API_URL = "BEN_STATUS_API_URL";
    /** Shared secret for the status API when IAM auth is not available (local stack). */
    public static final String STATUS_API_TOKEN = "BEN_STATUS_API_TOKEN";
    /** Bearer token of the management API when IAM auth is not available (local stack). */
    public static final String MANAGEMENT_API_TOKEN = "BEN_MANAGEMENT_API_TOKEN";
    /** Base URL of the management API, for its clients (the CLI); unset = the local file, see BenSettings. */
    public static final String MANAGEMENT_API_URL = "BEN_MANAGEMENT_API_URL";
    /** Receiver's webhook signing secrets, space separated {@code whsec_...} values. */
    public static final String RECEIVER_SECRETS = "BEN_RECEIVER_SECRETS";
    /** {@code true} lets deliveries go to loopback/private addresses (local development only). */
    public static final String ALLOW_PRIVATE_ADDRESSES = "BEN_ALLOW_PRIVATE_ADDRESSES";
    /**
     * Comma separated IP addresses or CIDR blocks deliveries may reach although they are private (explicit
     * exceptions to the SSRF block, ben-core's {@code AddressPolicy} allow-list; empty = none).
     */
    public static final String ALLOWED_HOSTS = "BEN_ALLOWED_HOSTS";
    /** {@code true} refuses non-HTTPS endpoint URLs (on in deployed stacks). */
    public static final String HTTPS_ONLY = "BEN_HTTPS_ONLY";
    /** How long delivery and attempt records are kept (TTL), e.g. {@code 30d}; the sender's default when unset. */
    public static final String HISTORY_RETENTION = "BEN_HISTORY_RETENTION";
    /** Retry schedule override, comma separated ISO-8601 or shorthand durations (15s,3m,1h). */
    public static final String RETRY_SCHEDULE = "BEN_RETRY_SCHEDULE";

    /** DynamoDB (and DynamoDB Streams) endpoint override; unset in AWS. Set by the local stack. */
    public static final String DYNAMODB_ENDPOINT = "BEN_DYNAMODB_ENDPOINT";
    /** SQS endpoint override; unset in AWS. Set by the local stack. */
    public static final String SQS_ENDPOINT = "BEN_SQS_ENDPOINT";
    /** Service-specific endpoint variables that the AWS SDK v2 reads by itself from the process environment. */
    public static final String AWS_ENDPOINT_URL_DYNAMODB = "AWS_ENDPOINT_URL_DYNAMODB";
    public static final String AWS_ENDPOINT_URL_DYNAMODB_STREAMS = "AWS_ENDPOINT_URL_DYNAMODB_STREAMS";
    public static final String AWS_ENDPOINT_URL_SQS = "AWS_ENDPOINT_URL_SQS";

    private EnvVars() {
    }
}

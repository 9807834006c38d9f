package dev.ben.cli;

import dev.ben.admin.AdminException;
import dev.ben.cli.internal.BenConnection;
import dev.ben.cli.internal.Output;
import dev.ben.core.egress.EgressException;
import dev.ben.settings.BenSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * {@code ben}: the operator's command line for Ben — endpoints, deliveries, replay and recovery, the dead-letter
 * queue and stats — against the local stack or AWS. Exit codes: {@link ExitCodes}.
 */
@Command(name = "ben", mixinStandardHelpOptions = true, version = "ben 0.1.0",
        description = "Operate Ben: endpoints, deliveries, replay and recovery, the dead-letter queue, stats.",
        subcommands = {EndpointsCommand.class, TenantsCommand.class, DeliveriesCommand.class, ReplayCommand.class, RecoverCommand.class,
                DlqCommand.class, StatsCommand.class, StatusPageCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0 ok   2 bad arguments   3 not found   4 AWS/connection error",
                "  5 refused in the current state   6 batch partly failed   1 internal error",
                "",
                "Connection: flags, else the same environment variables as the functions (AWS_REGION, AWS_PROFILE,",
                "AWS_ENDPOINT_URL, BEN_ENDPOINTS_TABLE, BEN_DELIVERIES_TABLE, BEN_ATTEMPTS_TABLE, BEN_RETRY_QUEUE_URL,",
                "BEN_RETRY_DLQ_URL), else the logical names (ben-endpoints, ben-deliveries, ...).",
                "Local stack: ben --endpoint-url http://127.0.0.1:<port> ... (credentials default to local/local)."})
public final class BenCli {

    @Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION",
            description = "AWS region (default: AWS_REGION, the profile's region, us-east-1).")
    String region;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "AWS shared-config profile for credentials and region.")
    String profile;

    @Option(names = "--endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Endpoint override for DynamoDB and SQS (the local stack, LocalStack).")
    String endpointUrl;

    @Option(names = "--dynamodb-endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Endpoint override for DynamoDB only.")
    String dynamoDbEndpointUrl;

    @Option(names = "--sqs-endpoint-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Endpoint override for SQS only.")
    String sqsEndpointUrl;

    @Option(names = "--endpoints-table", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Endpoints table (default: BEN_ENDPOINTS_TABLE or ben-endpoints).")
    String endpointsTable;

    @Option(names = "--deliveries-table", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Deliveries table (default: BEN_DELIVERIES_TABLE or ben-deliveries).")
    String deliveriesTable;

    @Option(names = "--attempts-table", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Attempt log table (default: BEN_ATTEMPTS_TABLE or ben-attempts).")
    String attemptsTable;

    @Option(names = "--retry-queue-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Retry queue URL (default: BEN_RETRY_QUEUE_URL, else looked up by the name ben-retry).")
    String retryQueueUrl;

    @Option(names = "--dlq-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Dead-letter queue URL (default: BEN_RETRY_DLQ_URL, else looked up by the name ben-retry-dlq).")
    String dlqUrl;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "text (default) or json (one JSON document on stdout; errors as JSON on stderr).")
    Output.Format format = Output.Format.text;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    private final Map<String, String> environment;
    private final PrintWriter out;
    private final PrintWriter err;
    private BenConnection connection;

    BenCli(Map<String, String> environment, PrintWriter out, PrintWriter err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // the AWS SDK logs through SLF4J; the CLI ships no provider and reports errors itself
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, System.getenv(), out, err));
    }

    /** Runs one command line and returns its exit code (never calls {@code System.exit}). */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        BenCli cli = new BenCli(environment, out, err);
        CommandLine commandLine = new CommandLine(cli)
                .setOut(out).setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> cli.report(e));
        try {
            return commandLine.execute(args);
        } finally {
            if (cli.connection != null) {
                cli.connection.close();
            }
            out.flush();
            err.flush();
        }
    }

    /** The CLI of a running command (from any subcommand's spec). */
    static BenCli of(CommandSpec spec) {
        return (BenCli) spec.root().userObject();
    }

    Output output() {
        return new Output(out, err, format);
    }

    synchronized BenConnection connection() {
        if (connection == null) {
            connection = BenConnection.fromEnvironment(effectiveEnvironment());
        }
        return connection;
    }

    /** The process environment with the flags folded in (flags win). */
    Map<String, String> effectiveEnvironment() {
        Map<String, String> env = new HashMap<>(environment);
        BenSettings settings = BenSettings.own();
        put(env, "AWS_REGION", region);
        put(env, "AWS_PROFILE", profile);
        if (endpointUrl != null) {
            env.put("AWS_ENDPOINT_URL", endpointUrl);
            env.put("AWS_ENDPOINT_URL_DYNAMODB", endpointUrl);
            env.put("AWS_ENDPOINT_URL_SQS", endpointUrl);
        }
        put(env, "AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpointUrl);
        put(env, "AWS_ENDPOINT_URL_SQS", sqsEndpointUrl);
        put(env, settings.table(BenSettings.ENDPOINTS_TABLE).envVar(), endpointsTable);
        put(env, settings.table(BenSettings.DELIVERIES_TABLE).envVar(), deliveriesTable);
        put(env, settings.table(BenSettings.ATTEMPTS_TABLE).envVar(), attemptsTable);
        put(env, settings.queue(BenSettings.RETRY_QUEUE).envVar(), retryQueueUrl);
        put(env, settings.queue(BenSettings.RETRY_DLQ).envVar(), dlqUrl);
        boolean local = isLoopback(env.get("AWS_ENDPOINT_URL_DYNAMODB")) || isLoopback(env.get("AWS_ENDPOINT_URL"));
        if (local && env.get("AWS_PROFILE") == null && env.get("AWS_ACCESS_KEY_ID") == null) {
            env.put("AWS_ACCESS_KEY_ID", "local"); // the local stack accepts any static credentials
            env.put("AWS_SECRET_ACCESS_KEY", "local");
        }
        return env;
    }

    private static boolean isLoopback(String url) {
        if (url == null || url.isBlank()) {
            return false;
        }
        try {
            String host = URI.create(url.trim()).getHost();
            return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void put(Map<String, String> env, String name, String value) {
        if (value != null && !value.isBlank()) {
            env.put(name, value.trim());
        }
    }

    private static int exitCode(AdminException.Kind kind) {
        return switch (kind) {
            case INVALID -> ExitCodes.USAGE;
            case NOT_FOUND -> ExitCodes.NOT_FOUND;
            case CONFLICT -> ExitCodes.CONFLICT;
        };
    }

    private int report(Exception e) {
        int code;
        String message;
        if (e instanceof CliException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (e instanceof AdminException refused) {
            code = exitCode(refused.kind());
            message = refused.field().map(f -> "--" + f + ": ").orElse("") + refused.getMessage();
        } else if (e instanceof EgressException egress) {
            code = ExitCodes.USAGE;
            message = "invalid endpoint URL: " + egress.getMessage();
        } else if (e instanceof ResourceNotFoundException missing) {
            code = ExitCodes.AWS;
            message = "table not found (" + missing.awsErrorDetails().errorMessage() + "); check --region, "
                    + "--endpoint-url and the table names (--endpoints-table, --deliveries-table, --attempts-table)";
        } else if (e instanceof SdkClientException client) {
            code = ExitCodes.AWS;
            message = "cannot reach AWS: " + client.getMessage();
        } else if (e instanceof SdkException sdk) {
            code = ExitCodes.AWS;
            message = "AWS error: " + sdk.getMessage();
        } else if (e instanceof IllegalArgumentException bad) {
            code = ExitCodes.USAGE;
            message = bad.getMessage();
        } else {
            code = ExitCodes.INTERNAL;
            message = "internal error: " + e;
        }
        if (format == Output.Format.json) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", message);
            error.put("exitCode", code);
            err.println(Output.toJson(error));
        } else {
            err.println("ben: " + message);
        }
        if (verbose || code == ExitCodes.INTERNAL) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return code;
    }
}

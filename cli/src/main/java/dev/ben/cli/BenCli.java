package dev.ben.cli;

import dev.ben.cli.internal.Output;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.cli.internal.api.ApiConnection;
import dev.ben.core.egress.EgressException;
import dev.ben.settings.BenSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code ben}: the operator's command line for Ben — tenants, endpoints, deliveries, replay and recovery, the
 * dead-letter queue and stats — over the management API (docs/api.md) of the local stack or a deployed one.
 * Exit codes: {@link ExitCodes}.
 */
@Command(name = "ben", mixinStandardHelpOptions = true, version = "ben 0.1.0",
        description = "Operate Ben: endpoints, deliveries, replay and recovery, the dead-letter queue, stats.",
        subcommands = {EndpointsCommand.class, TenantsCommand.class, DeliveriesCommand.class, ReplayCommand.class, RecoverCommand.class,
                DlqCommand.class, StatsCommand.class, StatusPageCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0 ok   2 bad arguments   3 not found   4 API/connection/credentials error",
                "  5 refused in the current state   6 batch partly failed   1 internal error",
                "",
                "Connection: the management API at --api-url (or BEN_API_URL), else the one of a running ./ben-local",
                "(~/" + BenSettings.LOCAL_MANAGEMENT_API_FILE + "). Locally a bearer token (--api-token, BEN_API_TOKEN or that file);",
                "otherwise requests are SigV4-signed with the AWS credentials (--profile, AWS_PROFILE, the default chain)",
                "for --region (or AWS_REGION, or the region in an execute-api URL)."})
public final class BenCli {

    @Option(names = "--api-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The management API (a stack's UrlManagementApi output; default: BEN_API_URL, else ./ben-local's).")
    String apiUrl;

    @Option(names = "--api-token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "Bearer token of a local management API (default: BEN_API_TOKEN, else ./ben-local's file); "
                    + "without one, requests are SigV4-signed.")
    String apiToken;

    @Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION",
            description = "AWS region to sign for (default: AWS_REGION, the profile's, the API URL's).")
    String region;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "AWS shared-config profile for the signing credentials and region.")
    String profile;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "text (default) or json (one JSON document on stdout; errors as JSON on stderr).")
    Output.Format format = Output.Format.text;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    private final Map<String, String> environment;
    private final PrintWriter out;
    private final PrintWriter err;
    private ApiClient api;

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
            if (cli.api != null) {
                cli.api.close();
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

    /** The management API client of this run (opened on first use, closed when the command ends). */
    synchronized ApiClient api() {
        if (api == null) {
            api = ApiConnection.open(effectiveEnvironment());
        }
        return api;
    }

    /** The process environment with the flags folded in (flags win). */
    Map<String, String> effectiveEnvironment() {
        Map<String, String> env = new HashMap<>(environment);
        put(env, ApiConnection.URL, apiUrl);
        put(env, ApiConnection.TOKEN, apiToken);
        put(env, "AWS_REGION", region);
        put(env, "AWS_PROFILE", profile);
        return env;
    }

    private static void put(Map<String, String> env, String name, String value) {
        if (value != null && !value.isBlank()) {
            env.put(name, value.trim());
        }
    }

    private int report(Exception e) {
        int code;
        String message;
        if (e instanceof CliException c) {
            code = c.exitCode();
            message = c.getMessage();
        } else if (e instanceof EgressException egress) {
            code = ExitCodes.USAGE;
            message = "invalid endpoint URL: " + egress.getMessage();
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

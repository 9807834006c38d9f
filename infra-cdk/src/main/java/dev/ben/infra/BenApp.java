package dev.ben.infra;

import dev.ben.infra.internal.Durations;
import dev.ben.settings.declaration.Declaration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: {@code cdk deploy} in {@code infra-cdk/} runs this (see {@code cdk.json}).
 *
 * <p>Context keys (cdk.json or {@code -c key=value}): {@code ben:declaration} (required: path of your declaration
 * JSON, relative to {@code infra-cdk/}; a bad one fails the synth with every problem),
 * {@code ben:sourceStreams} ({@code invoices=arn:aws:dynamodb:…:table/invoices/stream/…}: attach to existing tables
 * instead of creating the sources; comma separated), {@code ben:stackName} (default {@code Ben}),
 * {@code ben:retrySchedule} ({@code 15s,1m,10m,1h}), {@code ben:retryQueueRetention} ({@code 4d}),
 * {@code ben:historyRetention} ({@code 30d}), {@code ben:allowedHosts} (comma separated IPs/CIDRs), {@code ben:httpsOnly} ({@code true}).
 */
public final class BenApp {

    private BenApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        Path declaration = context(app, "ben:declaration").map(Path::of).orElseThrow(() -> new IllegalArgumentException(
                "no declaration: run cdk with -c ben:declaration=path/to/ben.json (your sources and rules,"
                        + " docs/declaration.md); the example app under examples/ brings its own (docs/deploy.md)"));
        synth(app, BenNotificationProps.builder().declaration(Declaration.read(declaration)));
    }

    /**
     * Completes {@code props} from the context keys above (function code: the repository's shaded jars), adds the
     * stack to {@code app} and synthesizes it. For apps that bring their own declaration and settings, as the
     * example under {@code examples/} does.
     */
    public static void synth(App app, BenNotificationProps.Builder props) {
        props.code(FunctionCode.shadedJars(repoRoot()));
        context(app, "ben:retrySchedule").ifPresent(v -> props.retrySchedule(Durations.parseList(v)));
        context(app, "ben:retryQueueRetention").ifPresent(v -> props.retryQueueRetention(Durations.parse(v)));
        context(app, "ben:historyRetention").ifPresent(v -> props.historyRetention(Durations.parse(v)));
        context(app, "ben:allowedHosts").ifPresent(v -> props.allowedHosts(
                Arrays.stream(v.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList()));
        context(app, "ben:httpsOnly").ifPresent(v -> props.httpsOnly(Boolean.parseBoolean(v)));
        String stackName = context(app, "ben:stackName").orElse("Ben");
        new BenStack(app, stackName, StackProps.builder()
                .description("Ben: best-effort notification (DynamoDB streams → signed webhooks, SQS retries)")
                .build(), props, sourceStreams(context(app, "ben:sourceStreams").orElse("")));
        app.synth();
    }

    /** {@code name=streamArn,name2=streamArn2} → source name → stream ARN. */
    static java.util.Map<String, String> sourceStreams(String value) {
        java.util.Map<String, String> streams = new java.util.LinkedHashMap<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("ben:sourceStreams entry '" + entry + "' must be SOURCE=STREAM_ARN"
                        + " (the source's name in the declaration, then its table's stream ARN)");
            }
            streams.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return streams;
    }

    private static java.util.Optional<String> context(App app, String key) {
        Object value = app.getNode().tryGetContext(key);
        return value == null ? java.util.Optional.empty() : java.util.Optional.of(value.toString());
    }

    /** The repository root: {@code -Dben.repoRoot}, else the nearest directory above the working one with mvnw. */
    static Path repoRoot() {
        String configured = System.getProperty("ben.repoRoot");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("functions"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the Ben repository root above " + Path.of("").toAbsolutePath()
                + "; run from infra-cdk/ or pass -Dben.repoRoot=<path>");
    }
}

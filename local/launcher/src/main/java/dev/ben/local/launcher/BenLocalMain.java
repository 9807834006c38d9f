package dev.ben.local.launcher;

import dev.ben.cli.statuspage.StatusPageServer;
import dev.ben.local.launcher.LocalScenario.Companion;
import dev.ben.local.launcher.LocalScenario.Option;
import dev.ben.settings.BenSettings;
import dev.ben.settings.declaration.Declaration;
import dev.ben.settings.declaration.DeclarationException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./ben-local}: Ben on this machine, until Ctrl-C. With {@code --config FILE} it runs the user's declaration:
 * the declared source tables (created from their key schema), Ben's own tables and queues, notify, retry, sweeper and
 * the status API on the local runtime, and the status page; it prints the endpoints, the tables to write to and the
 * {@code ./ben endpoints add} command. Without {@code --config} it runs the {@link LocalScenario} found on the
 * classpath (the script puts an example there) with its own options. {@code --help} lists everything.
 */
public final class BenLocalMain {

    /** Where the functions' logs go while a scenario tells its story on the console. */
    static final Path FUNCTION_LOG = Path.of("target", "ben-local-functions.log").toAbsolutePath();

    private BenLocalMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Optional<LocalScenario> scenario = scenario();
        Running running;
        try {
            running = start(args, System.out, scenario);
        } catch (UsageException e) {
            if (e.getMessage() != null) {
                System.err.println(e.getMessage());
            }
            (e.getMessage() == null ? System.out : System.err).print(usage(scenario));
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        LocalApiFile apiFile = new LocalApiFile(Path.of(System.getProperty("user.home")));
        running.ben().managementApi().ifPresent(url -> {
            apiFile.write(url, running.ben().managementApiToken());
            System.out.println("Management API URL and token written to " + apiFile.path());
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Ben ...");
            running.ben().managementApi().ifPresent(apiFile::delete);
            running.close();
            stopped.countDown();
        }, "ben-local-shutdown"));
        stopped.await();
    }

    /** The scenario on the classpath, if any (at most one). */
    static Optional<LocalScenario> scenario() {
        List<LocalScenario> found = ServiceLoader.load(LocalScenario.class).stream().map(ServiceLoader.Provider::get)
                .toList();
        if (found.size() > 1) {
            throw new IllegalStateException("several LocalScenario implementations on the classpath: " + found
                    + "; keep one");
        }
        return found.stream().findFirst();
    }

    /**
     * Parses {@code args}, starts Ben, the status page and the scenario's companion (when running the scenario),
     * and prints how to reach them on {@code console}.
     *
     * @throws UsageException for {@code --help} (no message) or bad arguments (the message says what is wrong)
     */
    public static Running start(String[] args, PrintStream console, Optional<LocalScenario> scenario) {
        Options options = Options.parse(args, scenario);
        Declaration declaration;
        BenSettings settings;
        Map<String, String> environment;
        boolean quietFunctions;
        if (options.config().isPresent()) {
            declaration = read(options.config().get());
            settings = BenSettings.of(declaration);
            environment = Map.of();
            quietFunctions = false;
        } else {
            LocalScenario s = scenario.orElseThrow(() -> new UsageException("give --config FILE: your declaration"
                    + " (JSON; see docs/declaration.md)"));
            declaration = s.declaration();
            settings = s.settings();
            environment = s.environment(options.scenarioOptions());
            quietFunctions = s.usesConsole(options.scenarioOptions());
        }
        PrintStream functionLog = quietFunctions ? openFunctionLog() : console;
        LocalBen ben = LocalBen.start(settings, declaration, options.timeScale(), functionLog, environment);
        StatusPageServer statusPage = null;
        Companion companion = null;
        try {
            // the page reads through the management API, as the CLI does
            statusPage = StatusPageServer.start(ben.managementApi().orElseThrow(() -> new IllegalStateException(
                    "the management API is not deployed: the status page reads through it")),
                    ben.managementApiToken(), options.statusPort());
            if (options.config().isEmpty()) {
                companion = scenario.orElseThrow().start(ben, options.scenarioOptions(), console).orElse(null);
            }
        } catch (RuntimeException e) {
            if (statusPage != null) {
                statusPage.close();
            }
            ben.close();
            throw e;
        }
        Running running = new Running(ben, statusPage, companion);
        console.println();
        options.config().ifPresent(file -> console.println("Declaration: " + file));
        if (options.config().isEmpty()) {
            console.println(scenario.orElseThrow().description());
        }
        console.print(ben.describe());
        console.println("Status page: " + statusPage.uri());
        if (companion != null) {
            console.println();
            console.print(companion.describe());
        }
        if (quietFunctions) {
            console.println("Function logs: " + FUNCTION_LOG + "\n");
        }
        console.flush();
        return running;
    }

    private static Declaration read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--config " + file + ": no such file");
        }
        try {
            return Declaration.read(file);
        } catch (DeclarationException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static PrintStream openFunctionLog() {
        try {
            Files.createDirectories(FUNCTION_LOG.getParent());
            return new PrintStream(Files.newOutputStream(FUNCTION_LOG), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FUNCTION_LOG + ": " + e.getMessage(), e);
        }
    }

    /** Everything {@link #start} started; {@link #close()} stops it in reverse order. */
    public static final class Running implements AutoCloseable {
        private final LocalBen ben;
        private final StatusPageServer statusPage;
        private final Companion companion;

        private Running(LocalBen ben, StatusPageServer statusPage, Companion companion) {
            this.ben = ben;
            this.statusPage = statusPage;
            this.companion = companion;
        }

        public LocalBen ben() {
            return ben;
        }

        public URI statusPage() {
            return statusPage.uri();
        }

        @Override
        public void close() {
            try {
                if (companion != null) {
                    companion.close();
                }
            } finally {
                try {
                    statusPage.close();
                } finally {
                    ben.close();
                }
            }
        }
    }

    /** Bad arguments (message: what is wrong) or {@code --help} (no message). */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }

    /** {@code ./ben-local --help}. */
    static String usage(Optional<LocalScenario> scenario) {
        StringBuilder text = new StringBuilder();
        text.append("usage: ./ben-local [--config FILE] [--time-scale N] [--status-port P]");
        scenario.ifPresent(s -> s.options().forEach(o -> text.append(" [").append(o.name())
                .append(o.isFlag() ? "" : " " + o.valueName()).append(']')));
        text.append("\n\nRuns Ben on this machine (no Docker, no AWS account): dynalite behind a DynamoDB Streams layer,"
                + " ElasticMQ,\nBen's tables and queues, notify, retry, sweeper and the status API on the local Lambda"
                + " runtime, and the\nstatus page. Prints the endpoints; Ctrl-C stops everything.\n\n");
        text.append(line("--config FILE", "run your declaration (JSON, docs/declaration.md): its source tables are"
                + " created from their key schema; write items to them, add endpoints with ./ben endpoints add"));
        text.append(line("--time-scale N", "run the runtime clock N times faster (schedules fire sooner); default 1"));
        text.append(line("--status-port P", "status page port (default 8088, 0 = any free port)"));
        text.append(line("-h, --help", "this text"));
        if (scenario.isPresent()) {
            text.append('\n').append(line("(no --config)", scenario.get().description()));
            scenario.get().options().forEach(o -> text.append(line(o.name() + (o.isFlag() ? "" : " " + o.valueName()),
                    o.help())));
        } else {
            text.append("\nWithout --config, ./ben-local runs the example under examples/ (the script puts it on the"
                    + " classpath).\n");
        }
        return text.toString();
    }

    /** {@code option} and its help, wrapped at 100 columns under the help's first column. */
    private static String line(String option, String help) {
        StringBuilder text = new StringBuilder(String.format("  %-18s ", option));
        int column = text.length();
        for (String word : help.split(" ")) {
            if (column + word.length() > 100 && column > 21) {
                text.setLength(text.length() - 1);
                text.append('\n').append(" ".repeat(21));
                column = 21;
            }
            text.append(word).append(' ');
            column += word.length() + 1;
        }
        return text.toString().stripTrailing() + "\n";
    }

    /** The parsed command line. */
    record Options(Optional<Path> config, double timeScale, int statusPort, Map<String, String> scenarioOptions) {

        static Options parse(String[] args, Optional<LocalScenario> scenario) {
            Path config = null;
            double timeScale = 1.0;
            int statusPort = 8088;
            Map<String, String> scenarioOptions = new LinkedHashMap<>();
            List<Option> known = scenario.map(LocalScenario::options).orElse(List.of());
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--config" -> config = Path.of(value(args, ++i, "--config needs a file"));
                    case "--time-scale" -> timeScale = number(args, ++i, "--time-scale needs a number");
                    case "--status-port" -> statusPort = (int) number(args, ++i, "--status-port needs a port number");
                    case "-h", "--help" -> throw new UsageException(null);
                    default -> {
                        Option option = known.stream().filter(o -> o.name().equals(arg)).findFirst()
                                .orElseThrow(() -> new UsageException("unknown option " + arg));
                        scenarioOptions.put(arg, option.isFlag() ? "true"
                                : value(args, ++i, arg + " needs a value (" + option.valueName() + ")"));
                    }
                }
            }
            if (timeScale <= 0) {
                throw new UsageException("--time-scale needs a number > 0, got " + timeScale);
            }
            if (statusPort < 0 || statusPort > 65535) {
                throw new UsageException("--status-port needs a port number, got " + statusPort);
            }
            if (config != null && !scenarioOptions.isEmpty()) {
                throw new UsageException(String.join(", ", scenarioOptions.keySet())
                        + " belongs to the example, which --config replaces: leave it out");
            }
            return new Options(Optional.ofNullable(config).map(p -> p.toAbsolutePath().normalize()), timeScale,
                    statusPort, Map.copyOf(scenarioOptions));
        }

        private static String value(String[] args, int index, String error) {
            if (index >= args.length) {
                throw new UsageException(error);
            }
            return args[index];
        }

        private static double number(String[] args, int index, String error) {
            String value = value(args, index, error);
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new UsageException(error + ", got " + value);
            }
        }
    }
}

package dev.ben.local.demo;

import dev.ben.cli.statuspage.StatusPageServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./ben-local}: starts {@link LocalDemo} and the local status page, prints their endpoints and stays up
 * until Ctrl-C. Options: {@code --time-scale N} runs the runtime clock N times faster (schedules fire sooner);
 * {@code --no-live} only runs the stack (no demo orders); {@code --failure-rate R} (default 0.35) is the share of
 * webhook requests the live demo's receiver refuses with 503; {@code --status-port P} (default 8088, 0 = any free
 * port) is where the status page listens.
 */
public final class LocalMain {
    private static final Path FUNCTION_LOG = Path.of("target", "ben-local-functions.log").toAbsolutePath();

    private LocalMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Options options = Options.parse(args);
        // With the live demo the console tells the story; function and runtime logs go to a file.
        PrintStream functionLog = options.live() ? openFunctionLog() : System.out;
        LocalDemo demo = LocalDemo.start(options.timeScale(), functionLog,
                options.live() ? LiveDemo.ENVIRONMENT : Map.of());
        StatusPageServer statusPage;
        LiveDemo liveDemo = null;
        try {
            statusPage = StatusPageServer.start(demo.resources().environment(), options.statusPort());
            if (options.live()) {
                liveDemo = LiveDemo.start(demo, System.out, Duration.ofSeconds(4), options.failureRate());
            }
        } catch (IOException | RuntimeException e) {
            demo.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        LiveDemo toStop = liveDemo;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Ben ...");
            if (toStop != null) {
                toStop.close();
            }
            statusPage.close();
            demo.close();
            stopped.countDown();
        }, "ben-local-shutdown"));
        System.out.println();
        System.out.print(demo.describe());
        System.out.println("Status page: " + statusPage.uri());
        if (liveDemo != null) {
            System.out.println();
            System.out.print(liveDemo.describe());
            System.out.println("Function logs: " + FUNCTION_LOG + "\n");
        }
        System.out.flush();
        stopped.await();
    }

    private static PrintStream openFunctionLog() {
        try {
            Files.createDirectories(FUNCTION_LOG.getParent());
            return new PrintStream(Files.newOutputStream(FUNCTION_LOG), true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw usage("cannot write " + FUNCTION_LOG + ": " + e.getMessage());
        }
    }

    private record Options(double timeScale, boolean live, double failureRate, int statusPort) {
        static Options parse(String[] args) {
            double timeScale = 1.0;
            boolean live = true;
            double failureRate = 0.35;
            int statusPort = 8088;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--time-scale" -> timeScale = number(args, ++i, "--time-scale needs a number");
                    case "--no-live" -> live = false;
                    case "--failure-rate" ->
                            failureRate = number(args, ++i, "--failure-rate needs a number between 0 and 1");
                    case "--status-port" -> statusPort = (int) number(args, ++i, "--status-port needs a port number");
                    case "-h", "--help" -> throw usage(null);
                    default -> throw usage("unknown option " + args[i]);
                }
            }
            if (failureRate < 0 || failureRate > 1) {
                throw usage("--failure-rate needs a number between 0 and 1, got " + failureRate);
            }
            if (statusPort < 0 || statusPort > 65535) {
                throw usage("--status-port needs a port number, got " + statusPort);
            }
            return new Options(timeScale, live, failureRate, statusPort);
        }

        private static double number(String[] args, int index, String error) {
            if (index >= args.length) {
                throw usage(error);
            }
            try {
                return Double.parseDouble(args[index]);
            } catch (NumberFormatException e) {
                throw usage(error + ", got " + args[index]);
            }
        }
    }

    /** Prints the usage (and the error, if any) and exits: 0 for --help, 2 for bad arguments. */
    private static IllegalStateException usage(String error) {
        if (error != null) {
            System.err.println(error);
        }
        System.err.println("usage: ./ben-local [--time-scale N] [--no-live] [--failure-rate 0..1] [--status-port P]");
        System.exit(error == null ? 0 : 2);
        return new IllegalStateException("unreachable");
    }
}

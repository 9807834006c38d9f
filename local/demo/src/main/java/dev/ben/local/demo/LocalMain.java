package dev.ben.local.demo;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./ben-local}: starts {@link LocalDemo}, prints its endpoints and stays up until Ctrl-C.
 * Options: {@code --time-scale N} runs the runtime clock N times faster (schedules fire sooner);
 * {@code --no-live} only runs the stack (no demo orders); {@code --failure-rate R} (default 0.35) is the share of
 * webhook requests the live demo's receiver refuses with 503.
 */
public final class LocalMain {
    private LocalMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        double timeScale = 1.0;
        boolean live = true;
        double failureRate = 0.35;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--time-scale" -> {
                    if (i + 1 >= args.length) {
                        usage("--time-scale needs a number");
                    }
                    try {
                        timeScale = Double.parseDouble(args[++i]);
                    } catch (NumberFormatException e) {
                        usage("--time-scale needs a number, got " + args[i]);
                    }
                }
                case "--no-live" -> live = false;
                case "--failure-rate" -> {
                    if (i + 1 >= args.length) {
                        usage("--failure-rate needs a number between 0 and 1");
                    }
                    try {
                        failureRate = Double.parseDouble(args[++i]);
                    } catch (NumberFormatException e) {
                        usage("--failure-rate needs a number between 0 and 1, got " + args[i]);
                    }
                }
                case "-h", "--help" -> usage(null);
                default -> usage("unknown option " + args[i]);
            }
        }
        // With the live demo the console tells the story; function and runtime logs go to a file.
        java.nio.file.Path logFile = java.nio.file.Path.of("target", "ben-local-functions.log").toAbsolutePath();
        PrintStream functionLog = System.out;
        if (live) {
            try {
                java.nio.file.Files.createDirectories(logFile.getParent());
                functionLog = new PrintStream(java.nio.file.Files.newOutputStream(logFile), true,
                        java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                usage("cannot write " + logFile + ": " + e.getMessage());
            }
        }
        LocalDemo demo = LocalDemo.start(timeScale, functionLog, live ? LiveDemo.ENVIRONMENT : java.util.Map.of());
        LiveDemo liveDemo = null;
        if (live) {
            try {
                liveDemo = LiveDemo.start(demo, System.out, java.time.Duration.ofSeconds(4), failureRate);
            } catch (java.io.IOException e) {
                demo.close();
                throw new java.io.UncheckedIOException(e);
            }
        }
        LiveDemo toStop = liveDemo;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Ben ...");
            if (toStop != null) {
                toStop.close();
            }
            demo.close();
            stopped.countDown();
        }, "ben-local-shutdown"));
        System.out.println();
        System.out.print(demo.describe());
        if (liveDemo != null) {
            System.out.println();
            System.out.print(liveDemo.describe());
            System.out.println("Function logs: " + logFile + "\n");
        }
        System.out.flush();
        stopped.await();
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println(error);
        }
        System.err.println("usage: ./ben-local [--time-scale N] [--no-live] [--failure-rate 0..1]");
        System.exit(error == null ? 0 : 2);
    }
}

package dev.ben.local.demo;

import java.util.concurrent.CountDownLatch;

/**
 * {@code ./ben-local}: starts {@link LocalDemo}, prints its endpoints and stays up until Ctrl-C.
 * Options: {@code --time-scale N} runs the runtime clock N times faster (schedules fire sooner).
 */
public final class LocalMain {
    private LocalMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        double timeScale = 1.0;
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
                case "-h", "--help" -> usage(null);
                default -> usage("unknown option " + args[i]);
            }
        }
        LocalDemo demo = LocalDemo.start(timeScale, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Ben ...");
            demo.close();
            stopped.countDown();
        }, "ben-local-shutdown"));
        System.out.println();
        System.out.print(demo.describe());
        System.out.flush();
        stopped.await();
    }

    private static void usage(String error) {
        if (error != null) {
            System.err.println(error);
        }
        System.err.println("usage: ./ben-local [--time-scale N]");
        System.exit(error == null ? 0 : 2);
    }
}

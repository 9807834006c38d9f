package dev.ben.examples.orders.demo;

import dev.ben.examples.orders.OrdersExample;
import dev.ben.local.launcher.BenLocalMain.UsageException;
import dev.ben.local.launcher.LocalBen;
import dev.ben.local.launcher.LocalScenario;
import dev.ben.settings.BenSettings;
import dev.ben.settings.declaration.Declaration;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The orders example as {@code ./ben-local}'s default: {@link OrdersExample}'s settings (Ben on {@code ben.json}
 * plus B's receiver and reconcile) and the {@link LiveDemo}. Registered in
 * {@code META-INF/services/dev.ben.local.launcher.LocalScenario}.
 */
public final class OrdersScenario implements LocalScenario {

    static final String NO_LIVE = "--no-live";
    static final String FAILURE_RATE = "--failure-rate";
    static final double DEFAULT_FAILURE_RATE = 0.35;

    @Override
    public String description() {
        return "the orders example (examples/orders): system A pays an order every 4 s, Ben notifies B's webhook"
                + " through a receiver that fails ~35 % of the requests, and the console shows each delivery, retry"
                + " and final state.";
    }

    @Override
    public Declaration declaration() {
        return OrdersExample.declaration();
    }

    @Override
    public BenSettings settings() {
        return OrdersExample.settings();
    }

    @Override
    public List<Option> options() {
        return List.of(new Option(NO_LIVE, "", "only run the stack (no demo orders)"),
                new Option(FAILURE_RATE, "R", "share of webhook requests the demo receiver answers with 503"
                        + " (0..1, default " + DEFAULT_FAILURE_RATE + ")"));
    }

    @Override
    public Map<String, String> environment(Map<String, String> options) {
        failureRate(options); // refuse a bad value before anything starts
        return live(options) ? LiveDemo.ENVIRONMENT : Map.of();
    }

    @Override
    public boolean usesConsole(Map<String, String> options) {
        return live(options);
    }

    @Override
    public Optional<Companion> start(LocalBen ben, Map<String, String> options, PrintStream console) {
        if (!live(options)) {
            return Optional.empty();
        }
        return Optional.of(LiveDemo.start(ben, console, Duration.ofSeconds(4), failureRate(options)));
    }

    private static boolean live(Map<String, String> options) {
        return !options.containsKey(NO_LIVE);
    }

    static double failureRate(Map<String, String> options) {
        String value = options.get(FAILURE_RATE);
        if (value == null) {
            return DEFAULT_FAILURE_RATE;
        }
        double rate;
        try {
            rate = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new UsageException(FAILURE_RATE + " needs a number between 0 and 1, got " + value);
        }
        if (rate < 0 || rate > 1) {
            throw new UsageException(FAILURE_RATE + " needs a number between 0 and 1, got " + value);
        }
        return rate;
    }
}

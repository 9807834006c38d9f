package dev.ben.infra.internal;

import dev.ben.settings.BenSettings;
import dev.ben.settings.FunctionSpec;
import dev.ben.settings.Trigger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Splits the settings into the parts that deploy separately (the sender, a receiver added beside it). */
public final class SettingsParts {

    /** The Maven module of the sender's functions: the sender is what this jar runs. */
    public static final String SENDER_MODULE = "functions/ben-sender";
    /** The Maven module of the management API, deployed with the sender (it works on the sender's tables). */
    public static final String ADMIN_MODULE = "functions/ben-admin";

    private SettingsParts() {
    }

    /** The sender: notify, retry, sweeper, status API, management API, and the tables and queues they use. */
    public static BenSettings sender(BenSettings settings) {
        return subset(settings, SettingsParts::senders);
    }

    /**
     * Everything else (what {@code BenSettings.plus} added, e.g. the orders example's receiver and reconcile), with
     * the tables and queues they use.
     */
    public static BenSettings rest(BenSettings settings) {
        return subset(settings, f -> !senders(f));
    }

    /** The functions that deliver (and so may end deliveries FAILED, publishing the failed metric): the sender's. */
    public static List<FunctionSpec> delivering(BenSettings settings) {
        return settings.functions().stream().filter(f -> f.module().equals(SENDER_MODULE)).toList();
    }

    private static boolean senders(FunctionSpec f) {
        return f.module().equals(SENDER_MODULE) || f.module().equals(ADMIN_MODULE);
    }

    /**
     * The functions that match, with exactly the tables and queues they name (as tables, queues, triggers and
     * on-failure destinations) plus the queues those redrive to; the settings' order is kept.
     */
    public static BenSettings subset(BenSettings settings, Predicate<FunctionSpec> functions) {
        Set<String> tables = new LinkedHashSet<>();
        Set<String> queues = new LinkedHashSet<>();
        var kept = settings.functions().stream().filter(functions).toList();
        for (FunctionSpec f : kept) {
            tables.addAll(f.tables());
            queues.addAll(f.queues());
            for (Trigger t : f.triggers()) {
                switch (t) {
                    case Trigger.StreamTrigger s -> {
                        tables.add(s.table());
                        s.onFailureDestination().ifPresent(queues::add);
                    }
                    case Trigger.QueueTrigger q -> queues.add(q.queue());
                    case Trigger.ScheduleTrigger s -> { }
                    case Trigger.HttpTrigger h -> { }
                }
            }
        }
        Set<String> redrive = new LinkedHashSet<>();
        queues.forEach(q -> settings.queue(q).redriveTarget().ifPresent(redrive::add));
        queues.addAll(redrive);
        return new BenSettings(
                settings.tables().stream().filter(t -> tables.contains(t.logicalName())).toList(),
                settings.queues().stream().filter(q -> queues.contains(q.logicalName())).toList(),
                kept,
                settings.sources().stream().filter(tables::contains).toList());
    }
}

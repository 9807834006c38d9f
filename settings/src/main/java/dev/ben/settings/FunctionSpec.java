package dev.ben.settings;

import dev.ben.settings.Trigger.QueueTrigger;
import dev.ben.settings.Trigger.StreamTrigger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Lambda function of the stack.
 *
 * @param logicalName stable name, e.g. {@code notify}
 * @param handler     fully qualified {@code RequestHandler} class
 * @param module      Maven module whose shaded jar is the deployment artifact
 * @param memoryMb    memory size
 * @param timeout     function timeout
 * @param triggers    what invokes it
 * @param tables      tables it uses (logical names); their names are passed through each table's env var
 * @param queues      queues it uses (logical names); their URLs are passed through each queue's env var
 * @param access      what it does with a table or queue it uses, where that is not the default
 *                    ({@link Access#READ_WRITE} for a table, {@link Access#SEND} for a queue); see {@link #access(String)}
 */
public record FunctionSpec(
        String logicalName,
        String handler,
        String module,
        int memoryMb,
        Duration timeout,
        List<Trigger> triggers,
        List<String> tables,
        List<String> queues,
        Map<String, Access> access) {

    public FunctionSpec {
        triggers = List.copyOf(triggers);
        tables = List.copyOf(tables);
        queues = List.copyOf(queues);
        access = Map.copyOf(access);
        for (Map.Entry<String, Access> entry : access.entrySet()) {
            checkAccess(logicalName, entry.getKey(), entry.getValue(), tables, queues, triggers);
        }
    }

    /** A function with the default access to each table and queue it uses. */
    public FunctionSpec(String logicalName, String handler, String module, int memoryMb, Duration timeout,
                        List<Trigger> triggers, List<String> tables, List<String> queues) {
        this(logicalName, handler, module, memoryMb, timeout, triggers, tables, queues, Map.of());
    }

    /** The same function with {@code access} to one of its tables or queues. */
    public FunctionSpec withAccess(String tableOrQueue, Access access) {
        Map<String, Access> changed = new LinkedHashMap<>(this.access);
        changed.put(tableOrQueue, access);
        return new FunctionSpec(logicalName, handler, module, memoryMb, timeout, triggers, tables, queues, changed);
    }

    /** What the function does with one of its tables or queues (the default when not declared). */
    public Access access(String tableOrQueue) {
        Access declared = access.get(tableOrQueue);
        if (declared != null) {
            return declared;
        }
        if (tables.contains(tableOrQueue)) {
            return Access.READ_WRITE;
        }
        if (queues.contains(tableOrQueue)) {
            return Access.SEND;
        }
        throw new IllegalArgumentException("function " + logicalName + " uses no table or queue named '"
                + tableOrQueue + "'; it uses tables " + tables + " and queues " + queues);
    }

    private static void checkAccess(String function, String name, Access access, List<String> tables,
                                    List<String> queues, List<Trigger> triggers) {
        boolean table = tables.contains(name);
        boolean queue = queues.contains(name);
        if (!table && !queue) {
            throw new IllegalArgumentException("function " + function + ": access " + access + " to '" + name
                    + "', which is not one of its tables " + tables + " or queues " + queues + "; add it there first");
        }
        if (table && !access.forTables() || queue && !access.forQueues()) {
            throw new IllegalArgumentException("function " + function + ": access " + access + " does not apply to "
                    + (table ? "table" : "queue") + " '" + name + "'; use one of "
                    + java.util.Arrays.stream(Access.values()).filter(a -> table ? a.forTables() : a.forQueues()).toList());
        }
        boolean triggered = triggers.stream().anyMatch(t -> t instanceof StreamTrigger s && s.table().equals(name)
                || t instanceof QueueTrigger q && q.queue().equals(name));
        if (access == Access.TRIGGER_ONLY && !triggered) {
            throw new IllegalArgumentException("function " + function + ": access TRIGGER_ONLY to '" + name
                    + "' needs a stream or queue trigger on it; without one the function could not touch it at all");
        }
    }
}

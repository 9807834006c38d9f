package dev.ben.settings;

import java.time.Duration;
import java.util.List;

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
 */
public record FunctionSpec(
        String logicalName,
        String handler,
        String module,
        int memoryMb,
        Duration timeout,
        List<Trigger> triggers,
        List<String> tables,
        List<String> queues) {

    public FunctionSpec {
        triggers = List.copyOf(triggers);
        tables = List.copyOf(tables);
        queues = List.copyOf(queues);
    }
}

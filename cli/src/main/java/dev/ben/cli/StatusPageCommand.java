package dev.ben.cli;

import dev.ben.cli.statuspage.StatusPageServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "status-page", mixinStandardHelpOptions = true,
        description = "Serve the status page (deliveries, retry timelines, endpoint health) on 127.0.0.1 until "
                + "interrupted. The local demo starts it by itself.")
final class StatusPageCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8088", description = "Port (default 8088, 0 = any).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        BenCli cli = BenCli.of(spec);
        if (port < 0 || port > 65535) {
            throw CliException.usage("--port must be 0..65535");
        }
        StatusPageServer server = StatusPageServer.start(cli.effectiveEnvironment(), port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        cli.output().progress("status page: " + server.uri() + " (Ctrl-C to stop)");
        stopped.await();
        return ExitCodes.OK;
    }
}

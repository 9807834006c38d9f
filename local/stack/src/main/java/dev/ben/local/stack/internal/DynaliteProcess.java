package dev.ben.local.stack.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * dynalite (in memory) as a child process of this JVM, on a free loopback port.
 *
 * <p>It is always stopped: {@link #close()} destroys it, a JVM shutdown hook destroys it on a normal exit, and
 * the Node wrapper ({@code dynalite-child.js}) exits by itself when its stdin pipe closes or its parent process
 * disappears, so it does not outlive a JVM that is killed with SIGKILL.
 */
public final class DynaliteProcess implements AutoCloseable {

    private static final String READY_PREFIX = "BEN_DYNALITE_PORT ";

    private final Process process;
    private final URI endpoint;
    private final Thread shutdownHook;
    private final Path script;
    private volatile boolean closed;

    private DynaliteProcess(Process process, URI endpoint, Thread shutdownHook, Path script) {
        this.process = process;
        this.endpoint = endpoint;
        this.shutdownHook = shutdownHook;
        this.script = script;
    }

    /** Starts dynalite and waits until it accepts connections. */
    public static DynaliteProcess start(Path dynaliteDir, Duration timeout) {
        Path script = extractWrapperScript();
        ProcessBuilder builder = new ProcessBuilder(NodeModules.nodeExecutable(), script.toString(),
                dynaliteDir.toString())
                .redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            deleteQuietly(script);
            throw new IllegalStateException("cannot start Node.js (`" + NodeModules.nodeExecutable()
                    + "`); install Node.js >= 20 or set -D" + NodeModules.NODE_PROPERTY + "=<path to node>", e);
        }
        Thread hook = new Thread(process::destroy, "ben-dynalite-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        CompletableFuture<Integer> port = new CompletableFuture<>();
        Deque<String> output = new ArrayDeque<>();
        Thread reader = new Thread(() -> readOutput(process.getInputStream(), port, output), "ben-dynalite-output");
        reader.setDaemon(true);
        reader.start();
        process.onExit().thenRun(() -> port.completeExceptionally(new IllegalStateException(
                "dynalite exited with code " + process.exitValue() + ": " + lastLines(output))));
        try {
            int listening = port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new DynaliteProcess(process, URI.create("http://127.0.0.1:" + listening), hook, script);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            removeHook(hook);
            deleteQuietly(script);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("dynalite did not start within " + timeout + ": " + lastLines(output), cause);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops dynalite: closes its stdin (it exits by itself), then destroys it, forcibly if needed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            OutputStream stdin = process.getOutputStream();
            stdin.close();
        } catch (IOException ignored) {
            // the process may already be gone
        }
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        removeHook(shutdownHook);
        deleteQuietly(script);
    }

    private static void readOutput(InputStream in, CompletableFuture<Integer> port, Deque<String> output) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!port.isDone() && line.startsWith(READY_PREFIX)) {
                    port.complete(Integer.parseInt(line.substring(READY_PREFIX.length()).trim()));
                    continue;
                }
                synchronized (output) {
                    output.addLast(line);
                    if (output.size() > 40) {
                        output.removeFirst();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            port.completeExceptionally(e);
        }
    }

    private static String lastLines(Deque<String> output) {
        synchronized (output) {
            return output.isEmpty() ? "(no output)" : String.join("\n", output);
        }
    }

    private static Path extractWrapperScript() {
        try (InputStream in = Objects.requireNonNull(DynaliteProcess.class.getResourceAsStream("dynalite-child.js"),
                "dynalite-child.js missing from the classpath")) {
            Path script = Files.createTempFile("ben-dynalite-child", ".js");
            Files.write(script, in.readAllBytes());
            script.toFile().deleteOnExit();
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dynalite wrapper script", e);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // deleteOnExit is registered as well
        }
    }
}

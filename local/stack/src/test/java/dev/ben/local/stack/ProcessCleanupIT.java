package dev.ben.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** dynalite never outlives its JVM. */
class ProcessCleanupIT {

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static boolean exitsWithin(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return !alive(pid);
    }

    @Test
    void close_stopsDynalite() throws Exception {
        LocalAws aws = LocalAws.start();
        long pid = aws.dynalitePid().orElseThrow();
        assertThat(alive(pid)).isTrue();

        aws.close();

        assertThat(alive(pid)).as("dynalite pid %d is gone when close() returns", pid).isFalse();
    }

    @Test
    void dynalite_exits_whenItsJvmIsKilledWithSigkill() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Duser.dir=" + System.getProperty("user.dir"), StackChildMain.class.getName()))
                .redirectErrorStream(true).start();
        long pid = -1;
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = output.readLine(); line != null; line = output.readLine()) {
                if (line.startsWith("DYNALITE_PID ")) {
                    pid = Long.parseLong(line.substring("DYNALITE_PID ".length()).trim());
                    break;
                }
            }
            assertThat(pid).as("child JVM started a stack").isPositive();
            assertThat(alive(pid)).isTrue();

            child.destroyForcibly(); // SIGKILL: no shutdown hooks run
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(exitsWithin(pid, Duration.ofSeconds(10)))
                    .as("dynalite pid %d exits after its JVM was killed", pid).isTrue();
        } finally {
            child.destroyForcibly();
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}

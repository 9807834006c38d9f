package dev.ben.local.stack;

/** Child JVM for {@link ProcessCleanupIT}: starts a stack, prints dynalite's pid, waits to be killed. */
public final class StackChildMain {

    private StackChildMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalAws aws = LocalAws.start();
        System.out.println("DYNALITE_PID " + aws.dynalitePid().orElseThrow());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

package dev.ben.cli;

/** A failure the CLI reports as one clear line on stderr with a specific exit code (see {@link ExitCodes}). */
public final class CliException extends RuntimeException {

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static CliException notFound(String message) {
        return new CliException(ExitCodes.NOT_FOUND, message);
    }

    public static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    public static CliException conflict(String message) {
        return new CliException(ExitCodes.CONFLICT, message);
    }
}

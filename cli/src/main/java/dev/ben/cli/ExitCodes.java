package dev.ben.cli;

/**
 * Exit codes of the {@code ben} command, stable for scripts (documented in docs/operations.md).
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Unexpected internal error (a bug: please report it with the stack trace printed by {@code --verbose}). */
    public static final int INTERNAL = 1;
    /** Bad arguments or options: unknown option, missing parameter, invalid URL, malformed time or cursor. */
    public static final int USAGE = 2;
    /** The tenant, endpoint, delivery or event named does not exist (or belongs to another tenant). */
    public static final int NOT_FOUND = 3;
    /** API or connection error: the management API unreachable, credentials or token refused, a 5xx of the API. */
    public static final int AWS = 4;
    /** Refused in the current state: already exists, changed concurrently, endpoint disabled, payload missing. */
    public static final int CONFLICT = 5;
    /** A batch operation (recover, redrive, replay of an event) finished with some items failed. */
    public static final int PARTIAL = 6;

    private ExitCodes() {
    }
}

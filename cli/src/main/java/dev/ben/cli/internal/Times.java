package dev.ben.cli.internal;

import dev.ben.cli.CliException;
import dev.ben.core.time.TimeArguments;
import java.time.Instant;

/**
 * Time arguments ({@code --since}), read by the CLI itself so that every page and every resumed run of a command
 * sends the API the same absolute time (a relative "24h" sent as is would move between pages).
 */
public final class Times {

    private Times() {
    }

    /** See {@link TimeArguments#parseSince}; unreadable text is a usage error. */
    public static Instant parseSince(String text, Instant now) {
        try {
            return TimeArguments.parseSince(text, now);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }
}

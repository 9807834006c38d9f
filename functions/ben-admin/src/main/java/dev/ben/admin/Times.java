package dev.ben.admin;

import dev.ben.core.time.TimeArguments;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Time arguments ({@code since}, read by {@link TimeArguments}) and the stored time format. */
public final class Times {

    /** The sender stores times as fixed-width ISO-8601 strings (so they sort); comparisons must use the same form. */
    private static final DateTimeFormatter STORED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String stored(Instant instant) {
        return STORED.format(instant);
    }

    /** See {@link TimeArguments#parseSince}; unreadable text is refused as an invalid {@code since}. */
    public static Instant parseSince(String text, Instant now) {
        try {
            return TimeArguments.parseSince(text, now);
        } catch (IllegalArgumentException e) {
            throw AdminException.invalid("since", e.getMessage());
        }
    }
}

package dev.ben.core.time;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times as operators write them ({@code --since 24h}, {@code "since": "2026-11-29"}), read the same way by the CLI and
 * the management API. Unreadable text is an {@link IllegalArgumentException} whose message says what to write.
 */
public final class TimeArguments {

    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");

    private TimeArguments() {
    }

    /**
     * Parses an absolute time ({@code 2026-11-29T10:00:00Z}, {@code 2026-11-29T10:00}, {@code 2026-11-29}, all UTC)
     * or a relative one meaning "that long before now" ({@code 90m}, {@code 24h}, {@code 7d}, {@code 1h30m},
     * {@code PT2H}).
     */
    public static Instant parseSince(String text, Instant now) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty time; use e.g. 24h, 7d, 2026-11-29 or 2026-11-29T10:00:00Z");
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException notInstant) {
            // next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notLocal) {
            // next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notDate) {
            // next form
        }
        return now.minus(parseDuration(t)).truncatedTo(ChronoUnit.MILLIS);
    }

    /** {@code 30s}, {@code 15m}, {@code 24h}, {@code 7d}, {@code 2w}, combinations like {@code 1h30m}, or ISO-8601. */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw unreadable(text);
            }
        }
        Matcher m = RELATIVE.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw unreadable(text);
            }
            total = total.plus(amount(Long.parseLong(m.group(1)), m.group(2)));
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw unreadable(text);
        }
        return total;
    }

    private static Duration amount(long n, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }

    private static IllegalArgumentException unreadable(String text) {
        return new IllegalArgumentException("cannot read time \"" + text + "\"; use a duration before now (30m, 24h,"
                + " 7d) or a UTC time (2026-11-29, 2026-11-29T10:00:00Z)");
    }
}

package dev.ben.admin;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Time arguments ({@code --since}) and the stored time format. */
public final class Times {

    /** The sender stores times as fixed-width ISO-8601 strings (so they sort); comparisons must use the same form. */
    private static final DateTimeFormatter STORED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern RELATIVE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d|w)");

    private Times() {
    }

    public static String stored(Instant instant) {
        return STORED.format(instant);
    }

    /**
     * Parses an absolute time ({@code 2026-11-29T10:00:00Z}, {@code 2026-11-29T10:00}, {@code 2026-11-29}, all UTC)
     * or a relative one meaning "that long before now" ({@code 90m}, {@code 24h}, {@code 7d}, {@code 1h30m},
     * {@code PT2H}).
     */
    public static Instant parseSince(String text, Instant now) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw AdminException.invalid("since", "empty time; use e.g. 24h, 7d, 2026-11-29 or 2026-11-29T10:00:00Z");
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
        if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw bad(text);
            }
        }
        Matcher m = RELATIVE.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw bad(text);
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw bad(text);
        }
        return total;
    }

    private static AdminException bad(String text) {
        return AdminException.invalid("since", "cannot read time \"" + text + "\"; use a duration before now (30m, 24h, 7d) or"
                + " a UTC time (2026-11-29, 2026-11-29T10:00:00Z)");
    }
}

package dev.ben.infra.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The shorthand used by {@code BEN_RETRY_SCHEDULE}: {@code 15s,3m,1h} (ISO-8601 {@code PT15S} also parses). */
public final class Durations {

    private Durations() {
    }

    public static software.amazon.awscdk.Duration cdk(Duration duration) {
        return software.amazon.awscdk.Duration.seconds(duration.toSeconds());
    }

    public static String format(List<Duration> steps) {
        return steps.stream().map(Durations::format).collect(Collectors.joining(","));
    }

    public static String format(Duration step) {
        long seconds = step.toSeconds();
        if (seconds != 0 && seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    public static List<Duration> parseList(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).map(Durations::parse).toList();
    }

    public static Duration parse(String text) {
        String value = text.trim();
        if (value.toUpperCase().startsWith("PT") || value.toUpperCase().startsWith("P")) {
            return Duration.parse(value.toUpperCase());
        }
        if (value.length() < 2) {
            throw new IllegalArgumentException("Bad duration '" + text + "': use 15s, 3m, 1h or ISO-8601 (PT15S)");
        }
        long amount;
        try {
            amount = Long.parseLong(value.substring(0, value.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Bad duration '" + text + "': use 15s, 3m, 1h or ISO-8601 (PT15S)", e);
        }
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException(
                    "Bad duration '" + text + "': use 15s, 3m, 1h or ISO-8601 (PT15S)");
        };
    }
}

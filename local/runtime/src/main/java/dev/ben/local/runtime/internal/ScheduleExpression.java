package dev.ben.local.runtime.internal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge schedule expression, evaluated in UTC.
 * <ul>
 *   <li>{@code rate(value unit)}: unit {@code minute|minutes|hour|hours|day|days}, singular exactly when the
 *       value is 1 (as EventBridge requires). Fires at anchor + k × period.</li>
 *   <li>{@code cron(minutes hours day-of-month month day-of-week year)}: six fields; {@code *}, {@code ?},
 *       ranges {@code a-b}, lists {@code a,b}, steps {@code a/n}, {@code a-b/n}, {@code * /n}; month names
 *       JAN-DEC; day names SUN-SAT (1 = SUN … 7 = SAT); {@code L} alone in day-of-month (last day of the month).
 *       One of day-of-month and day-of-week must be {@code ?}. Not supported locally (rejected with an error
 *       saying so): {@code W}, {@code #}, {@code L} with an offset or in day-of-week.</li>
 * </ul>
 */
public sealed interface ScheduleExpression {

    /** The first fire time strictly after {@code after}; {@code anchor} is when the rule was created. */
    Instant nextAfter(Instant after, Instant anchor);

    static ScheduleExpression parse(String expression) {
        String trimmed = expression == null ? "" : expression.trim();
        if (trimmed.startsWith("rate(") && trimmed.endsWith(")")) {
            return Rate.parse(trimmed.substring(5, trimmed.length() - 1), expression);
        }
        if (trimmed.startsWith("cron(") && trimmed.endsWith(")")) {
            return Cron.parse(trimmed.substring(5, trimmed.length() - 1), expression);
        }
        throw new IllegalArgumentException("schedule expression must be rate(...) or cron(...), got '" + expression + "'");
    }

    /** A fixed period. */
    record Rate(Duration period) implements ScheduleExpression {
        private static final Pattern RATE = Pattern.compile("(\\d+)\\s+(minute|minutes|hour|hours|day|days)");

        public Rate {
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("rate period must be positive, got " + period);
            }
        }

        static Rate parse(String body, String expression) {
            Matcher matcher = RATE.matcher(body.trim());
            if (!matcher.matches()) {
                throw new IllegalArgumentException("invalid rate expression '" + expression
                        + "': expected rate(<positive integer> minute|minutes|hour|hours|day|days)");
            }
            long value = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2);
            if (value < 1) {
                throw new IllegalArgumentException("invalid rate expression '" + expression + "': value must be at least 1");
            }
            boolean plural = unit.endsWith("s");
            if (plural == (value == 1)) {
                throw new IllegalArgumentException("invalid rate expression '" + expression + "': use '"
                        + (value == 1 ? unit.substring(0, unit.length() - 1) : unit + "s") + "' with the value " + value);
            }
            ChronoUnit chrono = switch (unit.replaceAll("s$", "")) {
                case "minute" -> ChronoUnit.MINUTES;
                case "hour" -> ChronoUnit.HOURS;
                default -> ChronoUnit.DAYS;
            };
            return new Rate(chrono.getDuration().multipliedBy(value));
        }

        @Override
        public Instant nextAfter(Instant after, Instant anchor) {
            if (after.isBefore(anchor)) {
                return anchor.plus(period);
            }
            long periods = Duration.between(anchor, after).toNanos() / period.toNanos() + 1;
            return anchor.plus(period.multipliedBy(periods));
        }
    }

    /** A six-field EventBridge cron expression. */
    record Cron(String source, BitSet minutes, BitSet hours, BitSet daysOfMonth, boolean lastDayOfMonth,
                BitSet months, BitSet daysOfWeek, BitSet years, boolean dayOfMonthAny, boolean dayOfWeekAny)
            implements ScheduleExpression {
        private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
                Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
                Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
        private static final Map<String, Integer> DAYS = Map.of("SUN", 1, "MON", 2, "TUE", 3, "WED", 4, "THU", 5,
                "FRI", 6, "SAT", 7);
        private static final int FIRST_YEAR = 1970;
        private static final int LAST_YEAR = 2199;

        static Cron parse(String body, String expression) {
            String[] fields = body.trim().split("\\s+");
            if (fields.length != 6) {
                throw new IllegalArgumentException("invalid cron expression '" + expression + "': expected 6 fields "
                        + "(minutes hours day-of-month month day-of-week year), got " + fields.length);
            }
            for (String field : fields) {
                String upper = field.toUpperCase(Locale.ROOT);
                if (upper.contains("W") && !upper.matches(".*(WED).*") || upper.contains("#")) {
                    throw new IllegalArgumentException("cron expression '" + expression + "': '" + field
                            + "' uses W or #, which the local runtime does not support");
                }
            }
            String dom = fields[2];
            String dow = fields[4];
            if (!"?".equals(dom) == !"?".equals(dow)) {
                throw new IllegalArgumentException("invalid cron expression '" + expression
                        + "': exactly one of day-of-month and day-of-week must be '?'");
            }
            boolean last = "L".equalsIgnoreCase(dom);
            if (!last && dom.toUpperCase(Locale.ROOT).contains("L") || dow.toUpperCase(Locale.ROOT).contains("L")) {
                throw new IllegalArgumentException("cron expression '" + expression
                        + "': L is supported only alone in day-of-month locally");
            }
            return new Cron(expression,
                    field(fields[0], 0, 59, Map.of(), "minutes", expression),
                    field(fields[1], 0, 23, Map.of(), "hours", expression),
                    "?".equals(dom) || last ? new BitSet() : field(dom, 1, 31, Map.of(), "day-of-month", expression),
                    last,
                    field(fields[3], 1, 12, MONTHS, "month", expression),
                    "?".equals(dow) ? new BitSet() : field(dow, 1, 7, DAYS, "day-of-week", expression),
                    field(fields[5], FIRST_YEAR, LAST_YEAR, Map.of(), "year", expression),
                    "?".equals(dom), "?".equals(dow));
        }

        private static BitSet field(String text, int min, int max, Map<String, Integer> names, String name,
                                    String expression) {
            if ("?".equals(text)) {
                throw new IllegalArgumentException("invalid cron expression '" + expression + "': '?' is allowed only in "
                        + "day-of-month or day-of-week");
            }
            BitSet values = new BitSet();
            for (String part : text.split(",")) {
                String range = part;
                int step = 1;
                int slash = part.indexOf('/');
                if (slash >= 0) {
                    range = part.substring(0, slash);
                    step = number(part.substring(slash + 1), Map.of(), name, expression);
                    if (step < 1) {
                        throw new IllegalArgumentException("invalid cron expression '" + expression + "': step in "
                                + name + " must be at least 1");
                    }
                }
                int from;
                int to;
                if ("*".equals(range)) {
                    from = min;
                    to = max;
                } else if (range.contains("-")) {
                    String[] bounds = range.split("-", 2);
                    from = number(bounds[0], names, name, expression);
                    to = number(bounds[1], names, name, expression);
                } else {
                    from = number(range, names, name, expression);
                    to = slash >= 0 ? max : from;
                }
                if (from < min || to > max || from > to) {
                    throw new IllegalArgumentException("invalid cron expression '" + expression + "': " + name + " '"
                            + part + "' is outside " + min + "-" + max);
                }
                for (int v = from; v <= to; v += step) {
                    values.set(v);
                }
            }
            return values;
        }

        private static int number(String text, Map<String, Integer> names, String name, String expression) {
            Integer named = names.get(text.toUpperCase(Locale.ROOT));
            if (named != null) {
                return named;
            }
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid cron expression '" + expression + "': '" + text
                        + "' is not a valid " + name + " value");
            }
        }

        @Override
        public Instant nextAfter(Instant after, Instant anchor) {
            LocalDateTime start = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES)
                    .plusMinutes(1);
            LocalDate day = start.toLocalDate();
            for (; day.getYear() <= LAST_YEAR; day = day.plusDays(1)) {
                if (!years.get(day.getYear())) {
                    int nextYear = years.nextSetBit(day.getYear());
                    if (nextYear < 0) {
                        break;
                    }
                    day = LocalDate.of(nextYear, 1, 1).minusDays(1);
                    continue;
                }
                if (!months.get(day.getMonthValue()) || !dayMatches(day)) {
                    continue;
                }
                int fromMinute = day.equals(start.toLocalDate()) ? start.getHour() * 60 + start.getMinute() : 0;
                for (int hour = hours.nextSetBit(fromMinute / 60); hour >= 0; hour = hours.nextSetBit(hour + 1)) {
                    int firstMinute = hour == fromMinute / 60 ? fromMinute % 60 : 0;
                    int minute = minutes.nextSetBit(firstMinute);
                    if (minute >= 0) {
                        return day.atTime(hour, minute).toInstant(ZoneOffset.UTC);
                    }
                }
            }
            throw new IllegalStateException("cron expression '" + source + "' never fires after " + after);
        }

        private boolean dayMatches(LocalDate day) {
            if (dayOfMonthAny) {
                int awsDay = day.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : day.getDayOfWeek().getValue() + 1;
                return daysOfWeek.get(awsDay);
            }
            if (lastDayOfMonth) {
                return day.getDayOfMonth() == day.lengthOfMonth();
            }
            return daysOfMonth.get(day.getDayOfMonth());
        }
    }
}

package dev.ben.settings;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code User-Agent} suffix every Ben function puts on its AWS SDK clients: {@code ben/<function>} (the
 * function's logical name, e.g. {@code ben/retry}). CloudTrail records it as {@code userAgent}, so a call can be
 * traced to the function that made it; the IAM-from-calls test attributes recorded calls the same way.
 */
public final class UserAgent {

    /** Prefix of the suffix: {@code ben/}. */
    public static final String PREFIX = "ben/";

    private static final Pattern FUNCTION = Pattern.compile("(?:^|\\s)" + Pattern.quote(PREFIX) + "([A-Za-z0-9._-]+)");

    private UserAgent() {
    }

    /** The suffix for a function, e.g. {@code ben/notify}. */
    public static String suffix(String functionName) {
        if (functionName == null || !functionName.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("function name for the User-Agent must be letters, digits, '.', '_'"
                    + " or '-', was '" + functionName + "'");
        }
        return PREFIX + functionName;
    }

    /** The function named by a {@code User-Agent} header that carries a {@link #suffix(String)}; empty otherwise. */
    public static Optional<String> function(String userAgentHeader) {
        if (userAgentHeader == null) {
            return Optional.empty();
        }
        Matcher m = FUNCTION.matcher(userAgentHeader);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}

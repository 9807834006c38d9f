package dev.ben.infra.internal;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Construct ids from the settings' logical names ({@code ben-retry-dlq} → {@code BenRetryDlq}). */
public final class Names {

    private Names() {
    }

    public static String pascal(String logicalName) {
        return Arrays.stream(logicalName.split("[^A-Za-z0-9]+"))
                .filter(part -> !part.isEmpty())
                .map(part -> Character.toUpperCase(part.charAt(0)) + part.substring(1))
                .collect(Collectors.joining());
    }
}

package dev.ben.local.launcher;

import dev.ben.settings.BenSettings;
import dev.ben.settings.declaration.Declaration;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code ./ben-local} runs when it is not given {@code --config FILE}: an example's declaration, its settings
 * (Ben's plus the example's own parts), and what runs beside Ben once it is up (a live demo, say). Found on the
 * classpath with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.ben.local.launcher.LocalScenario});
 * an example provides one, Ben names none.
 */
public interface LocalScenario {

    /** One line for the banner and {@code --help}. */
    String description();

    Declaration declaration();

    /** The stack to run: {@code BenSettings.of(declaration())}, possibly {@link BenSettings#plus} the example's. */
    BenSettings settings();

    /** The scenario's own command-line options (besides {@code ./ben-local}'s). */
    default List<Option> options() {
        return List.of();
    }

    /** Extra environment variables for every function, given the options' values. */
    default Map<String, String> environment(Map<String, String> options) {
        return Map.of();
    }

    /**
     * Whether what {@link #start} runs tells its story on the console; the functions' logs then go to a file.
     */
    default boolean usesConsole(Map<String, String> options) {
        return false;
    }

    /**
     * Starts what runs beside Ben (Ben and the status page already run); empty for nothing.
     *
     * @param options the values of {@link #options()} given (flags as {@code "true"})
     */
    default Optional<Companion> start(LocalBen ben, Map<String, String> options, PrintStream console) {
        return Optional.empty();
    }

    /**
     * A command-line option of a scenario.
     *
     * @param name      e.g. {@code --failure-rate}
     * @param valueName e.g. {@code R}; empty for a flag
     * @param help      one line
     */
    record Option(String name, String valueName, String help) {
        public boolean isFlag() {
            return valueName.isEmpty();
        }
    }

    /** Something running beside Ben; closed before Ben stops. */
    interface Companion extends AutoCloseable {
        /** What it does, for the console. */
        String describe();

        @Override
        void close();
    }
}

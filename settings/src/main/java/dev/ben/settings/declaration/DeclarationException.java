package dev.ben.settings.declaration;

import java.util.List;
import java.util.stream.Collectors;

/** A declaration that cannot be used, with every problem found (each names its JSON path and the fix). */
public final class DeclarationException extends IllegalArgumentException {

    private final List<Problem> problems;

    public DeclarationException(String context, List<Problem> problems) {
        super(message(context, problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String message(String context, List<Problem> problems) {
        return context + " (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "; reference: docs/declaration.md):" + problems.stream().map(p -> "\n  - " + p)
                .collect(Collectors.joining());
    }
}

package dev.ben.infra.iam;

import java.util.Comparator;

/**
 * One AWS operation a Ben function performed, on one resource: what its execution role must allow.
 *
 * @param function logical function name (settings), e.g. {@code retry}
 * @param action   IAM action, e.g. {@code sqs:ChangeMessageVisibility}
 * @param resource what the call touched
 */
public record AwsCall(String function, String action, CallResource resource) implements Comparable<AwsCall> {

    private static final Comparator<AwsCall> ORDER = Comparator.comparing(AwsCall::function)
            .thenComparing(AwsCall::action).thenComparing(c -> c.resource().describe());

    @Override
    public int compareTo(AwsCall other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return function + " → " + action + " on " + resource.describe();
    }
}

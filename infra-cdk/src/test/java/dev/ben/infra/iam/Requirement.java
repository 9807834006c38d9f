package dev.ben.infra.iam;

/**
 * One permission a function's execution role must have.
 *
 * @param function  logical function name
 * @param action    IAM action
 * @param arn       resource ARN in {@link ArnSpace}
 * @param base      the table, stream or queue the ARN belongs to (an index belongs to its table), for the
 *                  least-privilege check
 * @param because   why: the recorded call, or the event source that polls with the function's role
 */
public record Requirement(String function, String action, String arn, String base, String because) {

    /** What a recorded call needs. */
    static Requirement of(AwsCall call) {
        return new Requirement(call.function(), call.action(), ArnSpace.arnOf(call.resource()), base(call.resource()),
                "the function called it (" + call.resource().describe() + ")");
    }

    static String base(CallResource resource) {
        return switch (resource) {
            case CallResource.Table t -> ArnSpace.table(t.name());
            case CallResource.Stream s -> ArnSpace.stream(s.table());
            case CallResource.Queue q -> ArnSpace.queue(q.name());
            case CallResource.ApiRoute r -> ArnSpace.apiRoute(r.api(), r.method(), r.path());
            case CallResource.Account a -> "*";
        };
    }
}

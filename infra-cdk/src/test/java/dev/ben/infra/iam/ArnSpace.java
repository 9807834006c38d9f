package dev.ben.infra.iam;

/**
 * The one account and region every template is resolved in for the IAM check, and the ARNs of named resources in
 * it. Templates and recorded calls meet here: a template's {@code Fn::GetAtt [OrdersTable, Arn]} and a recorded
 * call on table {@code orders} both become {@link #table(String) table("orders")}, because physical names are the
 * settings' logical names (as on the local stack).
 */
public final class ArnSpace {

    public static final String PARTITION = "aws";
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    /** The stream label of every table (a real one is a timestamp). */
    public static final String STREAM_LABEL = "2026-01-01T00:00:00.000";
    /** HTTP APIs are invoked on their default stage. */
    public static final String STAGE = "$default";

    private ArnSpace() {
    }

    public static String table(String name) {
        return "arn:" + PARTITION + ":dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + name;
    }

    public static String index(String table, String index) {
        return table(table) + "/index/" + index;
    }

    public static String stream(String table) {
        return table(table) + "/stream/" + STREAM_LABEL;
    }

    public static String queue(String name) {
        return "arn:" + PARTITION + ":sqs:" + REGION + ":" + ACCOUNT + ":" + name;
    }

    public static String queueUrl(String name) {
        return "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + name;
    }

    /** {@code execute-api:Invoke} resource: {@code arn:…:execute-api:region:account:apiId/stage/METHOD/path}. */
    public static String apiRoute(String apiId, String method, String path) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        return "arn:" + PARTITION + ":execute-api:" + REGION + ":" + ACCOUNT + ":" + apiId + "/" + STAGE + "/"
                + method + "/" + relative;
    }

    public static String apiEndpoint(String apiId) {
        return "https://" + apiId + ".execute-api." + REGION + ".amazonaws.com";
    }

    /** The ARN IAM evaluates for a recorded call's resource. */
    public static String arnOf(CallResource resource) {
        return switch (resource) {
            case CallResource.Table t -> t.index().isEmpty() ? table(t.name()) : index(t.name(), t.index());
            case CallResource.Stream s -> stream(s.table());
            case CallResource.Queue q -> queue(q.name());
            case CallResource.ApiRoute r -> apiRoute(r.api(), r.method(), r.path());
            case CallResource.Account a -> "*";
        };
    }
}

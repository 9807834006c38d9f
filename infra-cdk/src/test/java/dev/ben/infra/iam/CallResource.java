package dev.ben.infra.iam;

/**
 * What a recorded call touched, by name as the function saw it (local physical names). {@link ArnSpace} turns
 * these into the ARNs IAM evaluates, once the names are mapped to the templates' resources.
 */
public sealed interface CallResource {

    /** Human-readable form for reports, e.g. {@code table ben-deliveries index byStatus}. */
    String describe();

    /** A DynamoDB table, or one of its indexes ({@code index} empty for the table itself). */
    record Table(String name, String index) implements CallResource {
        @Override
        public String describe() {
            return "table " + name + (index.isEmpty() ? "" : " index " + index);
        }
    }

    /** A DynamoDB stream, by the table it belongs to. */
    record Stream(String table) implements CallResource {
        @Override
        public String describe() {
            return "stream of table " + table;
        }
    }

    /** An SQS queue, by name (the last segment of its URL). */
    record Queue(String name) implements CallResource {
        @Override
        public String describe() {
            return "queue " + name;
        }
    }

    /** A route of an HTTP API ({@code execute-api:Invoke}), {@code path} as requested, e.g. {@code /orders/o-1}. */
    record ApiRoute(String api, String method, String path) implements CallResource {
        @Override
        public String describe() {
            return "api " + api + " " + method + " " + path;
        }
    }

    /** An action without a resource (IAM resource {@code *}), e.g. {@code dynamodb:ListTables}. */
    record Account() implements CallResource {
        @Override
        public String describe() {
            return "*";
        }
    }
}

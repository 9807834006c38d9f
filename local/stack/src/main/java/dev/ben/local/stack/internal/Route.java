package dev.ben.local.stack.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;

/**
 * What the layer does with a request. It is decided in the order dynalite checks a request (method and content
 * type, JSON syntax, target, signature, body), so that whatever dynalite would refuse before looking at the
 * operation is refused by dynalite itself, or - for the operations dynalite does not have - in its words.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>request</th><th>route</th></tr>
 *   <tr><td>not a POST (GET health check, CORS preflight, PUT/DELETE/...); a body whose content type is neither
 *       JSON type; no {@code X-Amz-Target}; a target the layer leaves to dynalite</td><td>{@link Forward}</td></tr>
 *   <tr><td>a DynamoDB operation the layer watches (tables, TTL, item writes) whose body is a JSON object and
 *       whose signature is well-formed</td><td>{@link Interpret}</td></tr>
 *   <tr><td>the same with a body that is not a JSON object, or a signature dynalite refuses</td>
 *       <td>{@link Forward}: dynalite answers its own error</td></tr>
 *   <tr><td>a Streams operation or {@code UpdateTimeToLive} (dynalite has neither), well-formed</td>
 *       <td>{@link Serve}</td></tr>
 *   <tr><td>the same, malformed JSON, unknown operation, bad signature, empty body, not an object (checked in
 *       that order)</td><td>{@link Refuse}</td></tr>
 * </table>
 */
sealed interface Route {

    String DYNAMODB = "DynamoDB_20120810.";
    String STREAMS = "DynamoDBStreams_20120810.";
    Set<String> STREAMS_OPERATIONS = Set.of("ListStreams", "DescribeStream", "GetShardIterator", "GetRecords");
    Set<String> INTERPRETED = Set.of("CreateTable", "UpdateTable", "DescribeTable", "DeleteTable",
            "DescribeTimeToLive", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem");

    /** To dynalite unchanged; its answer back unchanged. */
    record Forward() implements Route {
    }

    /** A DynamoDB operation forwarded to dynalite with what the Streams layer needs added or recorded. */
    record Interpret(String operation, ObjectNode body) implements Route {
    }

    /** An operation the layer answers itself; {@code api} is {@link #DYNAMODB} or {@link #STREAMS}. */
    record Serve(String api, String operation, ObjectNode body) implements Route {
    }

    /** A request to an operation the layer answers, refused by the layer. */
    record Refuse(AwsException error) implements Route {
    }

    static Route of(LayerRequest request) {
        String mediaType = request.mediaType();
        boolean jsonBody = request.body().length == 0 || mediaType.equals(LayerResponse.JSON)
                || mediaType.equals(LayerResponse.AMZ_JSON);
        String target = request.header("X-Amz-Target");
        if (!request.method().equals("POST") || !jsonBody || target == null) {
            return new Forward();
        }
        if (target.startsWith(STREAMS)) {
            String operation = target.substring(STREAMS.length());
            return served(STREAMS, operation, STREAMS_OPERATIONS.contains(operation), request);
        }
        if (target.equals(DYNAMODB + "UpdateTimeToLive")) {
            return served(DYNAMODB, "UpdateTimeToLive", true, request);
        }
        String operation = target.startsWith(DYNAMODB) ? target.substring(DYNAMODB.length()) : "";
        return INTERPRETED.contains(operation) ? interpreted(operation, request) : new Forward();
    }

    private static Route interpreted(String operation, LayerRequest request) {
        Optional<JsonNode> body = request.body().length == 0 ? Optional.empty() : Requests.tryParse(request.body());
        if (body.isEmpty() || !body.get().isObject() || SignatureCheck.problem(request).isPresent()) {
            return new Forward();
        }
        return new Interpret(operation, (ObjectNode) body.get());
    }

    private static Route served(String api, String operation, boolean known, LayerRequest request) {
        try {
            JsonNode body = request.body().length == 0 ? null : Requests.parse(request.body());
            if (!known) {
                throw AwsException.unknownOperation("Unknown " + (api.equals(STREAMS) ? "DynamoDB Streams" : "DynamoDB")
                        + " operation: " + operation);
            }
            SignatureCheck.problem(request).ifPresent(problem -> {
                throw problem;
            });
            return new Serve(api, operation, Requests.asObject(body));
        } catch (AwsException e) {
            return new Refuse(e);
        }
    }
}

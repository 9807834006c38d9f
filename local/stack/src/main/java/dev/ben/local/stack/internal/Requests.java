package dev.ben.local.stack.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * Parsing and validating JSON 1.0 request bodies, with AWS-style errors. Numbers keep their exact value and
 * scale ({@code 1796109399.37} is written back as {@code 1796109399.37}, never {@code 1.79610939937E9}), and
 * text after the JSON value is an error, as for JavaScript's {@code JSON.parse}.
 */
final class Requests {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private Requests() {
    }

    static ObjectNode parseObject(byte[] body) {
        return asObject(body.length == 0 ? null : parse(body));
    }

    /** Any JSON value; a {@code SerializationException} when the body is not JSON. */
    static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw AwsException.serialization("Malformed JSON request body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw AwsException.serialization("Unreadable request body: " + e.getMessage());
        }
    }

    static Optional<JsonNode> tryParse(byte[] body) {
        try {
            return Optional.of(parse(body));
        } catch (AwsException notJson) {
            return Optional.empty();
        }
    }

    /** The request object; {@code null} stands for an empty body. */
    static ObjectNode asObject(JsonNode body) {
        if (body == null || body.isMissingNode()) {
            throw AwsException.serialization("Start of structure or map found where not expected: empty request body");
        }
        if (!body.isObject()) {
            throw AwsException.serialization("The request body must be a JSON object");
        }
        return (ObjectNode) body;
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String requiredString(JsonNode request, String field) {
        String value = optionalString(request, field);
        if (value == null || value.isEmpty()) {
            throw AwsException.validation("1 validation error detected: Value null at '" + lowerFirst(field)
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    static String optionalString(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw AwsException.serialization("Unexpected value for " + field + ": expected a string, got "
                    + value.getNodeType());
        }
        return value.asText();
    }

    static int optionalInt(JsonNode request, String field, int defaultValue, int min, int max) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw AwsException.serialization("Unexpected value for " + field + ": expected an integer, got " + value);
        }
        int number = value.asInt();
        if (number < min || number > max) {
            throw AwsException.validation("1 validation error detected: Value '" + number + "' at '"
                    + lowerFirst(field) + "' failed to satisfy constraint: Member must have value between "
                    + min + " and " + max);
        }
        return number;
    }

    private static String lowerFirst(String field) {
        return Character.toLowerCase(field.charAt(0)) + field.substring(1);
    }
}

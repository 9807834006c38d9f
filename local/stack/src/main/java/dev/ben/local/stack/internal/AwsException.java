package dev.ben.local.stack.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An error answered in the AWS JSON 1.0 error shape: {@code {"__type":"<namespace>#<code>","message":"..."}}. */
public final class AwsException extends RuntimeException {

    private static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";
    private static final String CORAL_SERVICE = "com.amazon.coral.service#";
    private static final String CORAL_VALIDATE = "com.amazon.coral.validate#";

    private final String type;
    private final int status;

    private AwsException(String type, String message, int status) {
        super(message);
        this.type = type;
        this.status = status;
    }

    /** The full {@code __type}, e.g. {@code com.amazonaws.dynamodb.v20120810#ResourceNotFoundException}. */
    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    /** The error's body: {@code {"__type": ..., "message": ...}}. */
    ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("__type", type).put("message", getMessage());
    }

    public static AwsException resourceNotFound(String message) {
        return new AwsException(DYNAMODB + "ResourceNotFoundException", message, 400);
    }

    public static AwsException validation(String message) {
        return new AwsException(CORAL_VALIDATE + "ValidationException", message, 400);
    }

    public static AwsException serialization(String message) {
        return new AwsException(CORAL_SERVICE + "SerializationException", message, 400);
    }

    public static AwsException unknownOperation(String message) {
        return new AwsException(CORAL_SERVICE + "UnknownOperationException", message, 400);
    }

    public static AwsException expiredIterator(String message) {
        return new AwsException(DYNAMODB + "ExpiredIteratorException", message, 400);
    }

    public static AwsException trimmedDataAccess(String message) {
        return new AwsException(DYNAMODB + "TrimmedDataAccessException", message, 400);
    }

    public static AwsException missingAuthenticationToken(String message) {
        return new AwsException(CORAL_SERVICE + "MissingAuthenticationTokenException", message, 400);
    }

    public static AwsException incompleteSignature(String message) {
        return new AwsException(CORAL_SERVICE + "IncompleteSignatureException", message, 400);
    }

    public static AwsException invalidSignature(String message) {
        return new AwsException(CORAL_SERVICE + "InvalidSignatureException", message, 400);
    }

    public static AwsException internal(String message) {
        return new AwsException(DYNAMODB + "InternalServerError", message, 500);
    }
}

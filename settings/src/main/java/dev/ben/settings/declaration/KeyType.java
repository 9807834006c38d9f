package dev.ben.settings.declaration;

/** DynamoDB key attribute types Ben supports (binary keys are not: entity ids are text). */
public enum KeyType {
    /** String. */
    S,
    /** Number (as DynamoDB writes it in the stream, e.g. {@code 42}). */
    N
}

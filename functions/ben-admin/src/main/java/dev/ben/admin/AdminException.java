package dev.ben.admin;

import java.util.Optional;

/**
 * A refused admin operation: what was wrong and how to fix it. The management API answers it with a 4xx in its one
 * error shape, the CLI prints it with the matching exit code; {@code field} names the input at fault, if one is.
 */
public final class AdminException extends RuntimeException {

    /** Why the operation was refused. */
    public enum Kind {
        /** The input is malformed or out of range (HTTP 400). */
        INVALID,
        /** The resource does not exist, or belongs to another tenant (HTTP 404). */
        NOT_FOUND,
        /** Refused in the current state: exists already, changed meanwhile, disabled (HTTP 409). */
        CONFLICT
    }

    private final Kind kind;
    private final String field;

    public AdminException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public static AdminException invalid(String field, String message) {
        return new AdminException(Kind.INVALID, field, message);
    }

    public static AdminException invalid(String message) {
        return new AdminException(Kind.INVALID, null, message);
    }

    public static AdminException notFound(String message) {
        return new AdminException(Kind.NOT_FOUND, null, message);
    }

    public static AdminException conflict(String message) {
        return new AdminException(Kind.CONFLICT, null, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The request field (JSON property or query parameter) at fault, when one is. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}

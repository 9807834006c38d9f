package dev.ben.core.egress;

import dev.ben.core.http.ErrorKind;
import java.util.Objects;

/** A URL or its resolved addresses were refused; {@link #kind()} says how to classify it. */
public final class EgressException extends RuntimeException {
    private final ErrorKind kind;

    public EgressException(ErrorKind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** {@link ErrorKind#INVALID_URL}, {@link ErrorKind#BLOCKED_ADDRESS} or {@link ErrorKind#UNKNOWN_HOST}. */
    public ErrorKind kind() {
        return kind;
    }
}

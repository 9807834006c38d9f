package dev.ben.admin.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** A refusal with its HTTP status and error code, answered in the API's one error shape ({@link #body()}). */
public final class ApiException extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String UNKNOWN_FIELD = "unknown_field";
    public static final String MALFORMED_JSON = "malformed_json";
    public static final String UNAUTHORIZED = "unauthorized";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String CONFLICT = "conflict";
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    public static final String KEY_REUSED = "idempotency_key_reused";
    public static final String IN_PROGRESS = "idempotency_in_progress";
    public static final String INTERNAL = "internal";

    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String message, String field) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(400, INVALID_REQUEST, message, field);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, NOT_FOUND, message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** {@code {"error": {"code", "message", "field"?}}} */
    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", getMessage());
        if (field != null) {
            error.put("field", field);
        }
        return Map.of("error", error);
    }

    public ApiResponse response() {
        return ApiResponse.json(status, body());
    }
}

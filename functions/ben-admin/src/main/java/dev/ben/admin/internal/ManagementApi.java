package dev.ben.admin.internal;

import dev.ben.admin.AdminException;
import dev.ben.sender.internal.Telemetry;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The API's front door: authenticates, bounds the body, routes, and turns every refusal into the one error shape —
 * {@link ApiException} as it says, {@link AdminException} as 400/404/409, a malformed value as 400. Anything else is
 * a fault of Ben or AWS: logged once here, answered 500 without its details.
 */
public final class ManagementApi {

    /** Bodies above this are refused (413) before any parsing. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private final Authenticator authenticator;
    private final Router router;
    private final Telemetry telemetry;

    public ManagementApi(Authenticator authenticator, Router router, Telemetry telemetry) {
        this.authenticator = authenticator;
        this.router = router;
        this.telemetry = telemetry;
    }

    public Router router() {
        return router;
    }

    public ApiResponse handle(ApiRequest request) {
        try {
            authenticator.check(request);
            int bytes = request.body().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_BODY_BYTES) {
                throw new ApiException(413, ApiException.PAYLOAD_TOO_LARGE, "the body has " + bytes
                        + " bytes; at most " + MAX_BODY_BYTES, null);
            }
            return router.dispatch(request);
        } catch (ApiException e) {
            return e.response();
        } catch (AdminException e) {
            return refused(e).response();
        } catch (IllegalArgumentException e) {
            return ApiException.invalid(null, e.getMessage()).response();
        } catch (RuntimeException e) {
            telemetry.error("management API request failed", Map.of("requestId", request.requestId(), "method",
                    request.method(), "path", request.path(), "error", e.toString()));
            return new ApiException(500, ApiException.INTERNAL, "internal error (request " + request.requestId()
                    + "); nothing was left half-done that a retry cannot finish: retry the request", null).response();
        }
    }

    private static ApiException refused(AdminException e) {
        String field = e.field().orElse(null);
        return switch (e.kind()) {
            case INVALID -> ApiException.invalid(field, e.getMessage());
            case NOT_FOUND -> ApiException.notFound(e.getMessage());
            case CONFLICT -> new ApiException(409, ApiException.CONFLICT, e.getMessage(), field);
        };
    }
}

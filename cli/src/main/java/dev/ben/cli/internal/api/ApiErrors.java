package dev.ben.cli.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.CliException;
import dev.ben.cli.ExitCodes;
import java.util.Optional;

/**
 * An error answer of the management API as the CLI reports it: the API's own message, with the exit code of
 * the CLI's contract ({@link ExitCodes}) for its status.
 *
 * <table>
 * <caption>status → exit code</caption>
 * <tr><th>status</th><th>exit code</th></tr>
 * <tr><td>400, 413, 422, 431</td><td>2 (bad arguments)</td></tr>
 * <tr><td>404</td><td>3 (not found)</td></tr>
 * <tr><td>409, 412</td><td>5 (refused in the current state)</td></tr>
 * <tr><td>401, 403</td><td>4 (credentials), with a hint</td></tr>
 * <tr><td>anything else (429, 5xx)</td><td>4 (connection / service)</td></tr>
 * </table>
 */
public final class ApiErrors {

    private ApiErrors() {
    }

    public static CliException of(int status, JsonNode body, String rawBody, String method, String path) {
        String message = message(body).orElse(status + " " + abbreviate(rawBody));
        return switch (status) {
            case 400, 413, 422, 431 -> new CliException(ExitCodes.USAGE, message);
            case 404 -> new CliException(ExitCodes.NOT_FOUND, message);
            case 409, 412 -> new CliException(ExitCodes.CONFLICT, message);
            case 401, 403 -> new CliException(ExitCodes.AWS, "the management API refused " + method + " " + path
                    + " (" + status + ": " + message + "); locally pass the token ./ben-local prints (--api-token or "
                    + "BEN_API_TOKEN), in AWS use credentials allowed execute-api:Invoke on the API");
            default -> new CliException(ExitCodes.AWS, "management API error on " + method + " " + path + " ("
                    + status + "): " + message);
        };
    }

    /** The message of the API's error shape, {@code {"error":{"code","message"}}}, or of API Gateway's own. */
    static Optional<String> message(JsonNode body) {
        if (body == null) {
            return Optional.empty();
        }
        JsonNode error = body.path("error");
        if (error.isObject() && error.hasNonNull("message")) {
            return Optional.of(error.get("message").asText());
        }
        if (error.isTextual()) {
            return Optional.of(error.asText());
        }
        if (body.hasNonNull("message")) {
            return Optional.of(body.get("message").asText()); // API Gateway: {"message":"Forbidden"}
        }
        return Optional.empty();
    }

    private static String abbreviate(String raw) {
        String one = raw == null ? "" : raw.replaceAll("\\s+", " ").strip();
        return one.length() <= 200 ? one : one.substring(0, 199) + "…";
    }
}

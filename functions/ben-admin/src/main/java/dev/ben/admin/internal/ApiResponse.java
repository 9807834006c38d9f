package dev.ben.admin.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** An answer: status, extra headers and a JSON body ("" for none, e.g. 204). */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public ApiResponse {
        headers = Map.copyOf(headers);
        body = body == null ? "" : body;
    }

    public static ApiResponse json(int status, Object body) {
        return new ApiResponse(status, Map.of(), ApiJson.write(body));
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), "");
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiResponse(status, more, body);
    }

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}

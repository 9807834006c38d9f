package dev.ben.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.cli.internal.api.ApiPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every item of a paginated list route ({@code {"items": [...], "nextCursor": ..., "malformed": [...]}}), page after
 * page, and the rows the API could not read (id → reason), which callers report rather than hide.
 */
public final class Pages {

    private static final int PAGE = 500;

    private Pages() {
    }

    /** The items of every page, and the malformed rows by id. */
    public record All(List<JsonNode> items, Map<String, String> malformed) {
    }

    public static All all(ApiClient api, ApiPath path) {
        List<JsonNode> items = new ArrayList<>();
        Map<String, String> malformed = new LinkedHashMap<>();
        String cursor = null;
        do {
            JsonNode page = api.get(path.query("limit", PAGE).query("cursor", cursor));
            page.path("items").forEach(items::add);
            page.path("malformed").forEach(m -> malformed.put(m.path("id").asText(), m.path("reason").asText()));
            cursor = next(page);
        } while (cursor != null);
        return new All(items, malformed);
    }

    /** A page's {@code nextCursor}; null when it is the last. */
    public static String next(JsonNode page) {
        JsonNode next = page.path("nextCursor");
        return next.isNull() || next.isMissingNode() || next.asText().isEmpty() ? null : next.asText();
    }
}

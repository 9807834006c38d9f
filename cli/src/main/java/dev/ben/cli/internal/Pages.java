package dev.ben.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.cli.internal.api.ApiPath;
import java.util.ArrayList;
import java.util.List;

/** Every item of a paginated list route ({@code {"items": [...], "nextCursor": ...}}), page after page. */
public final class Pages {

    private static final int PAGE = 500;

    private Pages() {
    }

    public static List<JsonNode> all(ApiClient api, ApiPath path) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get(path.query("limit", PAGE).query("cursor", cursor));
            page.path("items").forEach(items::add);
            cursor = next(page);
        } while (cursor != null);
        return items;
    }

    /** A page's {@code nextCursor}; null when it is the last. */
    public static String next(JsonNode page) {
        JsonNode next = page.path("nextCursor");
        return next.isNull() || next.isMissingNode() || next.asText().isEmpty() ? null : next.asText();
    }
}

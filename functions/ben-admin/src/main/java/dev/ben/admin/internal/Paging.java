package dev.ben.admin.internal;

import dev.ben.admin.Cursor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code limit} and {@code cursor} of a listing, and the page it answers. */
public record Paging(int limit, Map<String, String> cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** @param key the attribute every cursor of this listing holds */
    public static Paging of(ApiRequest request, String key) {
        int limit = request.queryParameter("limit").map(Paging::limit).orElse(DEFAULT_LIMIT);
        return new Paging(limit, Cursor.decode(request.queryParameter("cursor").orElse(null), key));
    }

    private static int limit(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw ApiException.invalid("limit", "limit must be an integer from 1 to " + MAX_LIMIT + ", got " + text);
    }

    /** {@code {"items": [...], "nextCursor": ...}} plus {@code malformed} rows when there are any. */
    public static Map<String, Object> page(List<?> items, Map<String, String> next, Map<String, String> malformed) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("nextCursor", next.isEmpty() ? null : Cursor.encode(next));
        if (!malformed.isEmpty()) {
            page.put("malformed", malformed.entrySet().stream()
                    .map(e -> Map.of("id", e.getKey(), "reason", e.getValue())).toList());
        }
        return page;
    }
}

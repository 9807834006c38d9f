package dev.ben.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.CliException;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.cli.internal.api.ApiPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deliveries across tenant scopes, a page at a time: the scopes in turn ({@code _}, then each tenant), each read
 * with the API's own cursor, until a page holds {@code limit} deliveries. The CLI cursor names the scope and the
 * API cursor in it, so a resumed listing neither skips nor repeats a delivery.
 */
public final class DeliveryPages {

    private static final int API_PAGE = 500;

    private final ApiClient api;

    public DeliveryPages(ApiClient api) {
        this.api = api;
    }

    /** A page of deliveries and the cursor to resume after it (null when every scope is read). */
    public record Page(List<JsonNode> items, String next) {
    }

    /** @param query the API's list filters (endpointId, status, eventType, since), null values left out */
    public Page list(List<String> scopes, Map<String, Object> query, int limit, String cursor) {
        Map<String, String> position = Cursor.decode(cursor, "scope");
        int scope = position.isEmpty() ? 0 : scopes.indexOf(position.get("scope"));
        if (scope < 0) {
            throw CliException.usage("--cursor names tenant " + position.get("scope") + ", which this listing does "
                    + "not cover (give the same --tenant as the run that printed it)");
        }
        String apiCursor = position.get("cursor");
        List<JsonNode> items = new ArrayList<>();
        while (scope < scopes.size() && items.size() < limit) {
            ApiPath path = Scopes.of(scopes.get(scope)).then("deliveries");
            for (Map.Entry<String, Object> q : query.entrySet()) {
                path = path.query(q.getKey(), q.getValue());
            }
            JsonNode page = api.get(path.query("limit", Math.min(API_PAGE, limit - items.size()))
                    .query("cursor", apiCursor));
            page.path("items").forEach(items::add);
            apiCursor = Pages.next(page);
            if (apiCursor == null) {
                scope++;
            }
        }
        String next = scope < scopes.size() ? Cursor.encode(Map.of("scope", scopes.get(scope),
                "cursor", apiCursor == null ? "" : apiCursor)) : null;
        return new Page(items, next);
    }
}

package dev.ben.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ben.cli.CliException;
import dev.ben.cli.ExitCodes;
import dev.ben.cli.internal.api.ApiClient;
import dev.ben.cli.internal.api.ApiPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API's tenant scopes as the CLI uses them: {@code /v1/tenants/{t}} for a tenant, {@code _} for what has none.
 * A command given {@code --tenant} works in that scope only; without it, lists cover every scope and a lookup by id
 * tries the tenant-less scope first, then each tenant (the API answers another scope's ids with 404).
 */
public final class Scopes {

    /** The path segment of resources without a tenant. */
    public static final String NONE = "_";
    /** The ids the API accepts (docs/api/openapi.yaml): any other cannot name anything, so it is not found. */
    private static final Map<String, Pattern> IDS = Map.of(
            "endpoints", Pattern.compile("[A-Za-z0-9_.:-]{1,100}"),
            "deliveries", Pattern.compile("dlv_[A-Za-z0-9_-]{10,64}"));

    private final ApiClient api;

    public Scopes(ApiClient api) {
        this.api = api;
    }

    public static ApiPath of(String scope) {
        return ApiPath.of("v1", "tenants", scope);
    }

    /** The scope of {@code --tenant}: the tenant, or {@code _} when none is given. */
    public static String scope(String tenantOrNull) {
        return tenantOrNull == null ? NONE : tenantOrNull;
    }

    /** {@code _} and every tenant, in id order. */
    public List<String> all() {
        List<String> scopes = new ArrayList<>(List.of(NONE));
        // a malformed tenant row still names a scope its endpoints and deliveries can live in
        Pages.All tenants = Pages.all(api, ApiPath.of("v1", "tenants"));
        tenants.items().forEach(t -> scopes.add(t.path("tenantId").asText()));
        scopes.addAll(tenants.malformed().keySet());
        return scopes;
    }

    /** The scopes to look an id up in: the one given, else every scope. */
    public List<String> searched(String tenantOrNull) {
        return tenantOrNull == null ? all() : List.of(tenantOrNull);
    }

    /** A resource found by id, and the scope it lives in. */
    public record Found(String scope, JsonNode resource) {
    }

    /**
     * GET {@code /v1/tenants/{scope}/{collection}/{id}} in the scope given, or in each scope in turn.
     *
     * @param missing the message when no scope has it
     */
    public Found find(String tenantOrNull, String collection, String id, String missing) {
        if (!IDS.get(collection).matcher(id).matches()) {
            throw CliException.notFound(missing);
        }
        if (tenantOrNull != null) {
            return get(tenantOrNull, collection, id).orElseThrow(() -> CliException.notFound(missing));
        }
        Optional<Found> tenantless = get(NONE, collection, id);
        if (tenantless.isPresent()) {
            return tenantless.get();
        }
        List<String> scopes = all();
        for (String scope : scopes.subList(1, scopes.size())) {
            Optional<Found> found = get(scope, collection, id);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw CliException.notFound(missing);
    }

    private Optional<Found> get(String scope, String collection, String id) {
        try {
            return Optional.of(new Found(scope, api.get(of(scope).then(collection, id))));
        } catch (CliException e) {
            if (e.exitCode() == ExitCodes.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }
}

package dev.ben.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ben.cli.CliException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resume point a paginated command prints and takes back with {@code --cursor}: where it stopped (the tenant
 * scope and the API's own cursor in it, plus whatever the command needs to resume the same way), base64url JSON.
 */
public final class Cursor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Cursor() {
    }

    public static String encode(Map<String, String> position) {
        try {
            Map<String, String> present = new LinkedHashMap<>(position);
            present.values().removeIf(v -> v == null);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(present));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param required a field every cursor of the command has */
    public static Map<String, String> decode(String cursor, String required) {
        if (cursor == null || cursor.isBlank()) {
            return Map.of();
        }
        try {
            JsonNode node = JSON.readTree(new String(Base64.getUrlDecoder().decode(cursor.trim()),
                    StandardCharsets.UTF_8));
            Map<String, String> position = new LinkedHashMap<>();
            node.properties().forEach(p -> position.put(p.getKey(), p.getValue().asText()));
            if (!position.containsKey(required)) {
                throw new IllegalArgumentException("no " + required);
            }
            return position;
        } catch (Exception e) {
            throw CliException.usage("--cursor is not a cursor printed by this command (" + e.getMessage() + ")");
        }
    }
}

package dev.ben.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An opaque resume point printed by paginated commands and accepted back with {@code --cursor}: the DynamoDB
 * ExclusiveStartKey (string attributes), base64url-encoded JSON.
 */
public final class Cursor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Cursor() {
    }

    public static String encode(Map<String, String> key) {
        if (key == null || key.isEmpty()) {
            return "";
        }
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(JSON.writeValueAsBytes(new TreeMap<>(key)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cursor of a deliveries listing (it holds a deliveryId). */
    public static Map<String, String> decode(String cursor) {
        return decode(cursor, "deliveryId");
    }

    /** A cursor that must hold the {@code key} attribute (the table's partition key). */
    public static Map<String, String> decode(String cursor, String key) {
        if (cursor == null || cursor.isBlank()) {
            return Map.of();
        }
        try {
            byte[] json = Base64.getUrlDecoder().decode(cursor.trim());
            Map<String, String> decoded = JSON.readValue(new String(json, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, String>>() { });
            if (decoded.isEmpty() || !decoded.containsKey(key)) {
                throw new IllegalArgumentException("no " + key);
            }
            return decoded;
        } catch (Exception e) {
            throw AdminException.invalid("cursor", "not a cursor returned by an earlier page (" + e.getMessage() + ")");
        }
    }
}

package dev.ben.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Deterministic, URL-safe ids. The same stream record always yields the same event id and the same
 * delivery ids, so a redelivered stream batch never creates new notifications (conditional writes
 * on these ids make creation idempotent).
 *
 * <p>Ids are a prefix plus the first 20 bytes (160 bits) of a SHA-256 over length-prefixed parts,
 * base64url without padding (27 characters). Length prefixes make {@code ("ab","c")} and
 * {@code ("a","bc")} hash differently.
 */
public final class EventIds {
    public static final String EVENT_PREFIX = "evt_";
    public static final String DELIVERY_PREFIX = "dlv_";
    /** Prefix of the derived endpoint ids of per-record URL deliveries. */
    public static final String URL_ENDPOINT_PREFIX = "ep_url_";
    private static final int HASH_BYTES = 20;

    private EventIds() {
    }

    /** {@code evt_…} from the source table's logical name and the stream record's {@code eventID}. */
    public static String eventId(String sourceTable, String streamEventId) {
        Event.requireText(sourceTable, "sourceTable");
        Event.requireText(streamEventId, "streamEventId");
        return EVENT_PREFIX + hash("event", sourceTable, streamEventId);
    }

    /** {@code dlv_…} from the event id and the endpoint id. */
    public static String deliveryId(String eventId, String endpointId) {
        Event.requireText(eventId, "eventId");
        Event.requireText(endpointId, "endpointId");
        return DELIVERY_PREFIX + hash("delivery", eventId, endpointId);
    }

    /**
     * {@code ep_url_…} from the tenant and the URL of a per-record URL delivery: the same record always yields the
     * same endpoint id, hence the same delivery id. Such an endpoint exists in no table: the URL is stored on the
     * delivery and the signing secrets are the tenant's, resolved at every attempt.
     */
    public static String urlEndpointId(String tenantId, String url) {
        Event.requireText(tenantId, "tenantId");
        Event.requireText(url, "url");
        return URL_ENDPOINT_PREFIX + hash("url-endpoint", tenantId, url);
    }

    public static boolean isUrlEndpoint(String endpointId) {
        return endpointId != null && endpointId.startsWith(URL_ENDPOINT_PREFIX);
    }

    private static String hash(String... parts) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            sha.update((byte) (bytes.length >>> 24));
            sha.update((byte) (bytes.length >>> 16));
            sha.update((byte) (bytes.length >>> 8));
            sha.update((byte) bytes.length);
            sha.update(bytes);
        }
        byte[] digest = sha.digest();
        byte[] head = new byte[HASH_BYTES];
        System.arraycopy(digest, 0, head, 0, HASH_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(head);
    }
}

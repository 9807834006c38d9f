package dev.ben.sender.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent Standard Webhooks verifier written from the specification (not from Ben's signer):
 * the secret is {@code whsec_} + base64 key; the signed content is {@code id.timestamp.body}; the header holds
 * space-separated {@code v1,<base64 HMAC-SHA256>} entries, one of which must match.
 */
public final class SpecVerifier {

    private SpecVerifier() {
    }

    public static boolean verifies(String secret, String id, String timestamp, String body, String signatureHeader) {
        if (secret == null || id == null || timestamp == null || body == null || signatureHeader == null) {
            return false;
        }
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String part : signatureHeader.split(" ")) {
                String[] versioned = part.split(",", 2);
                if (versioned.length == 2 && versioned[0].equals("v1")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(versioned[1]))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

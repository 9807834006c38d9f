package dev.ben.reconcile;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test-side SigV4 verification written from AWS's published algorithm (canonical request → string to sign →
 * derived key → HMAC), independent of the SDK signer. Body-less requests without query parameters (the query, if
 * any, must already be canonical), non-S3 services (the path is URI-encoded a second time).
 */
final class SigV4Verifier {

    static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)"
            + "/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    /** @param headers lower-case names → values, as received */
    static boolean verify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                          Map<String, String> secretsByAccessKey) throws Exception {
        List<String> auth = headers.get("authorization");
        Matcher m = auth == null ? null : AUTHORIZATION.matcher(auth.get(0));
        if (m == null || !m.matches() || !secretsByAccessKey.containsKey(m.group(1))) {
            return false;
        }
        String amzDate = headers.get("x-amz-date").get(0);
        String expected = signature(method, rawPath, rawQuery, headers, List.of(m.group(5).split(";")),
                secretsByAccessKey.get(m.group(1)), amzDate, m.group(3), m.group(4));
        return amzDate.startsWith(m.group(2)) && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), m.group(6).getBytes(StandardCharsets.US_ASCII));
    }

    static String signature(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                            List<String> signedHeaders, String secret, String amzDate, String region,
                            String service) throws Exception {
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = new ArrayList<>();
            headers.get(name).forEach(v -> values.add(v.strip().replaceAll(" +", " ")));
            canonicalHeaders.append(name).append(':').append(String.join(",", values)).append('\n');
        }
        String canonicalRequest = String.join("\n", method, uriEncode(rawPath.isEmpty() ? "/" : rawPath),
                rawQuery == null ? "" : rawQuery, canonicalHeaders.toString(), String.join(";", signedHeaders), hex(sha256("")));
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", amzDate, scope, hex(sha256(canonicalRequest)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
        for (String part : List.of(region, service, "aws4_request")) {
            key = hmac(key, part);
        }
        return hex(hmac(key, stringToSign));
    }

    /** RFC 3986 encoding of everything but unreserved characters, keeping '/' (applied to the already-encoded path). */
    private static String uriEncode(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-_.~/".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}

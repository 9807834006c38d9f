package dev.ben.cli.internal.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
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
 * derived key → HMAC), independent of the SDK signer, as API Gateway checks an IAM-authorized route: the body's
 * SHA-256 is part of the canonical request, query parameters are sorted, the path is URI-encoded a second time.
 */
final class SigV4Verifier {

    static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)"
            + "/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

    private SigV4Verifier() {
    }

    /** @param headers lower-case names → values, as received */
    static boolean verify(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                          byte[] body, Map<String, String> secretsByAccessKey) throws Exception {
        List<String> auth = headers.get("authorization");
        Matcher m = auth == null ? null : AUTHORIZATION.matcher(auth.getFirst());
        if (m == null || !m.matches() || !secretsByAccessKey.containsKey(m.group(1))) {
            return false;
        }
        String amzDate = headers.get("x-amz-date").getFirst();
        String canonical = String.join("\n", method, uriEncode(rawPath.isEmpty() ? "/" : rawPath),
                canonicalQuery(rawQuery), canonicalHeaders(headers, m.group(5)), m.group(5), hex(sha256(body)));
        String scope = amzDate.substring(0, 8) + "/" + m.group(3) + "/" + m.group(4) + "/aws4_request";
        String stringToSign = String.join("\n", "AWS4-HMAC-SHA256", amzDate, scope,
                hex(sha256(canonical.getBytes(StandardCharsets.UTF_8))));
        byte[] key = hmac(("AWS4" + secretsByAccessKey.get(m.group(1))).getBytes(StandardCharsets.UTF_8),
                amzDate.substring(0, 8));
        for (String part : List.of(m.group(3), m.group(4), "aws4_request")) {
            key = hmac(key, part);
        }
        String expected = hex(hmac(key, stringToSign));
        return amzDate.startsWith(m.group(2)) && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), m.group(6).getBytes(StandardCharsets.US_ASCII));
    }

    private static String canonicalHeaders(Map<String, List<String>> headers, String signed) {
        StringBuilder out = new StringBuilder();
        for (String name : signed.split(";")) {
            List<String> values = new ArrayList<>();
            headers.getOrDefault(name, List.of()).forEach(v -> values.add(v.strip().replaceAll(" +", " ")));
            out.append(name).append(':').append(String.join(",", values)).append('\n');
        }
        return out.toString();
    }

    /** Already RFC 3986-encoded pairs (as the client sends them), sorted by name then value. */
    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        String[] pairs = rawQuery.split("&");
        Arrays.sort(pairs);
        return String.join("&", pairs);
    }

    /** RFC 3986 encoding of everything but unreserved characters, keeping '/' (applied to the already-encoded path). */
    private static String uriEncode(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-_.~/".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
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

package dev.ben.cli.internal.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A management API path (segments, each percent-encoded) and its query parameters; null values are left out. */
public record ApiPath(List<String> segments, Map<String, String> query) {

    public ApiPath {
        segments = List.copyOf(segments);
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    public static ApiPath of(String... segments) {
        return new ApiPath(List.of(segments), Map.of());
    }

    public ApiPath then(String... more) {
        List<String> all = new ArrayList<>(segments);
        all.addAll(List.of(more));
        return new ApiPath(all, query);
    }

    public ApiPath query(String name, Object value) {
        if (value == null || value.toString().isEmpty()) {
            return this;
        }
        Map<String, String> all = new LinkedHashMap<>(query);
        all.put(name, value.toString());
        return new ApiPath(segments, all);
    }

    /** {@code /v1/tenants/t%201} (for messages). */
    public String path() {
        StringBuilder p = new StringBuilder();
        segments.forEach(s -> p.append('/').append(encode(s)));
        return p.toString();
    }

    /** The full URI under {@code base} (whose own path, e.g. a stage, is kept). */
    public URI resolve(URI base) {
        String prefix = base.toString().replaceAll("/+$", "");
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.isEmpty() ? '?' : '&').append(encode(k)).append('=').append(encode(v)));
        return URI.create(prefix + path() + q);
    }

    /** RFC 3986: everything but the unreserved characters is percent-encoded (a space is %20, never +). */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-_.~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}

package dev.ben.local.stack.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The authentication checks dynalite 4.0.0 makes before it looks at a request's parameters (its
 * {@code index.js}), for the requests the layer answers itself: a signature in the {@code Authorization} header
 * or in the query string (not both), with the parts SigV4 needs. Like dynalite, it checks the form only: the
 * signature itself is not verified.
 */
final class SignatureCheck {

    private static final List<String> HEADER_PARTS = List.of("Credential", "Signature", "SignedHeaders");
    private static final List<String> QUERY_PARTS = List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
            "X-Amz-SignedHeaders", "X-Amz-Date");

    private SignatureCheck() {
    }

    /** What is wrong with the request's signature, as dynalite would answer it; empty when it is well-formed. */
    static Optional<AwsException> problem(LayerRequest request) {
        String authorization = request.header("Authorization");
        Map<String, String> query = request.queryParameters();
        boolean inQuery = query.containsKey("X-Amz-Algorithm");
        if (authorization != null && inQuery) {
            return Optional.of(AwsException.invalidSignature("Found both 'X-Amz-Algorithm' as a query-string param "
                    + "and 'Authorization' as HTTP header."));
        }
        boolean notSigV4 = authorization != null && !authorization.strip().startsWith("AWS4-");
        if ((authorization == null && !inQuery) || notSigV4) {
            return Optional.of(AwsException.missingAuthenticationToken("Request is missing Authentication Token"));
        }
        String missing = authorization != null ? headerProblems(authorization, request) : queryProblems(query);
        return missing.isEmpty() ? Optional.empty() : Optional.of(AwsException.incompleteSignature(missing));
    }

    private static String headerProblems(String authorization, LayerRequest request) {
        Map<String, String> parts = new HashMap<>();
        String[] words = authorization.split("[, ]", -1);
        for (int i = 1; i < words.length; i++) {
            if (!words[i].isEmpty()) {
                String[] keyValue = words[i].strip().split("=", -1);
                parts.put(keyValue[0], keyValue.length > 1 ? keyValue[1] : null);
            }
        }
        StringBuilder message = new StringBuilder();
        for (String part : HEADER_PARTS) {
            if (isEmpty(parts.get(part))) {
                message.append("Authorization header requires '").append(part).append("' parameter. ");
            }
        }
        if (request.header("X-Amz-Date") == null && request.header("Date") == null) {
            message.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        return message.isEmpty() ? "" : message.append("Authorization=").append(authorization).toString();
    }

    private static String queryProblems(Map<String, String> query) {
        StringBuilder message = new StringBuilder();
        for (String part : QUERY_PARTS) {
            if (isEmpty(query.get(part))) {
                message.append("AWS query-string parameters must include '").append(part).append("'. ");
            }
        }
        return message.isEmpty() ? "" : message.append("Re-examine the query-string parameters.").toString();
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}

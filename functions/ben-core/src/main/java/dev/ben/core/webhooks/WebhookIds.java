package dev.ben.core.webhooks;

/** Rules for {@code webhook-id} values accepted by Ben (they become idempotency keys). */
final class WebhookIds {

    /** Longer ids are refused: they are stored as DynamoDB keys and logged. */
    static final int MAX_LENGTH = 256;

    private WebhookIds() {
    }

    /** Empty when valid, otherwise what is wrong. */
    static String problem(String id) {
        if (id.length() > MAX_LENGTH) {
            return "webhook-id is " + id.length() + " characters; at most " + MAX_LENGTH + " allowed";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return "webhook-id must be printable ASCII without spaces";
            }
        }
        return "";
    }

    static void requireValid(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("webhook id is required");
        }
        String problem = problem(id);
        if (!problem.isEmpty()) {
            throw new IllegalArgumentException(problem);
        }
    }
}

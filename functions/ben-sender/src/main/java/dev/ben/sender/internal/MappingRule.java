package dev.ben.sender.internal;

import java.util.List;
import java.util.Locale;

/**
 * Which change of which table becomes which event: "when {@code attribute} of a record in {@code table} becomes
 * {@code value}, emit {@code eventType} with a payload projecting {@code projection} (plus the version)".
 *
 * @param table            source table's logical name (as in BenSettings; its physical name comes from its env var)
 * @param entityKey        attribute holding the entity id (the table's partition key)
 * @param attribute        attribute whose change triggers the event
 * @param value            value it must become
 * @param eventType        event type, e.g. {@code order.paid}
 * @param versionAttribute numeric attribute incremented on every change (receivers use it to ignore stale states)
 * @param projection       attributes copied into {@code data}; the version attribute is always included
 */
public record MappingRule(String table, String entityKey, String attribute, String value, String eventType,
                          String versionAttribute, List<String> projection) {

    public MappingRule {
        projection = List.copyOf(projection);
    }

    /** The seed's example: an order whose status becomes PAID emits {@code order.paid}. */
    public static MappingRule ordersPaid() {
        return new MappingRule("orders", "orderId", "status", "PAID", "order.paid", "version",
                List.of("orderId", "status", "version", "amount", "currency"));
    }

    /**
     * Parses rules separated by {@code ;}, each
     * {@code table|entityKey|attribute=VALUE|event.type|versionAttribute|attr1,attr2,...}.
     */
    public static List<MappingRule> parseAll(String text) {
        return java.util.Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .map(MappingRule::parse).toList();
    }

    static MappingRule parse(String text) {
        String[] p = text.split("\\|");
        String[] condition = p.length == 6 ? p[2].split("=", 2) : new String[0];
        if (p.length != 6 || condition.length != 2 || condition[0].isBlank() || p[3].isBlank()) {
            throw new IllegalArgumentException("invalid mapping rule '" + text
                    + "': expected table|entityKey|attribute=VALUE|event.type|versionAttribute|attr1,attr2"
                    + " (e.g. orders|orderId|status=PAID|order.paid|version|orderId,status,version,amount)");
        }
        return new MappingRule(p[0].trim(), p[1].trim(), condition[0].trim(), condition[1].trim(),
                p[3].trim().toLowerCase(Locale.ROOT), p[4].trim(),
                java.util.Arrays.stream(p[5].split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
}

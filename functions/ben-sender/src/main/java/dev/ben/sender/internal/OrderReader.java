package dev.ben.sender.internal;

import dev.ben.core.observability.Json;
import java.util.Map;
import java.util.Optional;

/** Reads system A's source entities (the orders table) for the status API. */
public interface OrderReader {

    /** The order's attributes as JSON-ready values (strings, {@link Json.RawNumber}s, ...); empty when unknown. */
    Optional<Map<String, Object>> order(String orderId);
}

package dev.ben.sender.internal;

import dev.ben.core.model.Attempt;
import java.util.List;

/** Per-attempt history (expires by TTL). */
public interface AttemptLog {

    void record(Attempt attempt);

    /** Records many attempts (batched where the store allows it). */
    default void recordAll(List<Attempt> attempts) {
        attempts.forEach(this::record);
    }

    List<Attempt> list(String deliveryId);
}

package dev.ben.sender.internal;

import dev.ben.core.model.Attempt;
import java.util.List;

/** Per-attempt history (expires by TTL). */
public interface AttemptLog {

    void record(Attempt attempt);

    List<Attempt> list(String deliveryId);
}

package dev.ben.sender.internal;

import java.util.Collection;
import java.util.Optional;

/** Events table ({@code ben-events}). Writes are idempotent overwrites (a redelivered record writes the same item). */
public interface EventLog {

    /** Writes the items (batched). Throws when some could not be written: the stream record is then redelivered. */
    void recordAll(Collection<EventRecord> events);

    Optional<EventRecord> find(String eventId);
}

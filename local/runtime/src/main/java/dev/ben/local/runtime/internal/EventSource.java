package dev.ben.local.runtime.internal;

/** Something that invokes functions on its own threads: an event source mapping, the scheduler, an HTTP API. */
public interface EventSource extends AutoCloseable {

    void start();

    /** Stops polling/serving and waits for its threads to end. */
    @Override
    void close();
}

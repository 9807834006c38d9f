package dev.ben.local.runtime.internal;

import dev.ben.settings.Trigger.StreamTrigger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * One shard read with a parallelization factor above 1, as Lambda does it: each record goes to one of N lanes by a
 * hash of its keys; each lane batches (batch size, batching window) and invokes on its own, one batch in flight per
 * lane. Records of one key stay in order; a slow batch holds only its own lane.
 */
final class ShardLanes implements AutoCloseable {

    /** Records a lane holds before the shard's reader waits for it (backpressure, not loss). */
    private static final int BATCHES_BUFFERED = 10;

    private final List<Lane> lanes = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger unprocessed = new AtomicInteger();
    private final AtomicBoolean laneStopped = new AtomicBoolean();

    ShardLanes(StreamTrigger trigger, Clock clock, Duration retryDelay, StreamBatchProcessor.Sink sink,
               String threadName, RuntimeLog log, String functionName) {
        for (int i = 0; i < trigger.parallelizationFactor(); i++) {
            Lane lane = new Lane(trigger, new StreamBatchProcessor(trigger, clock, retryDelay, sink), log,
                    functionName);
            lanes.add(lane);
            threads.add(Thread.ofPlatform().daemon().name(threadName + "-lane-" + i).start(lane));
        }
    }

    /** Hands a record to its lane; waits while that lane is full. */
    void add(Record record) throws InterruptedException {
        requireRunning();
        unprocessed.incrementAndGet();
        lanes.get(Math.floorMod(record.dynamodb().keys().hashCode(), lanes.size())).queue.put(record);
    }

    /** True when every record handed over was processed (or discarded to the on-failure destination). */
    boolean drained() {
        return unprocessed.get() == 0;
    }

    /** Waits until {@link #drained()}; a stopped lane never drains, so that ends the wait with an exception. */
    void awaitDrained(Duration poll) throws InterruptedException {
        while (!drained()) {
            requireRunning();
            Thread.sleep(poll);
        }
    }

    private void requireRunning() {
        if (laneStopped.get()) {
            throw new IllegalStateException("a lane of this shard stopped; its records stay in the stream");
        }
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Lane implements Runnable {
        private final StreamTrigger trigger;
        private final StreamBatchProcessor processor;
        private final BlockingQueue<Record> queue;
        private final RuntimeLog log;
        private final String functionName;

        Lane(StreamTrigger trigger, StreamBatchProcessor processor, RuntimeLog log, String functionName) {
            this.trigger = trigger;
            this.processor = processor;
            this.queue = new LinkedBlockingQueue<>(trigger.batchSize() * BATCHES_BUFFERED);
            this.log = log;
            this.functionName = functionName;
        }

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    List<Record> batch = nextBatch();
                    processor.process(batch);
                    unprocessed.addAndGet(-batch.size());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                laneStopped.set(true);
                log.error(functionName, null, "a lane of " + Thread.currentThread().getName() + " stopped: "
                        + e.getMessage() + "; unprocessed records stay in the stream", e);
            }
        }

        /** The first record, then more until the batch is full or the batching window since the first ended. */
        private List<Record> nextBatch() throws InterruptedException {
            List<Record> batch = new ArrayList<>(List.of(queue.take()));
            long windowEnd = System.nanoTime() + trigger.maxBatchingWindow().toNanos();
            queue.drainTo(batch, trigger.batchSize() - batch.size());
            while (batch.size() < trigger.batchSize()) {
                Record next = queue.poll(Math.max(0, windowEnd - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                batch.add(next);
                queue.drainTo(batch, trigger.batchSize() - batch.size());
            }
            return batch;
        }
    }
}

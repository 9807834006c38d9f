package dev.ben.local.runtime.internal;

import dev.ben.local.runtime.InvocationResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Fires schedule rules. Time comes from the runtime's {@link Clock} (which may be compressed or controlled by a
 * test); the scheduler checks it every {@link #TICK} of real time, fires each rule whose next time has passed
 * (once, even when the clock jumped over several periods, as a missed EventBridge target would not be
 * replayed) and computes the next time after now. Invocations run asynchronously (EventBridge invokes
 * Lambda with the Event type), so a slow function does not delay other rules.
 */
public final class Scheduler implements EventSource {
    static final Duration TICK = Duration.ofMillis(20);

    /** A rule targeting one function. */
    public record Rule(String name, ScheduleExpression expression, LambdaFunction function) {
    }

    private final List<Rule> rules;
    private final Clock clock;
    private final String region;
    private final RuntimeLog log;
    private final Map<String, Instant> next = new ConcurrentHashMap<>();
    private final Map<String, Instant> anchors = new ConcurrentHashMap<>();
    private final ExecutorService invocations = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().name("ben-schedule-invoke-", 0).factory());
    private final List<Future<?>> running = new ArrayList<>();
    private Thread ticker;

    public Scheduler(List<Rule> rules, Clock clock, String region, RuntimeLog log) {
        this.rules = List.copyOf(rules);
        this.clock = clock;
        this.region = region;
        this.log = log;
    }

    @Override
    public synchronized void start() {
        Instant now = clock.instant();
        for (Rule rule : rules) {
            anchors.put(rule.name(), now);
            next.put(rule.name(), rule.expression().nextAfter(now, now));
            log.info(rule.function().name(), "schedule " + rule.name() + " next fires at " + next.get(rule.name()));
        }
        if (rules.isEmpty()) {
            return;
        }
        ticker = Thread.ofPlatform().daemon().name("ben-scheduler").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    tick();
                    Thread.sleep(TICK);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void tick() {
        Instant now = clock.instant();
        for (Rule rule : rules) {
            Instant due = next.get(rule.name());
            if (!now.isBefore(due)) {
                next.put(rule.name(), rule.expression().nextAfter(now, anchors.get(rule.name())));
                submit(rule, due);
            }
        }
    }

    /** Fires a rule now (event time = the clock's now), as a test or operator would with "run now". */
    public Future<InvocationResult> fire(String ruleName) {
        Rule rule = rules.stream().filter(r -> r.name().equals(ruleName)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no schedule rule named " + ruleName + "; rules: "
                        + rules.stream().map(Rule::name).toList()));
        return submit(rule, clock.instant());
    }

    /** When a rule fires next (by the runtime clock). */
    public Instant nextFireTime(String ruleName) {
        Instant at = next.get(ruleName);
        if (at == null) {
            throw new NoSuchElementException("no schedule rule named " + ruleName);
        }
        return at;
    }

    private synchronized Future<InvocationResult> submit(Rule rule, Instant time) {
        running.removeIf(Future::isDone);
        Future<InvocationResult> future = invocations.submit(
                () -> rule.function().invoke(ScheduledEvents.of(region, rule.name(), time)));
        running.add(future);
        return future;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = ticker;
        }
        if (t != null) {
            t.interrupt();
            Threads.join(List.of(t), log, "scheduler");
        }
        invocations.shutdownNow();
        try {
            if (!invocations.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("scheduler", "scheduled invocations did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

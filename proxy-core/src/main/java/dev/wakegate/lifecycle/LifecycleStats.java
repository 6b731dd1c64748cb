package dev.wakegate.lifecycle;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Lifecycle counters of this instance, overall and per container, and the last idle check: what
 * {@code /health/automation} shows under "statistics".
 *
 * <ul>
 *   <li>start attempts: starts requested for a container that was not ready (one per single-flight
 *       operation, however many requests waited on it); successes and failures are their outcomes;</li>
 *   <li>starts issued: {@code runtime.start} calls this instance made (with several instances,
 *       only the lease holder issues one);</li>
 *   <li>stop attempts/successes/failures: {@code runtime.stop} calls and their outcomes.</li>
 * </ul>
 */
public final class LifecycleStats {

    /** Counts of one container, or of all. */
    public record Counts(long startAttempts, long startsIssued, long startSuccesses, long startFailures,
                         long stopAttempts, long stopSuccesses, long stopFailures) {
    }

    /** Everything at one moment. {@code lastIdleCheck} is null before the first check. */
    public record Snapshot(Counts total, Map<String, Counts> perContainer, @Nullable IdleCheckReport lastIdleCheck) {
        public @Nullable Instant lastIdleCheckTime() {
            return lastIdleCheck == null ? null : lastIdleCheck.at();
        }
    }

    private static final class Counters {
        final LongAdder startAttempts = new LongAdder();
        final LongAdder startsIssued = new LongAdder();
        final LongAdder startSuccesses = new LongAdder();
        final LongAdder startFailures = new LongAdder();
        final LongAdder stopAttempts = new LongAdder();
        final LongAdder stopSuccesses = new LongAdder();
        final LongAdder stopFailures = new LongAdder();

        Counts counts() {
            return new Counts(startAttempts.sum(), startsIssued.sum(), startSuccesses.sum(), startFailures.sum(),
                    stopAttempts.sum(), stopSuccesses.sum(), stopFailures.sum());
        }
    }

    private final Counters total = new Counters();
    private final Map<String, Counters> perContainer = new ConcurrentHashMap<>();
    private volatile @Nullable IdleCheckReport lastIdleCheck;

    private Counters of(String name) {
        return perContainer.computeIfAbsent(name, n -> new Counters());
    }

    void startAttempt(String name) {
        total.startAttempts.increment();
        of(name).startAttempts.increment();
    }

    void startIssued(String name) {
        total.startsIssued.increment();
        of(name).startsIssued.increment();
    }

    void startSucceeded(String name) {
        total.startSuccesses.increment();
        of(name).startSuccesses.increment();
    }

    void startFailed(String name) {
        total.startFailures.increment();
        of(name).startFailures.increment();
    }

    void stopAttempt(String name) {
        total.stopAttempts.increment();
        of(name).stopAttempts.increment();
    }

    void stopSucceeded(String name) {
        total.stopSuccesses.increment();
        of(name).stopSuccesses.increment();
    }

    void stopFailed(String name) {
        total.stopFailures.increment();
        of(name).stopFailures.increment();
    }

    void idleChecked(IdleCheckReport result) {
        lastIdleCheck = result;
    }

    public Counts total() {
        return total.counts();
    }

    /** Counts of one container (all zero when nothing happened to it). */
    public Counts countsOf(String name) {
        Counters c = perContainer.get(name);
        return c == null ? new Counts(0, 0, 0, 0, 0, 0, 0) : c.counts();
    }

    public Snapshot snapshot() {
        Map<String, Counts> per = new TreeMap<>();
        perContainer.forEach((name, c) -> per.put(name, c.counts()));
        return new Snapshot(total.counts(), java.util.Collections.unmodifiableMap(per), lastIdleCheck);
    }
}

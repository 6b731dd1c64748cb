package dev.wakegate.metrics;

import dev.wakegate.lifecycle.LifecycleListener;
import dev.wakegate.lifecycle.StartFailure;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Container lifecycle metrics: {@code wakegate_cold_start_seconds{container}} (histogram, buckets
 * 50ms..120s), {@code wakegate_container_start_attempts_total{container}},
 * {@code wakegate_container_starts_total{container,result,reason}},
 * {@code wakegate_container_stops_total{container,result,reason}},
 * {@code wakegate_docker_start_calls_total{container}} (engine start calls this instance issued;
 * with several instances, one start is issued however many wait) and
 * {@code wakegate_eviction_suspended} (1 while idle stops are suspended, see {@link #evictionSuspended}) and
 * {@code wakegate_memory_available_bytes} (as the last idle check read it for {@code min_free_memory},
 * see {@link #memoryAvailable}).
 *
 * <p>It is the lifecycle's listener: the lifecycle calls it directly. Reasons should be short
 * codes (timeout, failed, idle, manual, ...): anything else is counted as "other". Thread-safe;
 * cheap enough for any thread.
 */
public final class LifecycleMetrics implements LifecycleListener {
    static final String COLD_START = "wakegate.cold.start";
    static final String START_ATTEMPTS = "wakegate.container.start.attempts";
    static final String STARTS = "wakegate.container.starts";
    static final String STOPS = "wakegate.container.stops";
    static final String START_CALLS = "wakegate.docker.start.calls";
    static final String EVICTION_SUSPENDED = "wakegate.eviction.suspended";
    static final String MEMORY_AVAILABLE = "wakegate.memory.available";
    static final String SUCCESS = "success";
    static final String FAILURE = "failure";
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Timer> coldStarts = new ConcurrentHashMap<>();

    public LifecycleMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A start of {@code container} began (not for starts shared with one already running). */
    @Override
    public void onStartRequested(String container) {
        Counter.builder(START_ATTEMPTS)
                .description("Container starts begun")
                .tag("container", container)
                .register(registry)
                .increment();
    }

    @Override
    public void onStartIssued(String container) {
        Counter.builder(START_CALLS)
                .description("Docker start calls this instance issued")
                .tag("container", container)
                .register(registry)
                .increment();
    }

    /** {@code container} became ready {@code millis} after its start was requested. */
    @Override
    public void onReady(String container, long millis) {
        coldStarts.computeIfAbsent(container, c -> Timer.builder(COLD_START)
                .description("Time from start request to ready, per container")
                .tag("container", c)
                .serviceLevelObjectives(BUCKETS)
                .minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1])
                .register(registry)).record(millis, TimeUnit.MILLISECONDS);
        count(STARTS, container, SUCCESS, Reasons.NONE);
    }

    /** @param reason a short code (timeout, failed, ...); free text counts as "other" */
    public void onStartFailed(String container, String reason) {
        count(STARTS, container, FAILURE, Reasons.label(reason));
    }

    /** The lifecycle listener's shape: the kind is the reason label, the text is not used. */
    @Override
    public void onStartFailed(String container, StartFailure.Kind kind, String reason) {
        count(STARTS, container, FAILURE, kind == null ? Reasons.label(reason) : Reasons.label(kind.name()));
    }

    /**
     * @param reason why it was stopped; labelled by its first word, so "idle for 31m (timeout 30m)"
     *               counts as idle and "manual" as manual
     */
    @Override
    public void onStopped(String container, String reason) {
        count(STOPS, container, SUCCESS, Reasons.firstWord(reason));
    }

    /** @param reason a short code; free text (an engine error) counts as "other" */
    @Override
    public void onStopFailed(String container, String reason) {
        count(STOPS, container, FAILURE, Reasons.label(reason));
    }

    /** Registers the gauge that reads whether idle stops are suspended now (1) or not (0). */
    public void evictionSuspended(java.util.function.BooleanSupplier suspended) {
        Gauge.builder(EVICTION_SUSPENDED, () -> suspended.getAsBoolean() ? 1 : 0)
                .description("1 while idle stops are suspended (shared state unreadable, an instance unaccounted for)")
                .register(registry);
    }

    /**
     * Registers the gauge of the memory available as the last idle check read it (NaN while
     * {@code min_free_memory} is off, before the first read, or when it could not be read).
     */
    public void memoryAvailable(java.util.function.Supplier<Long> bytes) {
        Gauge.builder(MEMORY_AVAILABLE, () -> {
                    Long b = bytes.get();
                    return b == null ? Double.NaN : b.doubleValue();
                })
                .baseUnit("bytes")
                .description("memory available (MemAvailable) at the last idle check, for automation.min_free_memory")
                .register(registry);
    }

    private void count(String name, String container, String result, String reasonLabel) {
        Counter.builder(name)
                .tag("container", container)
                .tag("result", result)
                .tag("reason", reasonLabel)
                .register(registry)
                .increment();
    }
}

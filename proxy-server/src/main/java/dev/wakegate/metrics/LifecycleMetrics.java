package dev.wakegate.metrics;

import dev.wakegate.lifecycle.StartFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Container lifecycle metrics: {@code wakegate_cold_start_seconds{container}} (histogram, buckets
 * 50ms..120s), {@code wakegate_container_start_attempts_total{container}},
 * {@code wakegate_container_starts_total{container,result,reason}} and
 * {@code wakegate_container_stops_total{container,result,reason}}.
 *
 * <p>The method names follow the lifecycle's listener ({@code onStartRequested}, {@code onReady},
 * {@code onStartFailed}, {@code onStopped}, {@code onStopFailed}); the wiring forwards those events
 * here. Reasons should be short codes (timeout, failed, idle, manual, ...): anything else is
 * counted as "other". Thread-safe; cheap enough for any thread.
 */
public final class LifecycleMetrics {
    static final String COLD_START = "wakegate.cold.start";
    static final String START_ATTEMPTS = "wakegate.container.start.attempts";
    static final String STARTS = "wakegate.container.starts";
    static final String STOPS = "wakegate.container.stops";
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
    public void onStartRequested(String container) {
        Counter.builder(START_ATTEMPTS)
                .description("Container starts begun")
                .tag("container", container)
                .register(registry)
                .increment();
    }

    /** {@code container} became ready {@code millis} after its start was requested. */
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
    public void onStartFailed(String container, StartFailure.Kind kind, String reason) {
        count(STARTS, container, FAILURE, kind == null ? Reasons.label(reason) : Reasons.label(kind.name()));
    }

    /**
     * @param reason why it was stopped; labelled by its first word, so "idle for 31m (timeout 30m)"
     *               counts as idle and "manual" as manual
     */
    public void onStopped(String container, String reason) {
        count(STOPS, container, SUCCESS, Reasons.firstWord(reason));
    }

    /** @param reason a short code; free text (an engine error) counts as "other" */
    public void onStopFailed(String container, String reason) {
        count(STOPS, container, FAILURE, Reasons.label(reason));
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

package dev.wakegate.config;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * When containers are started and stopped: {@code automation:} in YAML, {@code CONTAINER_*} in the
 * environment (docs/configuration.md); {@code noWake} is the traffic that does not wake them (a
 * route's own {@code no_wake} replaces it for that route).
 */
public record AutomationSettings(
        boolean autoStart,
        boolean autoStop,
        Duration idleTimeout,
        Duration highIdleTimeout,
        Duration lowIdleTimeout,
        Duration startupTimeout,
        Duration healthCheckInterval,
        Duration idleCheckInterval,
        int maxStopsPerCycle,
        int minRunning,
        NoWake noWake) {

    public static final AutomationSettings DEFAULTS = new AutomationSettings(true, true,
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofMinutes(10), Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofSeconds(60), 5, 0, NoWake.DEFAULTS);

    /** With the built-in {@code no_wake} list ({@link NoWake#DEFAULTS}). */
    public AutomationSettings(boolean autoStart, boolean autoStop, Duration idleTimeout, Duration highIdleTimeout,
                              Duration lowIdleTimeout, Duration startupTimeout, Duration healthCheckInterval,
                              Duration idleCheckInterval, int maxStopsPerCycle, int minRunning) {
        this(autoStart, autoStop, idleTimeout, highIdleTimeout, lowIdleTimeout, startupTimeout, healthCheckInterval,
                idleCheckInterval, maxStopsPerCycle, minRunning, NoWake.DEFAULTS);
    }

    /** Idle timeout of a priority; null for CRITICAL (never stopped). */
    public @Nullable Duration idleTimeoutOf(Priority priority) {
        return switch (priority) {
            case CRITICAL -> null;
            case HIGH -> highIdleTimeout;
            case NORMAL -> idleTimeout;
            case LOW -> lowIdleTimeout;
        };
    }

    /** Idle timeout of a container: its own override, else its priority's; null when never stopped. */
    public @Nullable Duration idleTimeoutOf(ContainerSpec spec) {
        if (spec.priority() == Priority.CRITICAL) {
            return null;
        }
        return spec.idleTimeout().orElseGet(() -> idleTimeoutOf(spec.priority()));
    }
}

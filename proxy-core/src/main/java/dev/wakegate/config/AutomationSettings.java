package dev.wakegate.config;

import java.time.Duration;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;

/**
 * When containers are started and stopped: {@code automation:} in YAML, {@code CONTAINER_*} in the
 * environment (docs/configuration.md).
 *
 * @param timezone the zone of the keep-awake windows' wall-clock times ({@code automation.timezone})
 * @param noWake   the traffic that does not wake containers ({@code automation.no_wake}; a route's own
 *                 {@code no_wake} replaces it for that route)
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
        ZoneId timezone,
        NoWake noWake,
        long minFreeMemory) {

    /** The default zone of keep-awake windows: {@code UTC} (a zone named so, shown as such in {@code /health/automation}). */
    public static final ZoneId UTC = ZoneId.of("UTC");

    public static final AutomationSettings DEFAULTS = new AutomationSettings(true, true,
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofMinutes(10), Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofSeconds(60), 5, 0, UTC, NoWake.DEFAULTS, 0);

    public AutomationSettings {
        if (minFreeMemory < 0) {
            throw new IllegalArgumentException("minFreeMemory must not be negative: " + minFreeMemory);
        }
    }

    /** Without early sleep under memory pressure ({@code min_free_memory} off). */
    public AutomationSettings(boolean autoStart, boolean autoStop, Duration idleTimeout, Duration highIdleTimeout,
                              Duration lowIdleTimeout, Duration startupTimeout, Duration healthCheckInterval,
                              Duration idleCheckInterval, int maxStopsPerCycle, int minRunning, ZoneId timezone,
                              NoWake noWake) {
        this(autoStart, autoStop, idleTimeout, highIdleTimeout, lowIdleTimeout, startupTimeout, healthCheckInterval,
                idleCheckInterval, maxStopsPerCycle, minRunning, timezone, noWake, 0);
    }

    /** With keep-awake windows read in UTC, the default zone, and the built-in {@code no_wake} list. */
    public AutomationSettings(boolean autoStart, boolean autoStop, Duration idleTimeout, Duration highIdleTimeout,
                              Duration lowIdleTimeout, Duration startupTimeout, Duration healthCheckInterval,
                              Duration idleCheckInterval, int maxStopsPerCycle, int minRunning) {
        this(autoStart, autoStop, idleTimeout, highIdleTimeout, lowIdleTimeout, startupTimeout, healthCheckInterval,
                idleCheckInterval, maxStopsPerCycle, minRunning, UTC);
    }

    /** With the built-in {@code no_wake} list ({@link NoWake#DEFAULTS}). */
    public AutomationSettings(boolean autoStart, boolean autoStop, Duration idleTimeout, Duration highIdleTimeout,
                              Duration lowIdleTimeout, Duration startupTimeout, Duration healthCheckInterval,
                              Duration idleCheckInterval, int maxStopsPerCycle, int minRunning, ZoneId timezone) {
        this(autoStart, autoStop, idleTimeout, highIdleTimeout, lowIdleTimeout, startupTimeout, healthCheckInterval,
                idleCheckInterval, maxStopsPerCycle, minRunning, timezone, NoWake.DEFAULTS);
    }

    /** The same settings with {@code zone} for keep-awake windows. */
    public AutomationSettings withTimezone(ZoneId zone) {
        return new AutomationSettings(autoStart, autoStop, idleTimeout, highIdleTimeout, lowIdleTimeout,
                startupTimeout, healthCheckInterval, idleCheckInterval, maxStopsPerCycle, minRunning, zone, noWake, minFreeMemory);
    }

    /** The same settings with early sleep below {@code bytes} of available memory (0 = off). */
    public AutomationSettings withMinFreeMemory(long bytes) {
        return new AutomationSettings(autoStart, autoStop, idleTimeout, highIdleTimeout, lowIdleTimeout,
                startupTimeout, healthCheckInterval, idleCheckInterval, maxStopsPerCycle, minRunning, timezone, noWake,
                bytes);
    }

    /** Whether idle containers sleep early under memory pressure. */
    public boolean sleepsEarlyUnderPressure() {
        return minFreeMemory > 0;
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

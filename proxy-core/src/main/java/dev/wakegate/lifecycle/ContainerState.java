package dev.wakegate.lifecycle;

import java.util.Locale;

/**
 * Where one managed container stands, as the registry knows it. Only {@link #READY} lets the warm
 * path through; {@link #RUNNING} means the engine runs it but readiness is not (yet) confirmed.
 */
public enum ContainerState {
    READY, RUNNING, STARTING, STOPPING, STOPPED, PAUSED, MISSING, UNKNOWN;

    /** Lower-case name used in JSON ({@code /health/containers}) and in the shared records. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The word the shared {@code container_states} records (docs/redis.md) and
     * {@code /health/containers} (docs/operating.md) use: a container the engine runs is "running"
     * whether or not this instance has confirmed its readiness yet.
     */
    public String reportedName() {
        return this == READY ? "running" : wireName();
    }

    /** True for the states that count as "running" for {@code min_running}. */
    public boolean countsAsRunning() {
        return this == READY || this == RUNNING || this == STARTING;
    }
}

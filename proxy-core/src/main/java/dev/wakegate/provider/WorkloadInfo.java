package dev.wakegate.provider;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * A snapshot of one workload as its engine reports it.
 *
 * @param id             the engine's id for it, or null when missing
 * @param name           its name on the engine (for a container: without the leading slash)
 * @param service        the compose service it belongs to, or null
 * @param hasHealthcheck true when the engine checks its health itself (a Docker HEALTHCHECK)
 * @param exitCode       last exit code (meaningful when {@link Status#EXITED})
 * @param error          the engine's error text for the last start, or null
 * @param labels         its labels (the {@code wakegate.*} ones configure it)
 */
public record WorkloadInfo(
        @Nullable String id,
        String name,
        @Nullable String service,
        Status status,
        Health health,
        boolean hasHealthcheck,
        int exitCode,
        @Nullable String error,
        Map<String, String> labels) {

    public enum Status { CREATED, RUNNING, RESTARTING, PAUSED, EXITED, DEAD, REMOVING, MISSING }

    public enum Health { NONE, STARTING, HEALTHY, UNHEALTHY }

    public WorkloadInfo {
        labels = Map.copyOf(labels);
    }

    /** What {@link WorkloadProvider#inspect} answers for a name the engine does not know. */
    public static WorkloadInfo missing(String name) {
        return new WorkloadInfo(null, name, null, Status.MISSING, Health.NONE, false, 0, null, Map.of());
    }

    public boolean running() {
        return status == Status.RUNNING;
    }
}

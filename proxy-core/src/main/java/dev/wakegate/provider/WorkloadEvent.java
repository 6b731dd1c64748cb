package dev.wakegate.provider;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * One event from the engine's stream.
 *
 * @param id      the engine's id of the workload; null for RESYNC/DISCONNECTED
 * @param name    the workload's name (for a container: no leading slash); null for RESYNC/DISCONNECTED
 * @param service compose service label, or null
 * @param health  for HEALTH_STATUS: the new status; else null
 * @param detail  for DISCONNECTED: why the engine counts as gone ("docker engine unreachable at ..."), or null
 */
public record WorkloadEvent(Type type, @Nullable String id, @Nullable String name, @Nullable String service,
                            WorkloadInfo.@Nullable Health health, Map<String, String> labels, long timeMillis,
                            @Nullable String detail) {

    /**
     * KILL: a deadly signal was sent (SIGTERM, SIGKILL, SIGINT, SIGQUIT); others are not reported.
     * PAUSE/UNPAUSE: its processes were frozen or thawed (by wakegate or anyone else).
     */
    public enum Type { CREATE, START, KILL, DIE, STOP, PAUSE, UNPAUSE, DESTROY, HEALTH_STATUS, RESYNC, DISCONNECTED }

    public WorkloadEvent {
        labels = Map.copyOf(labels);
    }

    /** An event about one workload. */
    public WorkloadEvent(Type type, @Nullable String id, @Nullable String name, @Nullable String service,
                         WorkloadInfo.@Nullable Health health, Map<String, String> labels, long timeMillis) {
        this(type, id, name, service, health, labels, timeMillis, null);
    }

    public static WorkloadEvent of(Type type) {
        return new WorkloadEvent(type, null, null, null, null, Map.of(), System.currentTimeMillis(), null);
    }

    /** The engine went away (stream lost, or an engine call went unanswered): {@code detail} says how. */
    public static WorkloadEvent disconnected(String detail) {
        return new WorkloadEvent(Type.DISCONNECTED, null, null, null, null, Map.of(), System.currentTimeMillis(),
                detail);
    }
}

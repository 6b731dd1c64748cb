package dev.wakegate.lifecycle;

import java.util.Map;

/**
 * One event from the engine's stream.
 *
 * @param name    container name (no leading slash); null for RESYNC/DISCONNECTED
 * @param service compose service label, or null
 * @param health  for HEALTH_STATUS: the new status
 * @param detail  for DISCONNECTED: why the engine counts as gone ("docker engine unreachable at ..."), or null
 */
public record ContainerEvent(Type type, String id, String name, String service, ContainerInfo.Health health,
                             Map<String, String> labels, long timeMillis, String detail) {

    /** KILL: a deadly signal was sent (SIGTERM, SIGKILL, SIGINT, SIGQUIT); others are not reported. */
    public enum Type { CREATE, START, KILL, DIE, STOP, DESTROY, HEALTH_STATUS, RESYNC, DISCONNECTED }

    public ContainerEvent {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** An event about one container. */
    public ContainerEvent(Type type, String id, String name, String service, ContainerInfo.Health health,
                          Map<String, String> labels, long timeMillis) {
        this(type, id, name, service, health, labels, timeMillis, null);
    }

    public static ContainerEvent of(Type type) {
        return new ContainerEvent(type, null, null, null, null, Map.of(), System.currentTimeMillis(), null);
    }

    /** The engine went away (stream lost, or an engine call went unanswered): {@code detail} says how. */
    public static ContainerEvent disconnected(String detail) {
        return new ContainerEvent(Type.DISCONNECTED, null, null, null, null, Map.of(), System.currentTimeMillis(),
                detail);
    }
}

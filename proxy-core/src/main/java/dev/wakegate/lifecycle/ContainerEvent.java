package dev.wakegate.lifecycle;

import java.util.Map;

/**
 * One event from the engine's stream.
 *
 * @param name    container name (no leading slash); null for RESYNC/DISCONNECTED
 * @param service compose service label, or null
 * @param health  for HEALTH_STATUS: the new status
 */
public record ContainerEvent(Type type, String id, String name, String service, ContainerInfo.Health health,
                             Map<String, String> labels, long timeMillis) {

    /** KILL: a deadly signal was sent (SIGTERM, SIGKILL, SIGINT, SIGQUIT); others are not reported. */
    public enum Type { CREATE, START, KILL, DIE, STOP, DESTROY, HEALTH_STATUS, RESYNC, DISCONNECTED }

    public ContainerEvent {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public static ContainerEvent of(Type type) {
        return new ContainerEvent(type, null, null, null, null, Map.of(), System.currentTimeMillis());
    }
}

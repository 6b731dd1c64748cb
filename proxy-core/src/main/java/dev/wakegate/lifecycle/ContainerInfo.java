package dev.wakegate.lifecycle;

import java.util.Map;

/**
 * A snapshot of one container as the engine reports it.
 *
 * @param name         container name without the leading slash
 * @param service      compose service name, or null
 * @param hasHealthcheck true when the image/container defines a Docker HEALTHCHECK
 * @param exitCode     last exit code (meaningful when {@link Status#EXITED})
 * @param error        the engine's error text for the last start, or null
 */
public record ContainerInfo(
        String id,
        String name,
        String service,
        Status status,
        Health health,
        boolean hasHealthcheck,
        int exitCode,
        String error,
        Map<String, String> labels) {

    public enum Status { CREATED, RUNNING, RESTARTING, PAUSED, EXITED, DEAD, REMOVING, MISSING }

    public enum Health { NONE, STARTING, HEALTHY, UNHEALTHY }

    public ContainerInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public static ContainerInfo missing(String name) {
        return new ContainerInfo(null, name, null, Status.MISSING, Health.NONE, false, 0, null, Map.of());
    }

    public boolean running() {
        return status == Status.RUNNING;
    }
}

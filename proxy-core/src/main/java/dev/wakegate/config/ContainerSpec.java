package dev.wakegate.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One managed container, from a {@code containers:} entry or from {@code wakegate.*} labels.
 *
 * @param name        container name, or compose service name
 * @param upstream    where its HTTP/TCP traffic goes, if it serves any
 * @param dependsOn   containers that must be ready before this one starts
 * @param idleTimeout overrides the priority's idle timeout when present
 * @param fromLabels  true when discovered from Docker labels rather than YAML
 * @param sleep       how it is put to sleep, when it is kept awake, and its busy veto
 * @param workload    a container (the default) or a Swarm service, and a service's replicas
 */
public record ContainerSpec(
        String name,
        Priority priority,
        Optional<HostPort> upstream,
        HealthProbe health,
        List<String> dependsOn,
        Optional<Duration> idleTimeout,
        boolean fromLabels,
        SleepPolicy sleep,
        Workload workload) {

    public ContainerSpec {
        dependsOn = List.copyOf(dependsOn);
    }

    /** A container (not a Swarm service) with the default sleep policy: stopped when idle, no keep-awake window, no busy veto. */
    public ContainerSpec(String name, Priority priority, Optional<HostPort> upstream, HealthProbe health,
                         List<String> dependsOn, Optional<Duration> idleTimeout, boolean fromLabels) {
        this(name, priority, upstream, health, dependsOn, idleTimeout, fromLabels, SleepPolicy.DEFAULT,
                Workload.CONTAINER);
    }

    /** A container (not a Swarm service). */
    public ContainerSpec(String name, Priority priority, Optional<HostPort> upstream, HealthProbe health,
                         List<String> dependsOn, Optional<Duration> idleTimeout, boolean fromLabels,
                         SleepPolicy sleep) {
        this(name, priority, upstream, health, dependsOn, idleTimeout, fromLabels, sleep, Workload.CONTAINER);
    }

    /** A YAML-declared container with defaults for everything but its name. */
    public static ContainerSpec named(String name) {
        return new ContainerSpec(name, Priority.NORMAL, Optional.empty(), HealthProbe.DEFAULT, List.of(),
                Optional.empty(), false);
    }

    /** The same container with another {@code depends_on}. */
    public ContainerSpec withDependsOn(List<String> deps) {
        return new ContainerSpec(name, priority, upstream, health, deps, idleTimeout, fromLabels, sleep, workload);
    }

    /** The same container with another sleep policy. */
    public ContainerSpec withSleep(SleepPolicy policy) {
        return new ContainerSpec(name, priority, upstream, health, dependsOn, idleTimeout, fromLabels, policy,
                workload);
    }

    /** The same entry, standing for {@code w} on the engine. */
    public ContainerSpec withWorkload(Workload w) {
        return new ContainerSpec(name, priority, upstream, health, dependsOn, idleTimeout, fromLabels, sleep, w);
    }
}

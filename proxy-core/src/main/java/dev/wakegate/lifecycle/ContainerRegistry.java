package dev.wakegate.lifecycle;

import dev.wakegate.config.ContainerSpec;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadProvider;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live view of every managed container, keyed by its config name (a container name or a
 * compose service name). Fed by a full {@link WorkloadProvider#list()} at start and after each
 * RESYNC, and by engine events; read without locks by the data path.
 *
 * <p>The name→container map is immutable and swapped whole on {@link #register}/{@link #unregister}
 * (rare), so lookups on the warm path neither lock nor allocate. Everything that changes a
 * container's state runs on the lifecycle lane.
 */
public final class ContainerRegistry {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ContainerRegistry.class);

    private final Clock clock;
    private volatile Map<String, ManagedContainer> byName = Map.of();
    /**
     * Every container object the data path may still count on: the managed ones and those no longer
     * managed whose counters are not back to zero. Read by the activity calls, so a request that
     * began before its container was dropped and re-added ends on the same counters.
     */
    private volatile Map<String, ManagedContainer> counted = Map.of();
    private volatile @Nullable String runtimeProblem;

    ContainerRegistry(Clock clock) {
        this.clock = clock;
    }

    // ---- data path: any thread, no allocation ----

    /**
     * True when every named container is managed and ready (not cordoned here or by another
     * instance), and so is everything it depends on, transitively.
     */
    public boolean isReady(List<String> names) {
        Map<String, ManagedContainer> map = byName;
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = map.get(names.get(i));
            if (c == null || !c.ready) {
                return false;
            }
            List<ManagedContainer> deps = c.dependencies;
            for (int j = 0, m = deps.size(); j < m; j++) {
                if (!deps.get(j).ready) {
                    return false;
                }
            }
        }
        return true;
    }

    @Nullable ManagedContainer get(String name) {
        return byName.get(name);
    }

    /** The counters for {@code name}: its container object, managed or not; null when never managed. */
    @Nullable ManagedContainer counters(String name) {
        return counted.get(name);
    }

    Collection<ManagedContainer> all() {
        return byName.values();
    }

    public boolean isManaged(String name) {
        return byName.containsKey(name);
    }

    public boolean runtimeAvailable() {
        return runtimeProblem == null;
    }

    /** Why the engine is unreachable, in the provider's words, or null while it is reachable. */
    public @Nullable String runtimeProblem() {
        return runtimeProblem;
    }

    // ---- membership: any thread (copy-on-write) ----

    /**
     * Manages {@code spec}'s container, or updates the spec of one already managed. A container
     * managed before keeps its object (and so its counters and last access).
     */
    /** The managed ones of {@code names} and their dependencies, dependencies first, each once. */
    List<ManagedContainer> wakeOrder(List<String> names) {
        java.util.LinkedHashSet<ManagedContainer> out = new java.util.LinkedHashSet<>();
        for (String name : names) {
            ManagedContainer c = get(name);
            if (c != null) {
                addWithDependencies(c, out, new java.util.HashSet<>());
            }
        }
        return List.copyOf(out);
    }

    private void addWithDependencies(ManagedContainer c, java.util.Set<ManagedContainer> out,
                                     java.util.Set<ManagedContainer> path) {
        if (out.contains(c) || !path.add(c)) {
            return; // listed already, or a cycle (the start reports it)
        }
        for (String dep : c.spec.dependsOn()) {
            ManagedContainer d = get(dep);
            if (d != null) {
                addWithDependencies(d, out, path);
            }
        }
        out.add(c);
    }

    synchronized ManagedContainer register(ContainerSpec spec) {
        ManagedContainer existing = byName.get(spec.name());
        if (existing != null) {
            existing.spec = spec;
            linkDependencies();
            return existing;
        }
        ManagedContainer c = counted.get(spec.name());
        if (c == null) {
            c = new ManagedContainer(spec, clock);
        } else {
            c.spec = spec;
            c.managed = true;
            c.recomputeReady();
        }
        Map<String, ManagedContainer> next = new LinkedHashMap<>(byName);
        next.put(spec.name(), c);
        byName = java.util.Collections.unmodifiableMap(next);
        recount();
        linkDependencies();
        return c;
    }

    synchronized @Nullable ManagedContainer unregister(String name) {
        ManagedContainer c = byName.get(name);
        if (c != null) {
            c.managed = false;
            c.recomputeReady();
            Map<String, ManagedContainer> next = new LinkedHashMap<>(byName);
            next.remove(name);
            byName = java.util.Collections.unmodifiableMap(next);
            recount();
            linkDependencies();
        }
        return c;
    }

    /** The managed containers, plus the unmanaged ones still counting something. Under the lock. */
    private void recount() {
        Map<String, ManagedContainer> next = new LinkedHashMap<>(byName);
        counted.forEach((name, c) -> {
            if (!next.containsKey(name) && c.inFlight.sum() + c.openConnections.sum() != 0) {
                next.put(name, c);
            }
        });
        counted = java.util.Collections.unmodifiableMap(next);
    }

    /**
     * Gives every managed container its transitive dependencies and dependants (managed ones only;
     * a cycle, refused in YAML but possible through labels, is cut where it closes). Under the lock.
     */
    private void linkDependencies() {
        Map<String, ManagedContainer> map = byName;
        Map<ManagedContainer, List<ManagedContainer>> dependants = new java.util.HashMap<>();
        for (ManagedContainer c : map.values()) {
            java.util.LinkedHashSet<ManagedContainer> closure = new java.util.LinkedHashSet<>();
            collect(c, map, closure);
            closure.remove(c);
            c.dependencies = List.copyOf(closure);
            for (ManagedContainer dep : closure) {
                dependants.computeIfAbsent(dep, k -> new ArrayList<>()).add(c);
            }
        }
        for (ManagedContainer c : map.values()) {
            c.dependants = List.copyOf(dependants.getOrDefault(c, List.of()));
        }
    }

    private static void collect(ManagedContainer c, Map<String, ManagedContainer> map,
                                java.util.Set<ManagedContainer> into) {
        if (!into.add(c)) {
            return;
        }
        for (String dep : c.spec.dependsOn()) {
            ManagedContainer d = map.get(dep);
            if (d != null) {
                collect(d, map, into);
            }
        }
    }

    // ---- lane only ----

    /**
     * Takes the shared last access, given as ages by the store's clock ("accessed 90 s ago"), as
     * instants of this host's clock ({@code now} minus the age); only ever raises it.
     */
    void applySharedAccess(Map<String, java.time.Duration> ages, long now) {
        ages.forEach((name, age) -> {
            ManagedContainer c = byName.get(name);
            long at = now - age.toMillis();
            if (c != null && at > c.sharedAccessMillis) {
                c.sharedAccessMillis = at;
            }
        });
    }

    /** The engine went away; {@code problem} is the provider's own account ("docker engine unreachable at HOST: ..."). */
    void markUnavailable(String problem) {
        runtimeProblem = problem;
    }

    void markAvailable() {
        runtimeProblem = null;
    }

    /** Containers an event is about: matched by container name or compose service name. */
    List<ManagedContainer> matching(WorkloadEvent event) {
        List<ManagedContainer> out = new ArrayList<>(1);
        ManagedContainer byContainer = event.name() == null ? null : byName.get(event.name());
        if (byContainer != null) {
            out.add(byContainer);
        }
        ManagedContainer byService = event.service() == null ? null : byName.get(event.service());
        if (byService != null && byService != byContainer) {
            out.add(byService);
        }
        return out;
    }

    /** Each container's {@link ManagedContainer#changes} now, for {@link #reconcile}. Lane only. */
    Map<ManagedContainer, Long> changeCounts() {
        Map<ManagedContainer, Long> counts = new IdentityHashMap<>();
        for (ManagedContainer c : byName.values()) {
            counts.put(c, c.changes);
        }
        return counts;
    }

    /**
     * Applies a full listing asked for when the containers' change counts were {@code asked}.
     * Left alone: containers with a start or stop in progress (that operation decides), and
     * containers registered or changed since the listing was asked for (the listing may predate
     * what the lane knows of them).
     */
    void reconcile(List<WorkloadInfo> infos, Map<ManagedContainer, Long> asked) {
        for (ManagedContainer c : byName.values()) {
            Long before = asked.get(c);
            if (c.start != null || c.stop != null || before == null || before != c.changes) {
                continue;
            }
            WorkloadInfo info = find(infos, c.name);
            applyInfo(c, info == null ? WorkloadInfo.missing(c.name) : info);
        }
    }

    private static @Nullable WorkloadInfo find(List<WorkloadInfo> infos, String name) {
        WorkloadInfo byService = null;
        for (WorkloadInfo info : infos) {
            if (name.equals(info.name())) {
                return info;
            }
            // A scaled service has several containers: prefer one that runs.
            if (name.equals(info.service()) && (byService == null || (!byService.running() && info.running()))) {
                byService = info;
            }
        }
        return byService;
    }

    /**
     * Takes the engine's view of one container. A running container whose readiness is its Docker
     * HEALTHCHECK is READY when healthy; one whose readiness is a probe is READY only once the
     * probe has said so: one found running (when listed at start, or seen started by hand) stays
     * RUNNING until {@link StartupCoordinator#verifyRunning} or a request's start probes it, since
     * "running" may still mean "booting".
     */
    void applyInfo(ManagedContainer c, WorkloadInfo info) {
        c.hasHealthcheck = info.hasHealthcheck();
        c.health = info.health() == null ? WorkloadInfo.Health.NONE : info.health();
        switch (info.status()) {
            case RUNNING -> {
                if (c.knownSinceMillis == 0) {
                    c.knownSinceMillis = clock.millis();
                }
                if (c.hasHealthcheck) {
                    c.setState(c.health == WorkloadInfo.Health.HEALTHY ? ContainerState.READY : ContainerState.RUNNING);
                } else if (!needsProbe(c)) {
                    c.setState(ContainerState.READY);
                } else if (c.state != ContainerState.READY) {
                    // not verified yet (or not since it was last seen down): the probe decides
                    c.setState(ContainerState.RUNNING);
                }
            }
            case RESTARTING -> c.setState(ContainerState.RUNNING);
            case PAUSED -> {
                // frozen, not gone: it keeps its running-since (idle time never counts while it is
                // paused, since it is not a candidate then; an unpause wakes it where it was)
                if (c.knownSinceMillis == 0) {
                    c.knownSinceMillis = clock.millis();
                }
                c.setState(ContainerState.PAUSED);
            }
            case CREATED, EXITED, DEAD -> {
                c.setState(ContainerState.STOPPED);
                c.runningSinceMillis = 0;
            }
            case REMOVING, MISSING -> {
                c.setState(ContainerState.MISSING);
                c.runningSinceMillis = 0;
            }
        }
    }

    /** True when readiness needs a probe (configured, or a TCP connect to its upstream). */
    static boolean needsProbe(ManagedContainer c) {
        // Every probe (HTTP, TCP, or the default TCP connect) goes to the upstream; without one,
        // "running" is all that can be known.
        return c.spec.upstream().isPresent();
    }

    /** Applies a CREATE/START/KILL/DIE/STOP/PAUSE/UNPAUSE/DESTROY/HEALTH_STATUS event when no operation owns the container. */
    void applyEvent(ManagedContainer c, WorkloadEvent e) {
        switch (e.type()) {
            case CREATE -> {
                if (c.state == ContainerState.MISSING || c.state == ContainerState.UNKNOWN) {
                    c.setState(ContainerState.STOPPED);
                }
            }
            case START -> {
                if (c.state == ContainerState.READY) {
                    // Ready and no die since: the start event of the start it was seen through,
                    // delivered late by the event stream (a restart by anyone comes as die, start).
                    return;
                }
                c.runningSinceMillis = clock.millis();
                if (c.hasHealthcheck) {
                    c.health = WorkloadInfo.Health.STARTING;
                    c.setState(ContainerState.RUNNING);
                } else {
                    // One task of a Swarm service is one replica, not all of them: a start decides.
                    c.setState(needsProbe(c) || c.spec.workload().isService()
                            ? ContainerState.RUNNING : ContainerState.READY);
                }
            }
            case KILL -> {
                // Sent a deadly signal (by docker stop or kill, ours or anyone's): take no more
                // requests to it; the die event that follows says STOPPED, and an inspect soon
                // after (see StartupCoordinator#onEvent) catches a process that survived it.
                if (c.state == ContainerState.READY || c.state == ContainerState.RUNNING) {
                    c.setState(ContainerState.STOPPING);
                }
            }
            case PAUSE -> {
                // Frozen by someone (wakegate's own pauses are owned by their stop op, not applied
                // here): no more requests to it until it is unpaused.
                if (c.state != ContainerState.STOPPED && c.state != ContainerState.MISSING) {
                    c.setState(ContainerState.PAUSED);
                }
            }
            case UNPAUSE -> {
                // Thawed by someone: the same process as before the pause, but not taken as ready
                // until StartupCoordinator#onEvent has checked it: a probe, or the engine saying it
                // runs. Not the health status: Docker reports a paused container "unhealthy" and
                // keeps saying so after the unpause until its next check.
                if (c.state == ContainerState.PAUSED || c.state == ContainerState.UNKNOWN) {
                    c.setState(ContainerState.RUNNING);
                }
            }
            case DIE, STOP -> {
                c.setState(ContainerState.STOPPED);
                c.runningSinceMillis = 0;
            }
            case DESTROY -> {
                c.setState(ContainerState.MISSING);
                c.runningSinceMillis = 0;
            }
            case HEALTH_STATUS -> {
                c.hasHealthcheck = true;
                c.health = e.health() == null ? WorkloadInfo.Health.NONE : e.health();
                if (c.health == WorkloadInfo.Health.HEALTHY && c.state == ContainerState.RUNNING) {
                    c.setState(ContainerState.READY);
                } else if (c.health != WorkloadInfo.Health.HEALTHY && c.state == ContainerState.READY) {
                    c.setState(ContainerState.RUNNING);
                }
            }
            default -> {
            }
        }
    }
}

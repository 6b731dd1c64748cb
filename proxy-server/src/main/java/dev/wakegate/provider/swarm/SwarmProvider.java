package dev.wakegate.provider.swarm;

import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadProvider;
import dev.wakegate.provider.docker.DockerProvider;
import dev.wakegate.provider.docker.EngineCalls;
import dev.wakegate.provider.docker.EventFeed;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link WorkloadProvider} for Docker Swarm services (replicated ones), on the engine of a
 * {@link DockerProvider}: a workload is a service, named as in {@code docker service ls}. One verb
 * per class: {@link ServiceScaleUp} (start: scale to its replicas), {@link ServiceScaleDown} (stop:
 * scale to 0, remembering the count), {@link ServiceInspect}, {@link ServiceList} and
 * {@link ServiceEvents}; JSON mapped by {@link ServiceInfos}, requests made by {@link SwarmApi}.
 *
 * <p>A service is "running" when every replica its spec asks for runs ({@link ServiceInfos}), so
 * the lifecycle's readiness (inspect, then the probe against its upstream) waits for all of them.
 * Calls run on the Docker provider's pool with its deadlines and typed failures: {@code MISSING}
 * ("no such service X"), {@code RUNTIME_UNAVAILABLE} (the engine is gone or silent), {@code FAILED}
 * (the engine's words, e.g. "This node is not a swarm manager", or a service that is not replicated).
 *
 * <p>Least privilege: it reads services and tasks and updates a service's replica count and its
 * {@code wakegate.last_replicas} label; it never creates or removes one.
 */
public final class SwarmProvider implements WorkloadProvider {
    private final ServiceScaleUp scaleUp;
    private final ServiceScaleDown scaleDown;
    private final ServiceInspect inspector;
    private final ServiceList lister;
    private final EventFeed events;
    private volatile boolean closed;

    private SwarmProvider(EngineCalls calls, SwarmApi api, EventFeed events,
                          Function<String, OptionalInt> configuredReplicas) {
        this.scaleUp = new ServiceScaleUp(calls, api, configuredReplicas);
        this.scaleDown = new ServiceScaleDown(calls, api);
        this.inspector = new ServiceInspect(calls, api);
        this.lister = new ServiceList(calls, api);
        this.events = events;
    }

    /**
     * @param docker             the engine's Docker provider, whose calls and clients this shares
     *                           (it is closed with that provider's clients, not by this)
     * @param configuredReplicas a service's {@code replicas:} (or {@code wakegate.replicas}) when set
     */
    public static SwarmProvider beside(DockerProvider docker, Function<String, OptionalInt> configuredReplicas) {
        EngineCalls calls = docker.engineCalls();
        EventFeed events = new EventFeed(calls, docker.engineClients(), new ServiceEvents());
        return new SwarmProvider(calls, new SwarmApi(docker.engineClients().callsHttp()), events, configuredReplicas);
    }

    @Override
    public CompletableFuture<Void> start(String name) {
        return scaleUp.start(name);
    }

    @Override
    public CompletableFuture<Void> stop(String name, Duration grace) {
        return scaleDown.stop(name, grace);
    }

    /** A service sleeps at 0 replicas: it cannot be paused (fails FAILED, saying so). */
    @Override
    public CompletableFuture<Void> pause(String name) {
        return CompletableFuture.failedFuture(new StartFailure(name, StartFailure.Kind.FAILED,
                "a Swarm service sleeps at 0 replicas: it cannot be paused (use sleep: stop)"));
    }

    /** Nothing to thaw: a service is never paused by wakegate. */
    @Override
    public CompletableFuture<Void> unpause(String name) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<WorkloadInfo> inspect(String name) {
        return inspector.inspect(name);
    }

    /** Every service with its task counts; empty on an engine that is not a swarm manager. */
    @Override
    public CompletableFuture<List<WorkloadInfo>> list() {
        return lister.list();
    }

    /** On its own events thread, in stream order: RESYNC after each (re)connect, DISCONNECTED once per outage. */
    @Override
    public AutoCloseable subscribe(Consumer<WorkloadEvent> listener) {
        if (closed) {
            throw new IllegalStateException("swarm provider is closed");
        }
        return events.subscribe(listener);
    }

    /** Ends the event streams; the engine calls and clients are the Docker provider's to close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        events.close();
    }
}

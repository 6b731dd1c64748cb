package dev.wakegate.provider.docker;

import dev.wakegate.config.ConfigLoader;
import dev.wakegate.config.Timeouts;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.WorkloadProvider;
import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The {@link WorkloadProvider} for containers of a Docker Engine, through docker-java (zerodep
 * transport). One verb per class: {@link ContainerStart}, {@link ContainerStop},
 * {@link ContainerPause}, {@link ContainerUnpause}, {@link ContainerInspect}, {@link ContainerList},
 * {@link ContainerEvents} (followed by an {@link EventFeed}); names are resolved by
 * {@link ContainerNames}, engine models mapped by {@link ContainerInfos}, and every call is run
 * and bounded by {@link EngineCalls}.
 *
 * <p>Every call runs on a small dedicated pool and its future completes there; callers on an event
 * loop hop back themselves. Failures complete the future with a {@link StartFailure} whose kind
 * says why: {@code MISSING} ("no such container X"), {@code RUNTIME_UNAVAILABLE} ("docker engine
 * unreachable at HOST: cause") or {@code FAILED} (the engine's own message).
 *
 * <p>Every call is bounded by the call timeout ({@code timeouts.docker_call}; a stop by its grace
 * period plus that). An engine that does not answer counts as unreachable, and the event streams
 * are dropped, so subscribers hear DISCONNECTED (cold routes fail fast, health says degraded) and
 * RESYNC once it answers again; while anyone follows the events the engine is also pinged every
 * {@link #LIVENESS_INTERVAL}, so a freeze is noticed without traffic too.
 *
 * <p>Least privilege: it only starts, stops, pauses, unpauses and reads the containers it is asked about; it can
 * neither create, remove nor exec.
 */
public final class DockerProvider implements WorkloadProvider {
    /** How often a connected engine is pinged, so a frozen one is noticed while nothing else asks it. */
    public static final Duration LIVENESS_INTERVAL = EventFeed.LIVENESS_INTERVAL;
    /** How long {@link #close} lets engine calls under way (a stop, say) finish before interrupting them. */
    static final Duration CLOSE_GRACE = EngineCalls.CLOSE_GRACE;

    private final String dockerHost;
    private final EngineClients clients;
    private final EngineCalls calls;
    private final EngineJson engine;
    private final ContainerStart starter;
    private final ContainerStop stopper;
    private final ContainerPause pauser;
    private final ContainerUnpause unpauser;
    private final ContainerInspect inspector;
    private final ContainerList lister;
    private final EventFeed events;
    private volatile boolean closed;

    private DockerProvider(String dockerHost, Duration callTimeout) {
        this.dockerHost = dockerHost;
        this.clients = new EngineClients(dockerHost, callTimeout);
        this.engine = new EngineJson(clients.callsHttp());
        this.calls = new EngineCalls(dockerHost, callTimeout, engine::apiVersion);
        ContainerNames names = new ContainerNames(engine);
        this.starter = new ContainerStart(calls, names, engine);
        this.stopper = new ContainerStop(calls, names, clients);
        this.pauser = new ContainerPause(calls, names, engine);
        this.unpauser = new ContainerUnpause(calls, names, engine);
        this.inspector = new ContainerInspect(calls, names, engine);
        this.lister = new ContainerList(calls, engine);
        this.events = new EventFeed(calls, clients, new ContainerEvents(names));
    }

    /** With the default call timeout ({@code timeouts.docker_call}). */
    public static DockerProvider create(@Nullable String dockerHost) {
        return create(dockerHost, Timeouts.DEFAULTS.dockerCall());
    }

    /**
     * @param dockerHost  {@code unix:///path} or {@code tcp://host:port}; null or blank means
     *                    {@value ConfigLoader#DEFAULT_DOCKER_HOST}
     * @param callTimeout every engine call answers within this, or the engine counts as unreachable
     */
    public static DockerProvider create(@Nullable String dockerHost, Duration callTimeout) {
        String host = dockerHost == null || dockerHost.isBlank() ? ConfigLoader.DEFAULT_DOCKER_HOST : dockerHost.trim();
        URI uri = URI.create(host);
        if (!"unix".equals(uri.getScheme()) && !"tcp".equals(uri.getScheme())) {
            throw new IllegalArgumentException("docker host must be unix:///path or tcp://host:port, got " + host);
        }
        if (callTimeout.isZero() || callTimeout.isNegative()) {
            throw new IllegalArgumentException("docker call timeout must be positive, got " + callTimeout);
        }
        return new DockerProvider(host, callTimeout);
    }

    public String dockerHost() {
        return dockerHost;
    }

    /** The engine calls (pool, deadlines, typed failures), for a provider of the same engine beside this one. */
    public EngineCalls engineCalls() {
        return calls;
    }

    /** The engine's clients, for a provider of the same engine beside this one. */
    public EngineClients engineClients() {
        return clients;
    }

    /** Completes with the engine's API version, or fails with "docker engine unreachable at ...". */
    public CompletableFuture<String> ping() {
        return calls.call(null, () -> {
            engine.ping();
            return engine.apiVersion();
        });
    }

    @Override
    public CompletableFuture<Void> start(String name) {
        return starter.start(name);
    }

    @Override
    public CompletableFuture<Void> stop(String name, Duration grace) {
        return stopper.stop(name, grace);
    }

    @Override
    public CompletableFuture<Void> pause(String name) {
        return pauser.pause(name);
    }

    @Override
    public CompletableFuture<Void> unpause(String name) {
        return unpauser.unpause(name);
    }

    @Override
    public CompletableFuture<WorkloadInfo> inspect(String name) {
        return inspector.inspect(name);
    }

    /** Every container (running or not), each inspected so health, healthcheck and exit code are exact. */
    @Override
    public CompletableFuture<List<WorkloadInfo>> list() {
        return lister.list();
    }

    /**
     * The listener is called on one thread ({@code wakegate-docker-events-N}) in stream order and
     * must not block: RESYNC after each (re)connect, DISCONNECTED once per outage.
     */
    @Override
    public AutoCloseable subscribe(Consumer<WorkloadEvent> listener) {
        if (closed) {
            throw new IllegalStateException("docker runtime is closed");
        }
        return events.subscribe(listener);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        calls.closing();
        events.close();
        calls.close();
        clients.close();
    }
}

package dev.wakegate.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.transport.SSLConfig;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.wakegate.config.Timeouts;
import dev.wakegate.lifecycle.ContainerEvent;
import dev.wakegate.lifecycle.ContainerInfo;
import dev.wakegate.lifecycle.ContainerRuntime;
import dev.wakegate.lifecycle.StartFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@link ContainerRuntime} backed by a Docker Engine through docker-java (zerodep transport).
 *
 * <p>Every call runs on a small dedicated pool ({@code wakegate-docker-N}) and its future completes
 * there; callers on an event loop hop back themselves. Failures complete the future with a
 * {@link StartFailure} whose kind says why: {@code MISSING} ("no such container X"),
 * {@code RUNTIME_UNAVAILABLE} ("docker engine unreachable at HOST: cause") or {@code FAILED} (the
 * engine's own message).
 *
 * <p>Every call is bounded by the call timeout ({@code timeouts.docker_call}; a stop by its grace
 * period plus that), counted from when it was asked for. An engine that accepts connections but
 * does not answer (a frozen dockerd) is treated as one that is gone: the call fails with
 * {@code RUNTIME_UNAVAILABLE} "no answer within ...", and the event streams are dropped, so
 * subscribers get DISCONNECTED (cold routes fail fast, health says degraded) and RESYNC once the
 * engine answers again. While anyone follows the events the engine is also pinged every
 * {@link #LIVENESS_INTERVAL}, so a freeze is noticed without traffic too. No engine call ever runs
 * on the events thread, and a call past its deadline has its worker interrupted (the unix-socket
 * transport has no read timeout of its own).
 *
 * <p>A name resolves to the container with exactly that name, else to a container carrying the
 * compose label {@code com.docker.compose.service=name} (a running one first, then the newest).
 * Resolutions are cached only while an event stream is connected, since only the stream tells
 * when they go stale.
 *
 * <p>Least privilege: it only starts, stops and reads the containers it is asked about; it can
 * neither create, remove nor exec.
 */
public final class DockerRuntime implements ContainerRuntime {

    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** How often a connected engine is pinged, so a frozen one is noticed while nothing else asks it. */
    public static final Duration LIVENESS_INTERVAL = Duration.ofSeconds(5);
    /** Socket read timeouts exceed the call deadlines by this. */
    private static final Duration SOCKET_SLACK = Duration.ofSeconds(1);
    private static final long BACKOFF_MIN_MS = 100;
    private static final long BACKOFF_MAX_MS = 5_000;
    private static final String[] FOLLOWED_EVENTS = {"create", "start", "kill", "die", "stop", "destroy", "health_status"};
    /** How long {@link #close} lets engine calls under way (a stop, say) finish before interrupting them. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final String dockerHost;
    /** DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, read by {@link DockerTls}; else no TLS (null for tcp://). */
    private final SSLConfig tls;
    private final Duration callTimeout;
    private final DockerClient client;
    /** Events stream: no response timeout, a quiet engine is not a dead one (the liveness ping tells). */
    private final DockerClient eventsClient;
    /** Clients for stops whose grace outlasts {@link #callTimeout}, keyed by their deadline in milliseconds. */
    private final Map<Long, DockerClient> stopClients = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final ScheduledExecutorService eventsExecutor;
    /** Call deadlines and the liveness ping: never blocked by an engine call. */
    private final ScheduledExecutorService timer;
    private final AtomicBoolean livenessPingInFlight = new AtomicBoolean();
    private final Map<String, String> resolved = new ConcurrentHashMap<>();
    private final AtomicInteger liveStreams = new AtomicInteger();
    private final Set<EventFeed> feeds = new CopyOnWriteArraySet<>();
    /** null until the first call tells; then whether the engine answered last time. */
    private final AtomicReference<Boolean> reachable = new AtomicReference<>();
    private volatile boolean closed;

    private DockerRuntime(String dockerHost, Duration callTimeout) {
        this.dockerHost = dockerHost;
        // zerodep speaks https to a tcp:// engine whenever it is given an SSL config, so a plain
        // tcp:// engine gets none; a unix socket gets the inert one (see PlainTransport).
        this.tls = DockerTls.fromEnvironment(System.getenv(), System.getProperty("user.home"))
                .orElse(dockerHost.startsWith("unix:") ? PlainTransport.INSTANCE : null);
        this.callTimeout = callTimeout;
        // the call's deadline, counted from when it was asked for (queueing included), is what the
        // caller sees, and it interrupts the worker; the socket timeout, a little longer so the
        // deadline always speaks first, is a backstop for tcp:// engines (the unix-socket transport
        // ignores it)
        this.client = newClient(callTimeout.plus(SOCKET_SLACK));
        this.eventsClient = newClient(null);
        this.executor = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("wakegate-docker-"));
        ((ThreadPoolExecutor) executor).allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor events = new ScheduledThreadPoolExecutor(1, daemonThreads("wakegate-docker-events-"));
        events.setRemoveOnCancelPolicy(true);
        this.eventsExecutor = events;
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, daemonThreads("wakegate-docker-timer-"));
        deadlines.setRemoveOnCancelPolicy(true);
        this.timer = deadlines;
        long every = LIVENESS_INTERVAL.toMillis();
        timer.scheduleWithFixedDelay(this::livenessPing, every, every, TimeUnit.MILLISECONDS);
    }

    /** With the default call timeout ({@code timeouts.docker_call}). */
    public static DockerRuntime create(String dockerHost) {
        return create(dockerHost, Timeouts.DEFAULTS.dockerCall());
    }

    /**
     * @param dockerHost  {@code unix:///path} or {@code tcp://host:port}; null or blank means
     *                    {@value #DEFAULT_HOST}
     * @param callTimeout every engine call answers within this, or the engine counts as unreachable
     */
    public static DockerRuntime create(String dockerHost, Duration callTimeout) {
        String host = dockerHost == null || dockerHost.isBlank() ? DEFAULT_HOST : dockerHost.trim();
        URI uri = URI.create(host);
        if (!"unix".equals(uri.getScheme()) && !"tcp".equals(uri.getScheme())) {
            throw new IllegalArgumentException("docker host must be unix:///path or tcp://host:port, got " + host);
        }
        if (callTimeout == null || callTimeout.isZero() || callTimeout.isNegative()) {
            throw new IllegalArgumentException("docker call timeout must be positive, got " + callTimeout);
        }
        return new DockerRuntime(host, callTimeout);
    }

    public String dockerHost() {
        return dockerHost;
    }

    /** Completes with the engine's API version, or fails with "docker engine unreachable at ...". */
    public CompletableFuture<String> ping() {
        return call(null, callTimeout, () -> {
            client.pingCmd().exec();
            return client.versionCmd().exec().getApiVersion();
        });
    }

    @Override
    public CompletableFuture<Void> start(String name) {
        return call(name, callTimeout, () -> {
            onContainer(name, id -> {
                try {
                    client.startContainerCmd(id).exec();
                } catch (NotModifiedException alreadyRunning) {
                    // the goal state holds already
                }
                return null;
            });
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> stop(String name, Duration grace) {
        long graceSeconds = Math.max(0, (grace.toMillis() + 999) / 1000);
        // the engine answers a stop only once the container is down: up to the grace period
        Duration limit = Duration.ofSeconds(graceSeconds).plus(callTimeout);
        return call(name, limit, () -> {
            DockerClient stopper = stopClient(limit);
            onContainer(name, id -> {
                try {
                    stopper.stopContainerCmd(id).withTimeout((int) Math.min(Integer.MAX_VALUE, graceSeconds)).exec();
                } catch (NotModifiedException alreadyStopped) {
                    // the goal state holds already
                }
                return null;
            });
            return null;
        });
    }

    @Override
    public CompletableFuture<ContainerInfo> inspect(String name) {
        return call(name, callTimeout, () -> {
            String cached = cachedId(name);
            if (cached != null) {
                try {
                    return ContainerInfos.fromInspect(client.inspectContainerCmd(cached).exec());
                } catch (NotFoundException stale) {
                    resolved.remove(name, cached);
                }
            }
            try {
                InspectContainerResponse byName = client.inspectContainerCmd(name).exec();
                if (name.equals(ContainerInfos.stripSlash(byName.getName()))) {
                    remember(name, byName.getId());
                    return ContainerInfos.fromInspect(byName);
                }
            } catch (NotFoundException notAName) {
                // try the compose service label
            }
            String id = resolveService(name);
            if (id == null) {
                return ContainerInfo.missing(name);
            }
            try {
                InspectContainerResponse r = client.inspectContainerCmd(id).exec();
                remember(name, id);
                return ContainerInfos.fromInspect(r);
            } catch (NotFoundException removedMeanwhile) {
                return ContainerInfo.missing(name);
            }
        });
    }

    /** Every container (running or not), each inspected so health, healthcheck and exit code are exact. */
    @Override
    public CompletableFuture<List<ContainerInfo>> list() {
        // one list and one inspect per container: bounded as one call, it must not outlast the timeout
        return call(null, callTimeout, () -> {
            List<Container> containers = client.listContainersCmd().withShowAll(true).exec();
            List<ContainerInfo> infos = new ArrayList<>(containers.size());
            for (Container c : containers) {
                try {
                    infos.add(ContainerInfos.fromInspect(client.inspectContainerCmd(c.getId()).exec()));
                } catch (NotFoundException removedMeanwhile) {
                    // gone between list and inspect: not part of the snapshot
                }
            }
            return infos;
        });
    }

    /**
     * The listener is called on one thread ({@code wakegate-docker-events-N}) in stream order and
     * must not block: RESYNC after each (re)connect, DISCONNECTED once per outage.
     */
    @Override
    public AutoCloseable subscribe(Consumer<ContainerEvent> listener) {
        if (closed) {
            throw new IllegalStateException("docker runtime is closed");
        }
        EventFeed feed = new EventFeed(listener);
        feeds.add(feed);
        eventsExecutor.execute(feed::connect);
        return feed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        feeds.forEach(EventFeed::close);
        eventsExecutor.shutdownNow();
        // A stop under way is let finish (the engine carries on with it anyway), so the proxy's own
        // view and the shared records end consistent; only what outlasts the grace is interrupted.
        executor.shutdown();
        try {
            // the deadlines keep running meanwhile: a call stuck on a silent engine ends at its own
            if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("docker calls still under way after {}s; abandoning them", CLOSE_GRACE.toSeconds());
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        timer.shutdownNow();
        closeQuietly(client);
        closeQuietly(eventsClient);
        stopClients.values().forEach(DockerRuntime::closeQuietly);
    }

    // ---- name resolution ----

    @FunctionalInterface
    private interface ById<T> {
        T apply(String id);
    }

    /**
     * Resolves {@code name} and applies {@code action} to its id. A cached id that has gone stale
     * (NotFound) is dropped and the name resolved afresh once.
     *
     * @throws NotFoundException when no container answers to the name
     */
    private <T> T onContainer(String name, ById<T> action) {
        String cached = cachedId(name);
        if (cached != null) {
            try {
                return action.apply(cached);
            } catch (NotFoundException stale) {
                resolved.remove(name, cached);
            }
        }
        String id = resolve(name);
        if (id == null) {
            throw new NotFoundException("no such container " + name);
        }
        remember(name, id);
        return action.apply(id);
    }

    private String cachedId(String name) {
        return liveStreams.get() > 0 ? resolved.get(name) : null;
    }

    private void remember(String name, String id) {
        if (liveStreams.get() > 0) {
            resolved.put(name, id);
        }
    }

    private String resolve(String name) {
        try {
            InspectContainerResponse byName = client.inspectContainerCmd(name).exec();
            // the engine also matches id prefixes; only an exact name counts
            if (name.equals(ContainerInfos.stripSlash(byName.getName()))) {
                return byName.getId();
            }
        } catch (NotFoundException notAName) {
            // try the compose service label
        }
        return resolveService(name);
    }

    private String resolveService(String name) {
        List<Container> byService = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerInfos.SERVICE_LABEL, name)).exec();
        return byService.stream()
                .min(Comparator.comparing((Container c) -> !"running".equals(c.getState()))
                        .thenComparing(c -> c.getCreated() == null ? 0L : -c.getCreated()))
                .map(Container::getId)
                .orElse(null);
    }

    private void forget(ContainerEvent e) {
        if (e.name() != null) {
            resolved.remove(e.name());
        }
        if (e.service() != null) {
            resolved.remove(e.service());
        }
    }

    // ---- calls and errors ----

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    private <T> CompletableFuture<T> call(String name, Duration limit, Call<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Worker worker = new Worker();
        ScheduledFuture<?> deadline;
        try {
            deadline = timer.schedule(() -> {
                String reason = "docker engine unreachable at " + dockerHost + ": no answer within " + format(limit);
                if (result.completeExceptionally(new StartFailure(name, StartFailure.Kind.RUNTIME_UNAVAILABLE, reason))) {
                    worker.interrupt();
                    engineUnresponsive(reason);
                }
            }, limit.toMillis(), TimeUnit.MILLISECONDS);
            executor.execute(() -> {
                worker.begin();
                try {
                    T value = body.run();
                    if (result.complete(value)) {
                        markReachable();
                    }
                } catch (Throwable t) {
                    StartFailure failure = translate(name, t);
                    result.completeExceptionally(failure);
                } finally {
                    deadline.cancel(false);
                    worker.end();
                }
            });
        } catch (RejectedExecutionException closedAlready) {
            result.completeExceptionally(new StartFailure(name, StartFailure.Kind.RUNTIME_UNAVAILABLE,
                    "docker runtime is closed"));
        }
        return result;
    }

    /**
     * The thread running one call, so that its deadline can free it: the unix-socket transport has
     * no read timeout, and a read on a silent engine would otherwise hold the worker until the
     * engine answers or dies. Interrupting closes the call's channel (its connection is dropped).
     */
    private static final class Worker {
        private Thread thread;
        private boolean done;

        synchronized void begin() {
            thread = Thread.currentThread();
        }

        synchronized void interrupt() {
            if (thread != null && !done) {
                thread.interrupt();
            }
        }

        void end() {
            synchronized (this) {
                done = true;
                thread = null;
            }
            Thread.interrupted(); // an interrupt meant for this call must not reach the pool's next task
        }
    }

    /**
     * An engine call went unanswered: the engine accepts connections but does not work (frozen,
     * or hopelessly overloaded). Treated like an engine that is gone: the event streams are
     * dropped, so subscribers get DISCONNECTED now and RESYNC once it answers again.
     */
    private void engineUnresponsive(String reason) {
        markUnreachable(reason);
        for (EventFeed feed : feeds) {
            feed.abort(reason);
        }
    }

    /**
     * Every {@link #LIVENESS_INTERVAL} while anyone follows the events: a bounded ping (one at a
     * time). Also while a stream is still being opened, which a freeze at that moment would
     * otherwise leave waiting for good: the stream itself has no deadline.
     */
    private void livenessPing() {
        if (closed || feeds.isEmpty() || !livenessPingInFlight.compareAndSet(false, true)) {
            return;
        }
        try {
            call(null, callTimeout, () -> {
                client.pingCmd().exec();
                return null;
            }).whenComplete((v, ex) -> livenessPingInFlight.set(false));
        } catch (RuntimeException e) {
            // never let the periodic task die; the next round tries again
            livenessPingInFlight.set(false);
            log.debug("docker liveness ping could not be sent", e);
        }
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private StartFailure translate(String name, Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof NotFoundException) {
            markReachable();
            return new StartFailure(name, StartFailure.Kind.MISSING, "no such container " + name);
        }
        if (cause instanceof DockerException de) {
            markReachable();
            return new StartFailure(name, StartFailure.Kind.FAILED, engineMessage(de));
        }
        if (closed) {
            // Interrupted by close(): the engine is fine, the proxy is going away.
            return new StartFailure(name, StartFailure.Kind.RUNTIME_UNAVAILABLE, "docker runtime is closed");
        }
        String reason = unreachable(cause);
        markUnreachable(reason);
        return new StartFailure(name, StartFailure.Kind.RUNTIME_UNAVAILABLE, reason);
    }

    /** docker-java puts "Status 500: {\"message\":\"...\"}" in the message; keep the engine's words. */
    static String engineMessage(DockerException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        int json = text.indexOf('{');
        if (json >= 0) {
            try {
                JsonNode node = JSON.readTree(text.substring(json));
                if (node.hasNonNull("message")) {
                    return node.get("message").asText();
                }
            } catch (IOException notJson) {
                // fall through to the raw text
            }
        }
        return text.isBlank() ? "docker engine error (HTTP " + e.getHttpStatus() + ")" : text.trim();
    }

    private String unreachable(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof EngineSilent || root instanceof StartFailure) {
            return root.getMessage(); // already "docker engine unreachable at ...: ..."
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return "docker engine unreachable at " + dockerHost + ": " + why;
    }

    private void markReachable() {
        if (closed) {
            return; // calls cut short by close() say nothing about the engine
        }
        if (!Boolean.TRUE.equals(reachable.getAndSet(Boolean.TRUE))) {
            // the API version for the log is one more call: bounded like the others, and never on
            // the caller's thread (the events thread must not wait on an engine that just froze)
            call(null, callTimeout, () -> client.versionCmd().exec().getApiVersion()).whenComplete((api, ex) ->
                    log.info("docker engine connected (API {}) at {}", ex == null ? api : "?", dockerHost));
        }
    }

    private void markUnreachable(String reason) {
        if (closed) {
            return;
        }
        if (!Boolean.FALSE.equals(reachable.getAndSet(Boolean.FALSE))) {
            log.warn("{}", reason);
        }
    }

    // ---- clients ----

    private DockerClient newClient(Duration responseTimeout) {
        // TLS is ours (DockerTls): docker-java's own reads the PEM files with BouncyCastle, not shipped.
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .withDockerTlsVerify(false)
                .build();
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(tls)
                .maxConnections(16)
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        DockerHttpClient httpClient = http.build();
        return DockerClientImpl.getInstance(config, httpClient);
    }

    private DockerClient stopClient(Duration limit) {
        if (limit.compareTo(callTimeout) <= 0) {
            return client;
        }
        return stopClients.computeIfAbsent(limit.toMillis(), ms -> newClient(Duration.ofMillis(ms).plus(SOCKET_SLACK)));
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing docker client", e);
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ---- events ----

    /**
     * One subscription: connects, delivers, and on loss reconnects with capped exponential backoff
     * until closed. State is touched only on {@link #eventsExecutor}.
     */
    private final class EventFeed implements AutoCloseable {
        private final Consumer<ContainerEvent> listener;
        private volatile boolean stopped;
        private volatile Attempt current;
        private boolean connected;
        private boolean disconnectReported;
        private long backoffMs = BACKOFF_MIN_MS;

        EventFeed(Consumer<ContainerEvent> listener) {
            this.listener = listener;
        }

        void connect() {
            if (stopped) {
                return;
            }
            Attempt attempt = new Attempt();
            current = attempt;
            // a bounded ping first (the stream itself has no deadline), on the call pool: this
            // thread delivers every feed's events and must never wait on the engine
            call(null, callTimeout, () -> {
                client.pingCmd().exec();
                return null;
            }).whenComplete((v, ex) -> onThread(() -> {
                if (stopped || current != attempt || attempt.ended.get()) {
                    return; // closed, or given up on meanwhile (a reconnect is on its way)
                }
                if (ex != null) {
                    attempt.end(ex); // the call's own future: a StartFailure, not wrapped
                    return;
                }
                try {
                    eventsClient.eventsCmd()
                            .withEventTypeFilter(EventType.CONTAINER)
                            .withEventFilter(FOLLOWED_EVENTS)
                            .exec(attempt); // returns at once: docker-java reads the stream on a thread of its own
                } catch (RuntimeException e) {
                    attempt.end(e);
                }
            }));
        }

        private void onConnected() {
            if (stopped) {
                return;
            }
            connected = true;
            disconnectReported = false;
            backoffMs = BACKOFF_MIN_MS;
            liveStreams.incrementAndGet();
            markReachable();
            deliver(ContainerEvent.of(ContainerEvent.Type.RESYNC));
        }

        private void onLost(Throwable cause) {
            if (connected) {
                connected = false;
                liveStreams.decrementAndGet();
                resolved.clear();
            }
            if (stopped) {
                return;
            }
            String reason = cause == null
                    ? "docker engine unreachable at " + dockerHost + ": event stream closed by the engine"
                    : unreachable(cause);
            markUnreachable(reason);
            if (!disconnectReported) {
                disconnectReported = true;
                deliver(ContainerEvent.disconnected(reason));
            }
            long delay = backoffMs;
            backoffMs = Math.min(BACKOFF_MAX_MS, backoffMs * 2);
            try {
                eventsExecutor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                // closed meanwhile
            }
        }

        private void deliver(ContainerEvent e) {
            if (e.type() != ContainerEvent.Type.RESYNC && e.type() != ContainerEvent.Type.DISCONNECTED) {
                forget(e);
            }
            try {
                listener.accept(e);
            } catch (RuntimeException bug) {
                log.error("docker event listener failed on {}", e, bug);
            }
        }

        private void onThread(Runnable r) {
            try {
                eventsExecutor.execute(r);
            } catch (RejectedExecutionException shuttingDown) {
                // closed meanwhile
            }
        }

        /** Drops the current stream as lost (the engine did not answer a call): reconnects with backoff. */
        void abort(String reason) {
            Attempt a = current;
            if (a != null) {
                a.abort(new EngineSilent(reason));
            }
        }

        @Override
        public void close() {
            if (stopped) {
                return;
            }
            stopped = true;
            feeds.remove(this);
            Attempt a = current;
            if (a != null) {
                a.cancel();
            }
            onThread(() -> {
                if (connected) {
                    connected = false;
                    liveStreams.decrementAndGet();
                }
            });
        }

        /** One connection of the stream; the first of error/complete/cancel ends it. */
        private final class Attempt implements ResultCallback<Event> {
            private final AtomicBoolean ended = new AtomicBoolean();
            private volatile Closeable stream;

            @Override
            public void onStart(Closeable stream) {
                this.stream = stream;
                if (stopped || ended.get()) {
                    // closed, or given up on while the engine was silent and answered only now
                    closeStream();
                    return;
                }
                onThread(EventFeed.this::onConnected);
            }

            @Override
            public void onNext(Event event) {
                ContainerEvent e = ContainerInfos.fromEvent(event);
                if (e != null && !ended.get()) {
                    onThread(() -> {
                        if (!stopped) {
                            deliver(e);
                        }
                    });
                }
            }

            @Override
            public void onError(Throwable t) {
                end(t);
            }

            @Override
            public void onComplete() {
                end(null);
            }

            void end(Throwable cause) {
                if (ended.compareAndSet(false, true)) {
                    onThread(() -> onLost(cause));
                }
            }

            /** Ends it as lost with {@code cause} (subscribers hear DISCONNECTED), then closes the stream. */
            void abort(Throwable cause) {
                end(cause);
                closeStream();
            }

            void cancel() {
                ended.set(true);
                closeStream();
            }

            private void closeStream() {
                Closeable s = stream;
                if (s != null) {
                    try {
                        s.close(); // interrupts the stream's reader and aborts its connection: does not wait for the engine
                    } catch (IOException | RuntimeException ignored) {
                        // already gone
                    }
                }
            }

            @Override
            public void close() {
                cancel();
            }
        }
    }

    /** The cause of a stream dropped because the engine did not answer a call in time. */
    private static final class EngineSilent extends IOException {
        EngineSilent(String reason) {
            super(reason, null);
        }
    }
}

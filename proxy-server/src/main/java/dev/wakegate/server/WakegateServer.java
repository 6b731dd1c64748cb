package dev.wakegate.server;

import dev.wakegate.admin.AdminEndpoints;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.config.Workload;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.lifecycle.NettyReadinessProbe;
import dev.wakegate.metrics.Metrics;
import dev.wakegate.provider.ProvidersByKind;
import dev.wakegate.provider.docker.DockerProvider;
import dev.wakegate.provider.swarm.SwarmProvider;
import dev.wakegate.relay.FrontServer;
import dev.wakegate.relay.Transport;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTable;
import dev.wakegate.state.InMemoryStateStore;
import dev.wakegate.state.StateStore;
import dev.wakegate.state.redis.RedisStateStore;
import dev.wakegate.tls.CertificateLoadException;
import dev.wakegate.tls.ServerCertificate;
import dev.wakegate.tls.TlsContexts;
import dev.wakegate.tls.TlsTermination;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.wakegate.accesslog.AccessLog;
import dev.wakegate.admin.ConfigReload;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The whole proxy, wired from one {@link ProxyConfig}: the front listeners on the worker event
 * loops, the lifecycle on a control loop of its own (idle checks, state sync, readiness probes),
 * the Docker runtime on its executor, the state store (Redis or in memory), the metrics and the
 * {@code /health/*} endpoints, label discovery, and TLS termination with its certificates.
 *
 * <p>{@link #start} binds the listeners first (a port in use is the first thing reported, before
 * Docker or Redis are asked anything), then starts the lifecycle and label discovery and waits
 * (within {@code automation.startup_timeout}) for their first listings, so the first request finds
 * its containers and label routes, then accepts connections; {@link #close} drains in-flight work (up to {@code timeouts.drain}) and releases
 * everything, in the reverse order.
 */
public final class WakegateServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WakegateServer.class);
    /** How long after the listeners accept the JVM metrics are bound (see {@link #startAll}). */
    private static final java.time.Duration RUNTIME_METRICS_DELAY = java.time.Duration.ofSeconds(1);

    private final ProxyConfig config;
    private final Optional<TlsTermination> tls;
    private final Metrics metrics;
    private final DockerProvider runtime;
    private final SwarmProvider swarm;
    private final StateStore store;
    private final EventLoopGroup control;
    private final EventLoopGroup workers;
    private final Lifecycle lifecycle;
    private final FrontServer front;
    private final LabelDiscovery discovery;
    private final AccessLog accessLog = new AccessLog();
    private final ConfigReloader reloader;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean accepting;

    private WakegateServer(ProxyConfig config) {
        this.config = config;
        this.tls = config.tls().map(WakegateServer::startTls); // first: a certificate that cannot be served refuses the start
        this.metrics = Metrics.createUnbound(); // JVM metrics: once listening, see startAll
        tls.ifPresent(t -> metrics.bindTls(t.store()));
        this.runtime = DockerProvider.create(config.dockerHost(), config.timeouts().dockerCall());
        this.swarm = SwarmProvider.beside(runtime, this::configuredReplicas);
        this.store = config.redisUrl().<StateStore>map(RedisStateStore::connect).orElseGet(InMemoryStateStore::new);
        this.control = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("wakegate-control", true),
                NioIoHandler.newFactory());
        this.lifecycle = Lifecycle.builder(config)
                .provider(new ProvidersByKind(runtime, swarm, this::kindOf))
                .store(store)
                .probe(NettyReadinessProbe.nio(control))
                .scheduler(control.next())
                .listener(metrics.lifecycle())
                .build();
        metrics.lifecycle().evictionSuspended(() -> lifecycle.automation().eviction().suspended());
        metrics.lifecycle().memoryAvailable(() -> lifecycle.automation().memory().availableBytes());
        this.workers = Transport.newEventLoopGroup(config.workers());
        // one table for the data path, the label discovery that replaces it and /health/services
        RouteTable routes = new RouteTable(Route.compile(config.routes(), config.automation().noWake()));
        AdminEndpoints admin = new AdminEndpoints(new LifecycleAdminModel(lifecycle, () -> routes.current().routes()),
                config.adminToken(), metrics::prometheusText);
        this.front = new FrontServer(config.listen(), routes, config.tcp(), config.timeouts(),
                config.limits(), lifecycle.gate(), admin, metrics.proxyMetrics(), workers,
                FrontServer.DEFAULT_PARK_DEADLINE, tls);
        try {
            accessLog.configure(config.accessLog());
        } catch (IOException e) {
            throw new IllegalStateException("access_log.path: cannot open " + config.accessLog().orElseThrow().target()
                    + " for appending: " + e, e);
        }
        metrics.bindAccessLog(accessLog);
        front.accessLog(accessLog).trustedProxies(config.trustedProxies()).proxyProtocol(config.proxyProtocol());
        this.discovery = new LabelDiscovery(config, runtime, swarm, lifecycle, routes::replace);
        this.reloader = new ConfigReloader(config, front, discovery, accessLog, metrics.reloads(), System::getenv,
                tls, metrics::bindTls);
        admin.configReload(reloader);
    }

    /** The entry of a managed name, as the lifecycle has it (labels included), else as the file has it. */
    private @Nullable ContainerSpec specOf(String name) {
        Lifecycle l = lifecycle; // null while the lifecycle is being built
        ContainerSpec spec = l == null ? null : l.spec(name);
        return spec != null ? spec : config.containers().get(name);
    }

    /** Which provider wakes {@code name}: its entry's {@code kind}. */
    private Workload.Kind kindOf(String name) {
        ContainerSpec spec = specOf(name);
        return spec == null ? Workload.Kind.CONTAINER : spec.workload().kind();
    }

    /** A service's {@code replicas:} or {@code wakegate.replicas}, when set. */
    private OptionalInt configuredReplicas(String name) {
        ContainerSpec spec = specOf(name);
        return spec == null ? OptionalInt.empty() : spec.workload().replicas();
    }

    private static TlsTermination startTls(dev.wakegate.config.TlsSettings settings) {
        try {
            return TlsTermination.start(settings);
        } catch (CertificateLoadException e) {
            throw new IllegalStateException("tls: " + e.getMessage(), e);
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("tls: the TLS provider refuses the certificates: " + e.getMessage(), e);
        }
    }

    /** Builds, starts and returns the proxy; the listeners are bound when it returns. */
    public static WakegateServer start(ProxyConfig config) {
        WakegateServer server = new WakegateServer(config);
        try {
            server.startAll();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Waits, until {@code deadline} (System.nanoTime), for a start step that never fails; late: serve meanwhile. */
    private static void awaitStart(java.util.concurrent.CompletableFuture<Void> step, long deadline, String what) {
        try {
            step.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("{} is taking long; serving meanwhile", what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("{}: {}", what, String.valueOf(e.getCause()));
        }
    }

    private void startAll() {
        front.bind();
        long deadline = System.nanoTime() + config.automation().startupTimeout().toNanos();
        // neither fails: an unreachable engine or store leaves them degraded, catching up later
        awaitStart(lifecycle.start(), deadline, "the first container listing");
        discovery.start();
        if (lifecycle.runtimeAvailable()) { // else its listing waits for the engine: not worth holding the start
            awaitStart(discovery.firstListing(), deadline, "label discovery's first listing");
        }
        front.start();
        accepting = true;
        // Off the path to the first answer: JVM and allocator metrics load JMX (~100 ms at start),
        // which on a single core would share it with the first requests; a scrape before then binds them itself.
        control.schedule(metrics::bindRuntimeMetrics, RUNTIME_METRICS_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        log.info("wakegate listening on {} (http){}{}, {} worker(s), {} managed container(s), {} route(s), state in {}",
                front.httpAddress(), front.httpsAddress() == null ? "" : ", " + front.httpsAddress() + " (https)",
                front.tcpAddresses().isEmpty() ? "" : " and " + front.tcpAddresses() + " (tcp)",
                config.workers(), config.containers().size(), config.routes().size(), store.describe());
        config.accessLog().ifPresent(a -> log.info("access log: {} ({})", a.target(),
                a.format().name().toLowerCase(java.util.Locale.ROOT)));
        warnOnLoopbackProxy(config);
        tls.ifPresent(t -> {
            log.info("TLS by {}; certificates re-read when their files change", TlsContexts.describe(t.provider()));
            for (ServerCertificate c : t.store().certificates()) {
                log.info("serving certificate {} for {}", c.files().cert(), c.describe());
            }
        });
    }

    /**
     * A trusted proxy on loopback (a tunnel or sidecar on the same host) makes every request it
     * forwards look local: without an admin token, the loopback rule would let any client that
     * reaches it use the admin POSTs (those whose X-Forwarded-For it does not set).
     */
    static void warnOnLoopbackProxy(ProxyConfig config) {
        if (config.trustedProxies().coversLoopback() && config.adminToken().isEmpty()) {
            log.warn("trusted_proxies includes a loopback address and no admin token is set: a request a local proxy"
                    + " forwards without X-Forwarded-For counts as local, so admin POSTs are open to its clients;"
                    + " set WAKEGATE_ADMIN_TOKEN");
        }
    }

    /**
     * Re-reads the config file and applies it (SIGHUP; {@code POST /health/config/reload} does the
     * same): see {@link ConfigReloader}. Completes with the report, on the reload's own thread.
     */
    public CompletableFuture<ConfigReload.Report> reload() {
        return reloader.reload();
    }

    /** The access log's settings in effect, or empty when it is off. */
    public Optional<dev.wakegate.config.AccessLogSettings> accessLogSettings() {
        return accessLog.settings();
    }

    /** Closes and reopens the access-log file (SIGUSR1, after logrotate moved it); returns at once. */
    public void reopenAccessLog() {
        accessLog.reopen();
    }

    public InetSocketAddress httpAddress() {
        return Objects.requireNonNull(front.httpAddress(), "bound by start");
    }

    /** The HTTPS listener's address, or null without {@code tls:}. */
    public @Nullable InetSocketAddress httpsAddress() {
        return front.httpsAddress();
    }

    public List<InetSocketAddress> tcpAddresses() {
        return front.tcpAddresses();
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    public Metrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (accepting) {
            log.info("wakegate shutting down: draining in-flight requests (up to {})", config.timeouts().drain());
        }
        closeQuietly(reloader);
        closeQuietly(front);
        closeQuietly(accessLog); // after the front: the last requests' lines are written
        tls.ifPresent(WakegateServer::closeQuietly);
        closeQuietly(discovery);
        closeQuietly(lifecycle);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        closeQuietly(swarm);
        closeQuietly(runtime);
        closeQuietly(store);
        control.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        closeQuietly(metrics);
        if (accepting) {
            log.info("wakegate stopped");
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.warn("while shutting down {}: {}", c.getClass().getSimpleName(), e.toString());
        }
    }
}

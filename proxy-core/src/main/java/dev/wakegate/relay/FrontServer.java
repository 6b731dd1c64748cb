package dev.wakegate.relay;

import dev.wakegate.accesslog.AccessLog;
import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.net.CidrSet;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.Limits;
import dev.wakegate.config.TcpSpec;
import dev.wakegate.config.Timeouts;
import dev.wakegate.config.TlsSettings;
import dev.wakegate.lifecycle.ContainerGate;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTable;
import dev.wakegate.route.RouteTrie;
import dev.wakegate.tls.TlsTermination;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The proxy's listeners: one HTTP front listener, the HTTPS listener when TLS is configured, and
 * one listener per {@link TcpSpec} (plain, or terminating TLS), all on the given event-loop group
 * (whose upstream connections share the client's loop). The routes are a {@link RouteTable}, which
 * the caller may share and replace at runtime ({@link #updateRoutes} does the same); each request
 * sees one consistent table.
 *
 * <p>Lifecycle: construct, {@link #bind()} (optional: binds every listener without accepting yet,
 * so a port in use is reported before anything else starts), {@link #start()} (binds if not yet
 * bound, then accepts; from any non-event-loop thread), then {@link #close()}: stop accepting, let
 * in-flight exchanges finish for at most {@code timeouts.drain}, answer what has not started its
 * response with a 503, then close every connection. The event-loop group belongs to the caller.
 */
public final class FrontServer implements AutoCloseable {
    /** Handler names of the client pipelines. */
    public static final String HTTP_FRONT = "http-front";
    public static final String TCP_FRONT = "tcp-front";
    public static final String RELAY = HttpFrontHandler.RELAY;
    /** How long a parked request waits at most when the gate never answers (the gate's own timeout should come first). */
    public static final Duration DEFAULT_PARK_DEADLINE = Duration.ofMinutes(5);
    /** After the drain deadline: how long the 503s to requests still waiting may take to go out. */
    private static final long EXPIRED_ANSWER_MILLIS = 500;

    private HostPort listen;
    private List<TcpSpec> tcp;
    private @Nullable Channel httpListener;     // null before bind
    private @Nullable Channel httpsListener;     // null without TLS
    private @Nullable HostPort httpsListen;      // null without TLS
    private volatile boolean httpProxyProtocol;
    /** Per TCP listener address: its channel and the spec its new connections use (a reload may change it). */
    private final Map<HostPort, TcpListener> tcpListeners = new LinkedHashMap<>();
    private final Optional<TlsTermination> tls;
    private final EventLoopGroup group;
    private final DataPath dataPath;
    private final DnsAddressResolverGroup resolver;
    private final ChannelGroup listeners = new DefaultChannelGroup("wakegate-listeners", GlobalEventExecutor.INSTANCE);
    private final ChannelGroup clients = new DefaultChannelGroup("wakegate-clients", GlobalEventExecutor.INSTANCE);
    private @Nullable InetSocketAddress httpAddress;   // null before bind
    private @Nullable InetSocketAddress httpsAddress;  // null before bind and without TLS
    private final List<InetSocketAddress> tcpAddresses = new ArrayList<>();
    private boolean bound;
    private boolean started;
    private boolean closed;

    public FrontServer(HostPort listen, RouteTrie<Route> routes, List<TcpSpec> tcp, Timeouts timeouts, Limits limits,
                       ContainerGate gate, LocalEndpoints endpoints, ProxyMetrics metrics, EventLoopGroup group) {
        this(listen, new RouteTable(HostRouter.of(routes)), tcp, timeouts, limits, gate, endpoints, metrics, group,
                DEFAULT_PARK_DEADLINE, Optional.empty());
    }

    /** Routes without host names, no TLS. */
    public FrontServer(HostPort listen, RouteTrie<Route> routes, List<TcpSpec> tcp, Timeouts timeouts, Limits limits,
                       ContainerGate gate, LocalEndpoints endpoints, ProxyMetrics metrics, EventLoopGroup group,
                       Duration parkDeadline) {
        this(listen, new RouteTable(HostRouter.of(routes)), tcp, timeouts, limits, gate, endpoints, metrics, group,
                parkDeadline, Optional.empty());
    }

    /**
     * @param listen       the HTTP front listener ({@code port 0}: any free port, see {@link #httpAddress()})
     * @param routes       the routes, read for every request (may be empty; the caller may replace them)
     * @param tcp          raw TCP listeners ({@code tls} ones need {@code tls})
     * @param group        event loops for listeners, clients and upstreams ({@link Transport#newEventLoopGroup})
     * @param parkDeadline safety deadline of a parked request, should the gate never complete
     * @param tls          the HTTPS listener's settings and certificates; the caller closes it after this server
     */
    public FrontServer(HostPort listen, RouteTable routes, List<TcpSpec> tcp, Timeouts timeouts, Limits limits,
                       ContainerGate gate, LocalEndpoints endpoints, ProxyMetrics metrics, EventLoopGroup group,
                       Duration parkDeadline, Optional<TlsTermination> tls) {
        this.listen = Objects.requireNonNull(listen, "listen");
        this.tcp = List.copyOf(tcp);
        this.tls = Objects.requireNonNull(tls, "tls");
        for (TcpSpec spec : this.tcp) {
            if (spec.tls() && tls.isEmpty()) {
                throw new IllegalArgumentException("tcp listener " + spec.listen() + " terminates TLS, but there are no certificates");
            }
        }
        this.group = Objects.requireNonNull(group, "group");
        Transport transport = Transport.of(group);
        this.resolver = DnsResolvers.create(transport.datagramChannel(), timeouts.upstreamConnect());
        this.dataPath = new DataPath(Objects.requireNonNull(routes, "routes"), Objects.requireNonNull(gate, "gate"),
                Objects.requireNonNull(endpoints, "endpoints"), Objects.requireNonNull(metrics, "metrics"),
                timeouts, limits, parkDeadline, transport, resolver, null,
                tls.map(t -> HttpsPolicy.of(t.settings())).orElse(HttpsPolicy.NONE));
    }

    /**
     * Binds the HTTP listener, the HTTPS listener and every TCP listener, without accepting
     * connections yet (the kernel queues them until {@link #start()}); returns when all are bound.
     *
     * @throws IllegalStateException naming the address when one cannot be bound (the others are closed)
     */
    public synchronized FrontServer bind() {
        if (bound) {
            throw new IllegalStateException("already bound");
        }
        bound = true;
        try {
            Channel http = bind(listen, http(Scheme.HTTP), false);
            httpListener = http;
            httpAddress = (InetSocketAddress) http.localAddress();
            if (tls.isPresent()) {
                httpsListen = tls.get().settings().listen();
                Channel https = bind(httpsListen, http(Scheme.HTTPS), false);
                httpsListener = https;
                httpsAddress = (InetSocketAddress) https.localAddress();
            }
            for (TcpSpec spec : tcp) {
                TcpListener l = new TcpListener(spec);
                Channel ch = bind(spec.listen(), tcp(l), true);
                l.channel = ch;
                tcpListeners.put(spec.listen(), l);
                tcpAddresses.add((InetSocketAddress) ch.localAddress());
            }
        } catch (RuntimeException e) {
            listeners.close().awaitUninterruptibly();
            throw e;
        }
        return this;
    }

    /**
     * Binds (unless {@link #bind()} did already) and starts accepting connections on every listener.
     *
     * @throws IllegalStateException naming the address when one cannot be bound (the others are closed)
     */
    public synchronized FrontServer start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        if (!bound) {
            bind();
        }
        started = true;
        for (Channel listener : listeners) {
            listener.config().setAutoRead(true);
        }
        return this;
    }

    /**
     * An HTTP client connection: one handler does head parsing, routing, parking and relaying
     * (phases of one connection state machine); after a 101 it is replaced by {@link #RELAY}. On
     * the HTTPS listener the TLS handlers come first.
     */
    private ChannelInitializer<Channel> http(Scheme scheme) {
        Consumer<ChannelPipeline> tlsFirst = scheme == Scheme.HTTPS
                ? p -> tls.orElseThrow().addHttpsHandlers(p, handshakeTimeoutMillis()) : p -> { };
        BooleanSupplier proxyProtocol = scheme == Scheme.HTTPS
                ? () -> tls.orElseThrow().settings().proxyProtocol() : () -> httpProxyProtocol;
        return new ClientInitializer(proxyProtocol, tlsFirst, HTTP_FRONT,
                ch -> new HttpFrontHandler(dataPath, dataPath.kits(ch.eventLoop()), scheme));
    }

    /**
     * Whether connections to the HTTP listener start with a PROXY protocol header
     * ({@code proxy_protocol}); connections accepted after the call follow it.
     */
    public FrontServer proxyProtocol(boolean on) {
        httpProxyProtocol = on;
        return this;
    }

    /**
     * A TCP-listener connection: {@link #TCP_FRONT} holds it until ready, then gives way to
     * {@link #RELAY}; a listener with {@code tls} has the TLS handlers first and relays plain bytes.
     */
    private ChannelInitializer<Channel> tcp(TcpListener listener) {
        Consumer<ChannelPipeline> tlsFirst = listener.spec.tls()
                ? p -> tls.orElseThrow().addTlsHandlers(p, handshakeTimeoutMillis()) : p -> { };
        return new ClientInitializer(() -> listener.spec.proxyProtocol(), tlsFirst, TCP_FRONT,
                ch -> new TcpFrontHandler(listener.spec, dataPath));
    }

    /** A bound TCP listener; {@code spec} is read for each new connection (a reload may change where it goes). */
    private static final class TcpListener {
        volatile TcpSpec spec;
        @Nullable Channel channel; // set right after the listener is made: its initializer needs the listener first

        TcpListener(TcpSpec spec) {
            this.spec = spec;
        }

        Channel bound() {
            return Objects.requireNonNull(channel, "a listener in the map is bound");
        }
    }

    /**
     * A client connection of one listener: counted among the clients, the PROXY protocol handlers
     * first (when the listener has {@code proxy_protocol}), then its TLS handlers (if any), then its
     * front handler.
     */
    private final class ClientInitializer extends ChannelInitializer<Channel> {
        private final BooleanSupplier proxyProtocol;
        private final Consumer<ChannelPipeline> tlsFirst;
        private final String frontName;
        private final Function<Channel, ChannelHandler> front;

        ClientInitializer(BooleanSupplier proxyProtocol, Consumer<ChannelPipeline> tlsFirst, String frontName,
                          Function<Channel, ChannelHandler> front) {
            this.proxyProtocol = proxyProtocol;
            this.tlsFirst = tlsFirst;
            this.frontName = frontName;
            this.front = front;
        }

        @Override
        protected void initChannel(Channel ch) {
            clients.add(ch);
            if (proxyProtocol.getAsBoolean()) {
                ProxyProtocol.addHandlers(ch.pipeline());
            }
            tlsFirst.accept(ch.pipeline());
            ch.pipeline().addLast(frontName, front.apply(ch));
        }
    }

    /** A ClientHello and handshake get as long as a request head: {@code timeouts.header_read}. */
    private long handshakeTimeoutMillis() {
        return dataPath.timeouts.headerRead().toMillis();
    }

    private Channel bind(HostPort address, ChannelInitializer<Channel> init, boolean halfClosure) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(dataPath.transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false) // bound, not accepting until start()
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, UpstreamPool.WATER_MARK)
                .childHandler(init);
        // binding resolves the listen host with the JDK: fine here, this is not an event loop
        InetSocketAddress socketAddress = new InetSocketAddress(address.host(), address.port());
        if (socketAddress.isUnresolved()) {
            throw new IllegalStateException("cannot listen on " + address + ": cannot resolve host '" + address.host() + "'");
        }
        ChannelFuture f = b.bind(socketAddress).awaitUninterruptibly();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
            throw new IllegalStateException("cannot listen on " + address + ": " + why, cause);
        }
        listeners.add(f.channel());
        return f.channel();
    }

    /**
     * Opens and closes listeners as a reloaded file says: the HTTP listener moves when
     * {@code newListen} differs, TCP listeners are added, closed or re-pointed ({@code tls} ones
     * only with this server's TLS). Connections already accepted are untouched, whichever listener
     * they came through. All-or-nothing: the new listeners are bound first, and when one cannot be,
     * those just bound are closed and nothing changes.
     *
     * @return what changed, one line each, for the log and the reload's answer
     * @throws IllegalStateException naming the address that cannot be bound, or a TLS listener without TLS
     */
    public synchronized List<String> applyListeners(HostPort newListen, List<TcpSpec> newTcp) {
        return applyListeners(newListen, newTcp, httpsListen);
    }

    /**
     * As {@link #applyListeners(HostPort, List)}, and the HTTPS listener moves to {@code newHttps}
     * when it differs ({@code tls.listen}; only on a server started with TLS), in the same
     * all-or-nothing step.
     */
    public synchronized List<String> applyListeners(HostPort newListen, List<TcpSpec> newTcp, @Nullable HostPort newHttps) {
        if (!started || closed) {
            throw new IllegalStateException("listeners change only while the server runs");
        }
        List<String> changes = new ArrayList<>();
        List<Channel> opened = new ArrayList<>();
        Channel newHttp = null;
        Channel newHttpsChannel = null;
        Map<HostPort, TcpListener> added = new LinkedHashMap<>();
        try {
            for (TcpSpec spec : newTcp) {
                if (spec.tls() && tls.isEmpty()) {
                    throw new IllegalStateException("tcp listener " + spec.listen()
                            + " terminates TLS, but this server was started without tls:");
                }
            }
            if (!Objects.equals(newHttps, httpsListen)) {
                if (tls.isEmpty() || newHttps == null) {
                    throw new IllegalStateException("the HTTPS listener is opened or closed only by a restart");
                }
                newHttpsChannel = bind(newHttps, http(Scheme.HTTPS), false);
                opened.add(newHttpsChannel);
            }
            if (!newListen.equals(listen)) {
                newHttp = bind(newListen, http(Scheme.HTTP), false);
                opened.add(newHttp);
            }
            for (TcpSpec spec : newTcp) {
                if (!tcpListeners.containsKey(spec.listen())) {
                    TcpListener l = new TcpListener(spec);
                    Channel ch = bind(spec.listen(), tcp(l), true);
                    l.channel = ch;
                    opened.add(ch);
                    added.put(spec.listen(), l);
                }
            }
        } catch (RuntimeException e) {
            for (Channel c : opened) {
                c.close().awaitUninterruptibly();
            }
            throw e;
        }
        // everything bound: now switch
        for (Channel c : opened) {
            c.config().setAutoRead(true);
        }
        if (newHttp != null) {
            Objects.requireNonNull(httpListener, "httpListener").close().awaitUninterruptibly();
            changes.add("http listener moved from " + listen + " to " + newListen);
            httpListener = newHttp;
            httpAddress = (InetSocketAddress) newHttp.localAddress();
            listen = newListen;
        }
        if (newHttpsChannel != null) {
            Objects.requireNonNull(httpsListener, "httpsListener").close().awaitUninterruptibly();
            changes.add("https listener moved from " + httpsListen + " to " + newHttps + " (its open connections stay)");
            httpsListener = newHttpsChannel;
            httpsAddress = (InetSocketAddress) newHttpsChannel.localAddress();
            httpsListen = newHttps;
        }
        Map<HostPort, TcpSpec> wanted = new LinkedHashMap<>();
        newTcp.forEach(s -> wanted.put(s.listen(), s));
        for (var it = tcpListeners.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<HostPort, TcpListener> e = it.next();
            TcpSpec next = wanted.get(e.getKey());
            if (next == null) {
                e.getValue().bound().close().awaitUninterruptibly();
                it.remove();
                changes.add("tcp listener " + e.getKey() + " closed (its open connections stay)");
            } else if (!next.equals(e.getValue().spec)) {
                if (next.tls() != e.getValue().spec.tls()) {
                    // the TLS handlers are chosen when the listener is made: make it anew
                    e.getValue().bound().close().awaitUninterruptibly();
                    TcpListener l = new TcpListener(next);
                    Channel ch = bind(next.listen(), tcp(l), true);
                    l.channel = ch;
                    ch.config().setAutoRead(true);
                    e.setValue(l);
                } else {
                    e.getValue().spec = next;
                }
                changes.add("tcp listener " + e.getKey() + " now goes to " + next.upstream());
            }
        }
        added.forEach((address, l) -> {
            tcpListeners.put(address, l);
            changes.add("tcp listener " + address + " opened");
        });
        tcp = List.copyOf(newTcp);
        tcpAddresses.clear();
        for (TcpSpec spec : tcp) {
            tcpAddresses.add((InetSocketAddress) Objects.requireNonNull(tcpListeners.get(spec.listen()), "listener").bound().localAddress());
        }
        return changes;
    }

    /**
     * New timeouts and limits: connections accepted from now on, and requests that begin from now
     * on, use them (the head limits: a request whose first byte comes after this, also on a
     * keep-alive connection that was idle; one already arriving, or pipelined behind one, keeps
     * the limits it began with); nothing in flight is touched.
     */
    public void applySettings(Timeouts timeouts, Limits limits) {
        dataPath.apply(Objects.requireNonNull(timeouts, "timeouts"), Objects.requireNonNull(limits, "limits"));
    }

    /**
     * The redirect to HTTPS and the HSTS header of a reloaded {@code tls:}: requests that begin
     * from now on use them. (Certificates and the HTTPS listener's {@code proxy_protocol} are the
     * {@link TlsTermination}'s, read per connection.)
     */
    public void applyHttps(TlsSettings settings) {
        dataPath.https = HttpsPolicy.of(Objects.requireNonNull(settings, "settings"));
    }

    /**
     * The handler of one HTTP client connection, outside any server: upstream channels come from
     * {@code connector} (called on the client's loop). For benchmarks and {@code EmbeddedChannel}
     * tests of the whole request path; the channel should have auto-read off, as the server's do.
     */
    public static ChannelHandler detachedHttpHandler(RouteTrie<Route> routes, ContainerGate gate, LocalEndpoints endpoints,
                                                     ProxyMetrics metrics, Timeouts timeouts, Limits limits,
                                                     UpstreamConnector connector) {
        return detachedHttpHandler(routes, gate, endpoints, metrics, timeouts, limits, connector, new AccessLog());
    }

    /** As the other {@code detachedHttpHandler}, logging each request to {@code accessLog}. */
    public static ChannelHandler detachedHttpHandler(RouteTrie<Route> routes, ContainerGate gate, LocalEndpoints endpoints,
                                                     ProxyMetrics metrics, Timeouts timeouts, Limits limits,
                                                     UpstreamConnector connector, AccessLog accessLog) {
        DataPath dp = new DataPath(new RouteTable(HostRouter.of(routes)), gate, endpoints, metrics, timeouts, limits,
                DEFAULT_PARK_DEADLINE, Transport.NIO, null, loop -> connector, HttpsPolicy.NONE);
        dp.accessLog = accessLog;
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(HTTP_FRONT, new HttpFrontHandler(dp, dp.kits(ch.eventLoop())));
            }
        };
    }

    /**
     * Logs every completed request to {@code accessLog} (which the caller owns, switches and
     * closes); requests that begin after this call use it.
     */
    public FrontServer accessLog(AccessLog accessLog) {
        dataPath.accessLog = Objects.requireNonNull(accessLog, "accessLog");
        return this;
    }

    /**
     * Takes the client address of requests from a peer in {@code proxies} from their
     * X-Forwarded-For (the right-most address not in {@code proxies}); requests that begin after
     * this call use it.
     */
    public FrontServer trustedProxies(CidrSet proxies) {
        dataPath.trustedProxies = Objects.requireNonNull(proxies, "proxies");
        return this;
    }

    /** Replaces the routes; requests whose head is parsed after this call use the new table. */
    public void updateRoutes(HostRouter routes) {
        dataPath.routes.replace(routes);
    }

    /** Replaces the routes with routes that name no host. */
    public void updateRoutes(RouteTrie<Route> routes) {
        updateRoutes(HostRouter.of(routes));
    }

    public HostRouter routes() {
        return dataPath.routes.current();
    }

    /** The bound HTTP address (after {@link #bind()}), or null before. */
    public synchronized @Nullable InetSocketAddress httpAddress() {
        return httpAddress;
    }

    /** The bound HTTPS address (after {@link #start()}), or null when there is no TLS. */
    public synchronized @Nullable InetSocketAddress httpsAddress() {
        return httpsAddress;
    }

    /** The bound TCP listener addresses, in the order of the specs. */
    public synchronized List<InetSocketAddress> tcpAddresses() {
        return List.copyOf(tcpAddresses);
    }

    /** Requests and TCP connections parked right now. */
    public int parkedCount() {
        return dataPath.parkingLot.occupied();
    }

    /** Open client connections (HTTP and TCP). */
    public int openConnections() {
        return clients.size();
    }

    /**
     * Graceful shutdown: stops accepting, closes idle keep-alive connections, lets in-flight
     * exchanges finish (their connections close after the response) for at most
     * {@code timeouts.drain}; then a request whose response has not started gets a 503 with
     * {@code Connection: close} (not an empty reply), and what is left is closed, with the idle
     * upstream connections. Blocks; must not be called from an event loop.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        listeners.close().awaitUninterruptibly();
        for (Channel ch : clients) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(Drain.STARTED));
        }
        long drainMillis = dataPath.timeouts.drain().toMillis();
        if (!clients.newCloseFuture().awaitUninterruptibly(drainMillis, TimeUnit.MILLISECONDS)) {
            for (Channel ch : clients) {
                ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(Drain.EXPIRED));
            }
            // time to write those 503s; their connections close once they are out
            clients.newCloseFuture().awaitUninterruptibly(EXPIRED_ANSWER_MILLIS, TimeUnit.MILLISECONDS);
        }
        clients.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        for (UpstreamPool pool : dataPath.pools()) {
            if (!pool.loop().isShuttingDown()) {
                pool.loop().submit(pool::close).awaitUninterruptibly(1, TimeUnit.SECONDS);
            }
        }
        resolver.close();
    }
}

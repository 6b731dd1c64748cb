package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.Limits;
import dev.wakegate.config.NoWake;
import dev.wakegate.config.TcpSpec;
import dev.wakegate.config.Timeouts;
import dev.wakegate.route.NoWakeRule;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import dev.wakegate.testing.CountingMetrics;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.TcpEchoServer;
import io.netty.channel.EventLoopGroup;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static dev.wakegate.testing.Loopback.freePort;
import static org.awaitility.Awaitility.await;

/**
 * A running proxy in front of two real HTTP upstreams ("a", "b") and a TCP echo, with a
 * {@link FakeGate} and {@link CountingMetrics}. Routes: /a → a, /b → b, /cold → a needing
 * container "app" (waiting page on), /held → b needing "db" (waiting page off), /dead → a closed
 * port, /health handled locally.
 */
final class ProxyHarness implements AutoCloseable {
    /** Generous: the test machine is shared and leak detection is paranoid. */
    static final Timeouts TIMEOUTS = Timeouts.DEFAULTS.withHeaderRead(Duration.ofSeconds(10))
            .withBodyRead(Duration.ofSeconds(10)).withIdleKeepAlive(Duration.ofSeconds(10))
            .withClientSend(Duration.ofSeconds(20))
            .withUpstreamConnect(Duration.ofSeconds(5)).withUpstreamSend(Duration.ofSeconds(20))
            .withUpstreamResponse(Duration.ofSeconds(20))
            .withUpstreamRead(Duration.ofSeconds(20)).withUpstreamIdle(Duration.ofSeconds(30))
            .withDrain(Duration.ofSeconds(5));
    /** For the timeout tests. */
    static final Timeouts SHORT = TIMEOUTS.withHeaderRead(Duration.ofMillis(800)).withBodyRead(Duration.ofMillis(800))
            .withIdleKeepAlive(Duration.ofMillis(800)).withClientSend(Duration.ofMillis(800))
            .withUpstreamConnect(Duration.ofSeconds(2))
            .withUpstreamSend(Duration.ofMillis(800))
            .withUpstreamResponse(Duration.ofMillis(800)).withUpstreamRead(Duration.ofMillis(800));

    /** The no_wake of the /nw-cold (app: not ready in ParkingTest and NoWakeTest) and /nw-warm (web: ready) routes. */
    static final NoWakeRule NO_WAKE = new NoWakeRule(new NoWake(List.of("UptimeRobot", "bot\\b"),
            List.of("/nw-cold/favicon.ico", "/nw-warm/robots.txt", "/nw-cold/.well-known/*"), List.of("OPTIONS")));

    final HttpTestServer a = new HttpTestServer("a");
    final HttpTestServer b = new HttpTestServer("b");
    final TcpEchoServer echo = new TcpEchoServer();
    final TcpEchoServer lateEcho = TcpEchoServer.answeringAfterHalfClose();
    final FakeGate gate;
    final CountingMetrics metrics = new CountingMetrics();
    final EventLoopGroup group = Transport.newEventLoopGroup(2);
    final FrontServer server;
    final int deadPort;

    ProxyHarness(FakeGate gate, Timeouts timeouts, Limits limits, LocalEndpoints endpoints) {
        this(gate, timeouts, limits, endpoints, 0);
    }

    /** With {@code /s} routed (no containers) to {@code scriptedPort} when it is not 0. */
    ProxyHarness(FakeGate gate, Timeouts timeouts, Limits limits, LocalEndpoints endpoints, int scriptedPort) {
        this(gate, timeouts, limits, endpoints, scriptedPort, h -> List.of());
    }

    /** With the routes {@code extra} made from the upstreams' ports, beside the usual ones. */
    ProxyHarness(FakeGate gate, Limits limits, LocalEndpoints endpoints, Function<ProxyHarness, List<Route>> extra) {
        this(gate, TIMEOUTS, limits, endpoints, 0, extra);
    }

    private ProxyHarness(FakeGate gate, Timeouts timeouts, Limits limits, LocalEndpoints endpoints, int scriptedPort,
                         Function<ProxyHarness, List<Route>> extraRoutes) {
        this.gate = gate;
        this.deadPort = freePort();
        RouteTrie.Builder<Route> builder = RouteTrie.builder();
        if (scriptedPort != 0) {
            builder.add("/s", new Route("/s", List.of(), hp(scriptedPort), true));
        }
        extraRoutes.apply(this).forEach(r -> builder.add(r.path(), r));
        RouteTrie<Route> routes = builder
                .add("/a", new Route("/a", List.of(), hp(a.port()), true))
                .add("/b", new Route("/b", List.of(), hp(b.port()), true))
                .add("/ws", new Route("/ws", List.of(), hp(a.port()), true))
                .add("/cold", new Route("/cold", List.of("app"), hp(a.port()), true))
                .add("/held", new Route("/held", List.of("db"), hp(b.port()), false))
                .add("/dead", new Route("/dead", List.of(), hp(deadPort), true))
                .add("/nw-cold", new Route("/nw-cold", List.of("app"), hp(a.port()), true, List.of(), null, NO_WAKE))
                .add("/nw-warm", new Route("/nw-warm", List.of("web"), hp(a.port()), true, List.of(), null, NO_WAKE))
                .build();
        List<TcpSpec> tcp = List.of(
                new TcpSpec(hp(freePort()), Optional.empty(), hp(echo.port())),
                new TcpSpec(hp(freePort()), Optional.of("pg"), hp(echo.port())),
                new TcpSpec(hp(freePort()), Optional.empty(), hp(lateEcho.port())));
        server = new FrontServer(hp(freePort()), routes, tcp, timeouts, limits, gate, endpoints,
                metrics, group).start();
    }

    ProxyHarness(FakeGate gate) {
        this(gate, TIMEOUTS, Limits.DEFAULTS, LocalEndpoints.NONE);
    }

    static HostPort hp(int port) {
        return new HostPort("127.0.0.1", port);
    }

    InetSocketAddress address() {
        return server.httpAddress();
    }

    RawHttpClient client() {
        return new RawHttpClient(address());
    }

    RawHttpClient client(int readTimeoutMillis) {
        return new RawHttpClient(address(), readTimeoutMillis);
    }

    /** Everything the data path counted is back to zero: no request in flight, nothing parked. */
    void awaitQuiet() {
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.inFlight() == 0 && server.parkedCount() == 0
                && metrics.parked.get() == 0);
    }

    @Override
    public void close() {
        server.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        a.close();
        b.close();
        echo.close();
        lateEcho.close();
    }
}

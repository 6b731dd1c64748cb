package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.Limits;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.RawHttpClient;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Binding the listeners: bound before accepting, and a failure says why in words. */
class FrontServerBindTest {
    private final EventLoopGroup group = Transport.newEventLoopGroup(1);
    private final HttpTestServer upstream = new HttpTestServer("a");

    @AfterEach
    void tearDown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        upstream.close();
    }

    private FrontServer server(HostPort listen) {
        RouteTrie<Route> routes = RouteTrie.<Route>builder()
                .add("/a", new Route("/a", List.of(), new HostPort("127.0.0.1", upstream.port()), true)).build();
        return new FrontServer(listen, routes, List.of(), ProxyHarness.TIMEOUTS, Limits.DEFAULTS, FakeGate.allReady(),
                LocalEndpoints.NONE, ProxyMetrics.NOOP, group);
    }

    @Test
    void boundServerAnswersOnlyOnceStarted() throws Exception {
        FrontServer s = server(new HostPort("127.0.0.1", 0)).bind();
        try (RawHttpClient c = new RawHttpClient(s.httpAddress(), 500)) {
            c.send("GET /a/x HTTP/1.1\r\nHost: t\r\n\r\n"); // the kernel queues the connection meanwhile
            assertThat(catchThrowableOfType(UncheckedIOException.class, c::read))
                    .hasCauseInstanceOf(SocketTimeoutException.class);
            c.socket().setSoTimeout(10_000);
            s.start();
            assertThat(c.read().status()).isEqualTo(200);
        } finally {
            s.close();
        }
    }

    @Test
    void portInUseIsRefusedNamingTheAddressAndTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            FrontServer s = server(new HostPort("127.0.0.1", taken.getLocalPort()));
            IllegalStateException e = catchThrowableOfType(IllegalStateException.class, s::start);
            assertThat(e.getMessage()).startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .endsWith("Address already in use");
            s.close();
        }
    }

    @Test
    void unresolvableListenHostIsRefusedInWordsNotNull() {
        // a malformed IPv6 literal: the JDK gives up without asking any DNS server
        FrontServer s = server(new HostPort("[1:zz]", 8000));
        IllegalStateException e = catchThrowableOfType(IllegalStateException.class, s::start);
        assertThat(e.getMessage()).endsWith(": cannot resolve host '[1:zz]'").doesNotContain("null");
        s.close();
    }
}

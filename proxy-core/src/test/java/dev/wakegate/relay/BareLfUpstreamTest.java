package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.Limits;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import dev.wakegate.testing.CountingMetrics;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream whose response heads end lines with a bare LF (busybox httpd's CGI output, older
 * servers) is served, as nginx and HAProxy serve it, and the client gets the head with CRLF line
 * ends: the lines this proxy read, not bytes a strict client could split differently.
 */
class BareLfUpstreamTest {
    private final EventLoopGroup group = Transport.newEventLoopGroup(1);
    private ServerSocket upstream;
    private Thread upstreamThread;
    private FrontServer server;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (upstreamThread != null) {
            upstreamThread.join(5_000);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Answers every request on a connection with {@code head} + "ok\n", keeping the connection. */
    private int rawUpstream(String head) throws IOException {
        upstream = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        upstreamThread = new Thread(() -> {
            try (Socket s = upstream.accept()) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                while (readHead(in) != null) {
                    out.write((head + "ok\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException closed) {
                // test over
            }
        }, "bare-lf-upstream");
        upstreamThread.setDaemon(true);
        upstreamThread.start();
        return upstream.getLocalPort();
    }

    private void proxyTo(int port) {
        HostPort up = new HostPort("127.0.0.1", port);
        RouteTrie<Route> routes = RouteTrie.<Route>builder().add("/", new Route("/", List.of(), up, true)).build();
        server = new FrontServer(new HostPort("127.0.0.1", 0), routes, List.of(), ProxyHarness.TIMEOUTS,
                Limits.DEFAULTS, new FakeGate(), LocalEndpoints.NONE, new CountingMetrics(), group).start();
    }

    @Test
    void bareLfResponseHeadsAreServedWithCrLfLineEnds() throws Exception {
        proxyTo(rawUpstream("HTTP/1.1 200 OK\nContent-Type: text/plain\r\nContent-Length: 3\n\n"));
        try (RawHttpClient c = new RawHttpClient(server.httpAddress())) {
            for (int i = 0; i < 2; i++) { // the upstream connection is kept and reused
                c.send("GET /cgi-bin/x HTTP/1.1\r\nHost: t\r\n\r\n");
                String head = readHead(c.input());
                assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
                assertThat(head.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
                assertThat(head).contains("Content-Length: 3\r\n");
                assertThat(new String(c.input().readNBytes(3), StandardCharsets.US_ASCII)).isEqualTo("ok\n");
            }
        }
    }

    @Test
    void aBareCrInAnUpstreamHeadIsStillRefused() throws Exception {
        proxyTo(rawUpstream("HTTP/1.1 200 OK\rX: 1\r\nContent-Length: 3\r\n\r\n"));
        try (RawHttpClient c = new RawHttpClient(server.httpAddress())) {
            assertThat(c.get("/x").status()).isEqualTo(502);
        }
    }

    /** Reads up to and including the empty line that ends a head (CRLF or LF); null at EOF. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        int prev2 = -1;
        for (;;) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            b.write(c);
            if (c == '\n' && (prev == '\n' || (prev == '\r' && prev2 == '\n'))) {
                return b.toString(StandardCharsets.US_ASCII);
            }
            prev2 = prev;
            prev = c;
        }
    }
}

package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.Limits;
import dev.wakegate.config.TcpSpec;
import dev.wakegate.net.CidrSet;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import dev.wakegate.testing.CountingMetrics;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.TcpEchoServer;
import io.netty.channel.EventLoopGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.wakegate.testing.Loopback.freePort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code proxy_protocol}: the PROXY header (v1 and v2) names the client, through real sockets. */
class ProxyProtocolTest {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private final ProxyHarness h = new ProxyHarness(FakeGate.allReady());

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        h.close();
    }

    private String forwardedFor() {
        List<HttpTestServer.Seen> seen = h.a.requests();
        return seen.get(seen.size() - 1).headers().get("X-Forwarded-For");
    }

    /** A v2 header: PROXY (or LOCAL) over TCP4 from {@code src}:{@code port}. */
    private static byte[] v2(boolean local, byte[] src, int port) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12);
        b.put(V2_SIGNATURE).put((byte) (local ? 0x20 : 0x21)).put((byte) 0x11).putShort((short) 12);
        b.put(src).put(new byte[] {10, 0, 0, 1}).putShort((short) port).putShort((short) 80);
        return b.array();
    }

    @Test
    void aV1HeaderNamesTheClientForTheForwardedForAndTheHeaderIsNotForwarded() {
        h.server.proxyProtocol(true);
        try (RawHttpClient c = h.client()) {
            c.send("PROXY TCP4 203.0.113.7 10.0.0.1 5555 80\r\nGET /a/x HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            c.send("GET /a/y HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().status()).as("the next request on the connection").isEqualTo(200);
        }
        assertThat(forwardedFor()).isEqualTo("203.0.113.7");
        assertThat(h.a.requests()).extracting(HttpTestServer.Seen::uri).containsExactly("/a/x", "/a/y");
    }

    @Test
    void aV2HeaderSplitAcrossWritesAndSentAloneIsRead() throws Exception {
        h.server.proxyProtocol(true);
        byte[] header = v2(false, new byte[] {(byte) 198, 51, 100, 9}, 4000);
        try (RawHttpClient c = h.client()) {
            c.send(java.util.Arrays.copyOf(header, 7));
            TimeUnit.MILLISECONDS.sleep(50); // two TCP segments: the point of the test, nothing to await
            c.send(java.util.Arrays.copyOfRange(header, 7, header.length));
            TimeUnit.MILLISECONDS.sleep(50);
            c.send("GET /a/v2 HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(forwardedFor()).isEqualTo("198.51.100.9");
    }

    @Test
    void aLocalHeaderKeepsTheSocketsAddress() {
        h.server.proxyProtocol(true);
        try (RawHttpClient c = h.client()) {
            c.send(v2(true, new byte[] {(byte) 198, 51, 100, 9}, 4000));
            c.send("GET /a/local HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(forwardedFor()).isEqualTo("127.0.0.1");
    }

    @Test
    void aConnectionWithoutTheHeaderIsClosedAndNothingReachesTheUpstream() throws Exception {
        h.server.proxyProtocol(true);
        try (RawHttpClient c = h.client(5000)) {
            c.send("GET /a/x HTTP/1.1\r\nHost: t\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(c::isClosedByServer);
        }
        assertThat(h.a.connectionsAccepted()).isZero();
    }

    @Test
    void theHeaderedClientIsWhatTrustedProxiesAndAllowListsSee() {
        h.server.proxyProtocol(true).trustedProxies(CidrSet.parse(List.of("10.0.0.0/8")));
        try (RawHttpClient c = h.client()) {
            // the load balancer (10.0.0.5, trusted) forwards for 203.0.113.7
            c.send("PROXY TCP4 10.0.0.5 10.0.0.1 5555 80\r\nGET /a/x HTTP/1.1\r\nHost: t\r\n"
                    + "X-Forwarded-For: 203.0.113.7\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(forwardedFor()).isEqualTo("203.0.113.7");
    }

    @Test
    void aTcpListenerReadsTheHeaderAndRelaysOnlyWhatFollows() throws Exception {
        try (TcpEchoServer echo = new TcpEchoServer()) {
            EventLoopGroup group = Transport.newEventLoopGroup(1);
            HostPort listen = ProxyHarness.hp(freePort());
            FrontServer server = new FrontServer(ProxyHarness.hp(freePort()), RouteTrie.<Route>builder().build(),
                    List.of(new TcpSpec(listen, Optional.empty(), ProxyHarness.hp(echo.port()), false, true)),
                    ProxyHarness.TIMEOUTS, Limits.DEFAULTS, FakeGate.allReady(), LocalEndpoints.NONE,
                    new CountingMetrics(), group).start();
            try (Socket s = new Socket("127.0.0.1", listen.port())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write("PROXY TCP4 203.0.113.7 10.0.0.1 5555 5432\r\nhello".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
                s.getOutputStream().write(" again".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(in.readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo(" again");
            } finally {
                server.close();
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

}

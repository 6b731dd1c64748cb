package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.config.TcpSpec;
import dev.wakegate.config.TlsSettings;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTable;
import dev.wakegate.testing.CountingMetrics;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.TcpEchoServer;
import dev.wakegate.testing.TestPki;
import dev.wakegate.testing.TestPki.Issued;
import dev.wakegate.testing.TestPki.KeyType;
import dev.wakegate.tls.TlsTermination;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.wakegate.relay.ProxyHarness.TIMEOUTS;
import static dev.wakegate.relay.ProxyHarness.hp;
import static dev.wakegate.testing.Loopback.freePort;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PROXY protocol before TLS: on the HTTPS listener ({@code tls.proxy_protocol}) and on a
 * TLS-terminating TCP listener, the header comes first, in plain bytes, then the handshake.
 */
class TlsProxyProtocolTest {
    @TempDir
    Path dir;
    private final HttpTestServer a = new HttpTestServer("a");
    private final TcpEchoServer echo = new TcpEchoServer();
    private final EventLoopGroup group = Transport.newEventLoopGroup(1);
    private TestPki pki;
    private TlsTermination tls;
    private FrontServer server;
    private int tcpPort;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki(dir);
        Issued app = pki.issue("app", KeyType.EC, "app.example.com");
        TlsSettings settings = new TlsSettings(hp(freePort()), List.of(app.files()), false, Optional.empty(),
                Optional.empty(), true);
        tls = TlsTermination.start(settings, SslProvider.JDK, Duration.ofSeconds(5), Clock.systemUTC());
        tcpPort = freePort();
        server = new FrontServer(hp(freePort()),
                new RouteTable(HostRouter.builder().add(new Route("/", List.of(), hp(a.port()), true)).build()),
                List.of(new TcpSpec(hp(tcpPort), Optional.empty(), hp(echo.port()), true, true)), TIMEOUTS,
                Limits.DEFAULTS, FakeGate.allReady(), LocalEndpoints.NONE, new CountingMetrics(), group,
                FrontServer.DEFAULT_PARK_DEADLINE, Optional.of(tls)).start();
    }

    @AfterEach
    void stop() {
        server.close();
        tls.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        a.close();
        echo.close();
    }

    /** A TLS connection to {@code port} whose first plain bytes are a PROXY v1 header for {@code client}. */
    private SSLSocket behindProxy(int port, String client) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        plain.getOutputStream().write(("PROXY TCP4 " + client + " 10.0.0.1 40000 443\r\n").getBytes(StandardCharsets.US_ASCII));
        SSLSocket s = (SSLSocket) pki.clientContext().getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName("app.example.com")));
        s.setSSLParameters(p);
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    @Test
    void theHttpsListenerReadsTheHeaderBeforeTheHandshake() throws Exception {
        try (SSLSocket s = behindProxy(server.httpsAddress().getPort(), "203.0.113.9")) {
            RawHttpClient c = new RawHttpClient(s);
            c.send("GET /x HTTP/1.1\r\nHost: app.example.com\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(a.requests().get(0).headers().get("X-Forwarded-For")).isEqualTo("203.0.113.9");
        assertThat(a.requests().get(0).headers().get("X-Forwarded-Proto")).isEqualTo("https");
    }

    @Test
    void aTlsTcpListenerReadsTheHeaderThenRelaysThePlainBytes() throws Exception {
        try (SSLSocket s = behindProxy(tcpPort, "203.0.113.9")) {
            s.getOutputStream().write("over tls".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(new String(s.getInputStream().readNBytes(8), StandardCharsets.US_ASCII)).isEqualTo("over tls");
        }
    }
}

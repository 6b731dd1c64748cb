package dev.wakegate.relay;

import static dev.wakegate.relay.ProxyHarness.TIMEOUTS;
import static dev.wakegate.testing.Loopback.freePort;
import static dev.wakegate.relay.ProxyHarness.hp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import dev.wakegate.testing.RawHttpClient.Response;
import dev.wakegate.testing.TcpEchoServer;
import dev.wakegate.testing.TestPki;
import dev.wakegate.testing.TestPki.Issued;
import dev.wakegate.testing.TestPki.KeyFormat;
import dev.wakegate.testing.TestPki.KeyType;
import dev.wakegate.testing.WebSocketTestClient;
import dev.wakegate.tls.CertificateStore;
import dev.wakegate.tls.TlsTermination;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS listener and a TLS-terminating TCP listener, on loopback, with certificates the test
 * makes, against real TLS clients (the JDK's SSLSocket, Netty's client, curl, openssl). Run once
 * with OpenSSL (netty-tcnative, {@link TlsListenerOpenSslTest}) and once with the JDK provider
 * ({@link TlsListenerJdkTest}).
 *
 * <p>Certificates, in config order: {@code www.example.net} (EC, the default), {@code app.example.com}
 * (RSA), {@code *.example.com} (EC). Routes: {@code app.example.com/} and {@code /ws} to upstream a,
 * {@code *.example.com/} to b, and without a host {@code /any} to a and
 * {@code /.well-known/acme-challenge} to b.
 */
abstract class TlsListenerTests {
    /** The TLS provider under test. */
    abstract SslProvider provider();

    @TempDir
    Path dir;

    private final HttpTestServer a = new HttpTestServer("a");
    private final HttpTestServer b = new HttpTestServer("b");
    private final TcpEchoServer echo = new TcpEchoServer();
    private final FakeGate gate = new FakeGate().notReady("pg");
    private final EventLoopGroup group = Transport.newEventLoopGroup(2);
    private TestPki pki;
    private Issued fallback;
    private Issued app;
    private Issued wildcard;
    private TlsTermination tls;
    private FrontServer server;
    private int httpsPort;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki(dir);
        fallback = pki.issue("www", KeyType.EC, "www.example.net");
        app = pki.issue("app", KeyType.RSA, "app.example.com");
        wildcard = pki.issue("wild", KeyType.EC, "*.example.com");
        httpsPort = freePort();
        TlsSettings settings = new TlsSettings(hp(httpsPort), List.of(fallback.files(), app.files(), wildcard.files()),
                true, Optional.empty(), Optional.of(Duration.ofDays(1)));
        tls = TlsTermination.start(settings, provider(), Duration.ofMillis(100), Clock.systemUTC());
        HostRouter routes = HostRouter.builder()
                .add(new Route("/", List.of(), hp(a.port()), true, List.of("app.example.com")))
                .add(new Route("/ws", List.of(), hp(a.port()), true, List.of("app.example.com")))
                .add(new Route("/", List.of(), hp(b.port()), true, List.of("*.example.com")))
                .add(new Route("/any", List.of(), hp(a.port()), true))
                .add(new Route("/.well-known/acme-challenge", List.of(), hp(b.port()), true))
                .build();
        List<TcpSpec> tcp = List.of(
                new TcpSpec(hp(freePort()), Optional.empty(), hp(echo.port()), true),
                new TcpSpec(hp(freePort()), Optional.of("pg"), hp(echo.port()), true));
        server = new FrontServer(hp(freePort()), new RouteTable(routes), tcp, TIMEOUTS, Limits.DEFAULTS, gate, LocalEndpoints.NONE,
                new CountingMetrics(), group, FrontServer.DEFAULT_PARK_DEADLINE, Optional.of(tls)).start();
    }

    @AfterEach
    void stop() {
        server.close();
        tls.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        a.close();
        b.close();
        echo.close();
    }

    private SSLSocket connect(String serverName, String... protocols) throws Exception {
        return pki.connect(server.httpsAddress().getPort(), serverName, protocols);
    }

    private static Response get(SSLSocket socket, String host, String path) {
        RawHttpClient c = new RawHttpClient(socket);
        c.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        return c.read();
    }

    private static long serial(X509Certificate c) {
        return c.getSerialNumber().longValue();
    }

    // ---------------------------------------------------------------- certificates by SNI

    @Test
    void theServerNameChoosesTheCertificateAndTheFirstOneServesEveryOtherClient() throws Exception {
        try (SSLSocket s = connect("app.example.com")) {
            assertThat(TestPki.served(s)).isEqualTo(app.leaf());
        }
        try (SSLSocket s = connect("shop.example.com")) {
            assertThat(TestPki.served(s)).isEqualTo(wildcard.leaf());
        }
        try (SSLSocket s = connect("a.b.example.com")) { // the wildcard covers one label only
            assertThat(TestPki.served(s)).isEqualTo(fallback.leaf());
        }
        try (SSLSocket s = connect("unknown.test")) {
            assertThat(TestPki.served(s)).isEqualTo(fallback.leaf());
        }
        try (SSLSocket s = connect(null)) {
            assertThat(TestPki.served(s)).isEqualTo(fallback.leaf());
        }
    }

    @Test
    void offersTls12And13OnlyWithIntermediateCiphersAndAlpnHttp11() throws Exception {
        try (SSLSocket s = connect("app.example.com", "TLSv1.3")) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
        }
        try (SSLSocket s = connect("app.example.com", "TLSv1.2")) {
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(s.getSession().getCipherSuite()).startsWith("TLS_ECDHE_RSA_WITH_");
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
        }
        // RSA key exchange and CBC are not in the intermediate list: no handshake
        assertThatThrownBy(() -> {
            try (Socket plain = new Socket("127.0.0.1", server.httpsAddress().getPort());
                 SSLSocket s = (SSLSocket) pki.clientContext().getSocketFactory()
                         .createSocket(plain, "127.0.0.1", plain.getPort(), true)) {
                SSLParameters p = s.getSSLParameters();
                p.setProtocols(new String[] {"TLSv1.2"});
                p.setCipherSuites(new String[] {"TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"});
                s.setSSLParameters(p);
                s.startHandshake();
            }
        }).isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void refusesTls11AsSeenByOpenssl() throws Exception {
        // the JDK client cannot even offer TLS 1.1 any more; openssl can, at security level 0
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + server.httpsAddress().getPort(),
                "-servername", "app.example.com", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0")
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("alert protocol version").contains("no peer certificate available")
                .doesNotContain("BEGIN CERTIFICATE");
    }

    // ---------------------------------------------------------------- routing and headers

    @Test
    void routesByHostOverTlsAndTellsTheUpstreamHttps() throws Exception {
        try (SSLSocket s = connect("app.example.com")) {
            Response r = get(s, "app.example.com:" + httpsPort, "/page");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Upstream")).isEqualTo("a");
            assertThat(r.header("Strict-Transport-Security")).isEqualTo("max-age=86400");
        }
        try (SSLSocket s = connect("shop.example.com")) {
            Response r = get(s, "SHOP.example.com", "/cart");
            assertThat(r.header("X-Upstream")).isEqualTo("b");
        }
        assertThat(a.requests().get(0).headers().get("X-Forwarded-Proto")).isEqualTo("https");
        assertThat(a.requests().get(0).headers().get("Host")).isEqualTo("app.example.com:" + httpsPort);
        assertThat(b.requests().get(0).headers().get("X-Forwarded-Proto")).isEqualTo("https");
    }

    @Test
    void aHostThatDisagreesWithTheServerNameGets421AndTheConnectionGoesOn() throws Exception {
        try (SSLSocket s = connect("app.example.com")) {
            RawHttpClient c = new RawHttpClient(s);
            c.send("GET /x HTTP/1.1\r\nHost: shop.example.com\r\n\r\n");
            Response misdirected = c.read();
            assertThat(misdirected.status()).isEqualTo(421);
            assertThat(misdirected.bodyText()).contains("TLS server name");
            c.send("GET /x HTTP/1.1\r\nHost: APP.example.com:" + httpsPort + "\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(b.requests()).isEmpty();
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void plainHttpIsRedirectedToHttpsExceptHealthAndAcmeChallenges() {
        try (RawHttpClient c = new RawHttpClient(server.httpAddress())) {
            c.send("GET /shop/cart?item=42&x=%20y HTTP/1.1\r\nHost: app.example.com:8000\r\n\r\n");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(308);
            assertThat(r.header("Location")).isEqualTo("https://app.example.com:" + httpsPort + "/shop/cart?item=42&x=%20y");
            assertThat(r.header("Strict-Transport-Security")).isNull();

            // a host without routes of its own: the routes without a host, where the challenge route is
            c.send("GET /.well-known/acme-challenge/token123 HTTP/1.1\r\nHost: www.example.net\r\n\r\n");
            Response acme = c.read();
            assertThat(acme.status()).isEqualTo(200);
            assertThat(acme.header("X-Upstream")).isEqualTo("b");

            c.send("GET /health/containers HTTP/1.1\r\nHost: app.example.com\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200); // no local endpoints here: routed like any path, not redirected
        }
        assertThat(b.requests()).hasSize(1);
        assertThat(b.requests().get(0).headers().get("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(a.requests()).extracting(HttpTestServer.Seen::uri).containsExactly("/health/containers");
    }

    @Test
    void theRedirectIsFollowedByCurlToTheHttpsListener() throws Exception {
        Process p = new ProcessBuilder("curl", "-sS", "-L", "--max-time", "15", "--cacert", pki.caFile().toString(),
                "--resolve", "app.example.com:" + server.httpAddress().getPort() + ":127.0.0.1",
                "--resolve", "app.example.com:" + httpsPort + ":127.0.0.1",
                "-o", "/dev/null", "-w", "%{http_code} %{url_effective} %{scheme}",
                "http://app.example.com:" + server.httpAddress().getPort() + "/hello?a=1")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).isEqualTo("200 https://app.example.com:" + httpsPort + "/hello?a=1 HTTPS");
        assertThat(a.requests()).hasSize(1);
        assertThat(a.requests().get(0).uri()).isEqualTo("/hello?a=1");
    }

    @Test
    void webSocketUpgradesWorkOverTls() throws Exception {
        try (WebSocketTestClient ws = new WebSocketTestClient(server.httpsAddress(), "/ws", pki.nettyClientContext(),
                "app.example.com")) {
            ws.sendText("over tls");
            assertThat(ws.next()).isEqualTo("echo:over tls");
            byte[] big = HttpTestServer.content(1024 * 1024);
            ws.sendBinary(big);
            assertThat(HttpTestServer.sha256((byte[]) ws.next())).isEqualTo(HttpTestServer.sha256(big));
        }
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void plainHttpOnTheTlsPortGets400AndTheListenerGoesOn() throws Exception {
        try (RawHttpClient c = new RawHttpClient(server.httpsAddress())) {
            c.send("GET / HTTP/1.1\r\nHost: app.example.com\r\n\r\n");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.bodyText()).contains("plain HTTP request was sent to the HTTPS port");
            assertThat(c.isClosedByServer()).isTrue();
        }
        try (SSLSocket s = connect("app.example.com")) {
            assertThat(get(s, "app.example.com", "/").status()).isEqualTo(200);
        }
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void handshakeGarbageClosesThatConnectionOnly() throws Exception {
        byte[][] garbage = {
                {0x16, 0x03, 0x01, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8},       // a handshake record that is no ClientHello
                {0x16, 0x03, 0x03, 0x7f, 0x7f, 0, 0, 0},                       // a record longer than what follows, then EOF
                {0x00, 0x01, 0x02, (byte) 0xff, (byte) 0xfe},                  // not TLS at all
                {0x16, 0x03, 0x01, 0x00, 0x30, 0x01, 0x00, 0x00, 0x2c, 0x03, 0x03}, // a truncated ClientHello
        };
        for (byte[] g : garbage) {
            try (Socket s = new Socket("127.0.0.1", server.httpsAddress().getPort())) {
                s.setSoTimeout(15_000);
                OutputStream out = s.getOutputStream();
                out.write(g);
                out.flush();
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                byte[] sink = new byte[4096];
                int n;
                do {
                    n = in.read(sink);
                } while (n > 0); // an alert may come first; then the close
                assertThat(n).isEqualTo(-1);
            } catch (java.net.SocketException reset) {
                // a reset is a close too
            }
        }
        try (SSLSocket s = connect("app.example.com")) {
            assertThat(get(s, "app.example.com", "/").status()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- TCP listeners with tls: true

    @Test
    void aTcpListenerTerminatesTlsAndRelaysThePlainBytes() throws Exception {
        int port = server.tcpAddresses().get(0).getPort();
        try (SSLSocket s = pki.connect(port, "shop.example.com")) {
            assertThat(TestPki.served(s)).isEqualTo(wildcard.leaf());
            s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            assertThat(new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("ping\n");
        }
        await().until(() -> echo.bytesReceived() == 5);
    }

    @Test
    void aTlsClientWaitingForItsContainerLosesNothingItSentAfterTheHandshake() throws Exception {
        int port = server.tcpAddresses().get(1).getPort();
        try (SSLSocket s = pki.connect(port, "app.example.com")) { // the handshake completes while parked
            s.getOutputStream().write("early bytes".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            await().until(() -> gate.awaitCalls.get() == 1);
            assertThat(echo.connectionsAccepted()).isZero();
            gate.makeReady("pg");
            assertThat(new String(s.getInputStream().readNBytes(11), StandardCharsets.US_ASCII)).isEqualTo("early bytes");
        }
    }

    // ---------------------------------------------------------------- certificate rotation

    @Test
    void aCertificateRenamedIntoPlaceServesNewHandshakesWhileOpenConnectionsGoOn() throws Exception {
        SSLSocket before = connect("app.example.com");
        RawHttpClient old = new RawHttpClient(before);
        assertThat(old.send("GET / HTTP/1.1\r\nHost: app.example.com\r\n\r\n").read().status()).isEqualTo(200);

        Issued renewed = pki.issue("app-renewed", KeyType.RSA, "app.example.com");
        renewed.renameOnto(app.files());

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (SSLSocket s = connect("app.example.com")) {
                return serial(TestPki.served(s)) == serial(renewed.leaf());
            }
        });
        assertThat(old.send("GET / HTTP/1.1\r\nHost: app.example.com\r\n\r\n").read().status()).isEqualTo(200);
        assertThat(serial(TestPki.served(before))).isEqualTo(serial(app.leaf()));
        old.close();
        assertThat(tls.store().reloads(1)).isEqualTo(1);
    }

    @Test
    void aCertificateWrittenInPlaceIsReloadedToo() throws Exception {
        Issued renewed = pki.issue("wild-renewed", KeyType.EC, KeyFormat.TRADITIONAL, Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(60)), "*.example.com");
        renewed.writeOnto(wildcard.files());

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (SSLSocket s = connect("shop.example.com")) {
                return serial(TestPki.served(s)) == serial(renewed.leaf());
            }
        });
        assertThat(tls.store().certificate(2).notAfter()).isEqualTo(renewed.leaf().getNotAfter().toInstant());
    }

    @Test
    void aBrokenExpiredOrMismatchedNewCertificateIsRefusedAndTheOldOneStays() throws Exception {
        CertificateStore store = tls.store();
        Files.writeString(app.cert(), "-----BEGIN CERTIFICATE-----\nhalf a file");
        await().atMost(Duration.ofSeconds(10)).until(() -> store.refusals(1) >= 1);
        assertThat(store.lastProblem(1)).startsWith(app.cert() + ": has no certificate");
        try (SSLSocket s = connect("app.example.com")) {
            assertThat(TestPki.served(s)).isEqualTo(app.leaf());
        }

        Issued expired = pki.issue("app-expired", KeyType.RSA, KeyFormat.PKCS8, Instant.now().minus(Duration.ofDays(9)),
                Instant.now().minus(Duration.ofDays(1)), "app.example.com");
        expired.renameOnto(app.files());
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(store.lastProblem(1)).contains("expired on"));

        Issued other = pki.issue("other-key", KeyType.RSA, "app.example.com");
        Files.copy(other.cert(), app.cert(), StandardCopyOption.REPLACE_EXISTING); // the key is still the expired one's
        await().atMost(Duration.ofSeconds(10))
                .until(() -> String.valueOf(store.lastProblem(1)).contains("does not belong to the certificate"));
        try (SSLSocket s = connect("app.example.com")) {
            assertThat(TestPki.served(s)).isEqualTo(app.leaf());
            assertThat(get(s, "app.example.com", "/").status()).isEqualTo(200);
        }
        assertThat(store.reloads(1)).isZero();

        Files.copy(other.key(), app.key(), StandardCopyOption.REPLACE_EXISTING); // the renewal completes
        await().atMost(Duration.ofSeconds(10)).until(() -> store.reloads(1) == 1);
        assertThat(store.lastProblem(1)).isNull();
        try (SSLSocket s = connect("app.example.com")) {
            assertThat(serial(TestPki.served(s))).isEqualTo(serial(other.leaf()));
        }
    }
}

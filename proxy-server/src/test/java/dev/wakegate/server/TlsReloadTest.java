package dev.wakegate.server;

import dev.wakegate.admin.ConfigReload.Outcome;
import dev.wakegate.admin.ConfigReload.Report;
import dev.wakegate.config.ConfigLoader;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.TestPki;
import dev.wakegate.testing.TestPki.Issued;
import dev.wakegate.testing.TestPki.KeyType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A live reload of {@code tls:} through real TLS sockets (generated certificates, no Docker engine):
 * certificates added and removed for new handshakes while open connections keep working, a broken
 * certificate refused with nothing changed, the HTTPS listener moved, redirect and HSTS switched.
 */
class TlsReloadTest {
    @TempDir
    Path dir;
    private final HttpTestServer upstream = new HttpTestServer("up");
    private final int port = Loopback.freePort();
    private final int tlsPort = Loopback.freePort();
    private TestPki pki;
    private Issued app;
    private Issued other;
    private Path file;
    private WakegateServer server;

    @BeforeEach
    void certificates() {
        pki = new TestPki(dir);
        app = pki.issue("app", KeyType.EC, "app.example.test");
        other = pki.issue("other", KeyType.RSA, "other.example.test");
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        upstream.close();
    }

    /** {@code tls:} on {@code tlsListen} with {@code certs} ("- { cert: .., key: .. }" lines) and {@code extra} keys. */
    private String config(int tlsListen, String extra, Issued... certs) {
        StringBuilder list = new StringBuilder();
        for (Issued c : certs) {
            list.append("    - { cert: ").append(c.cert()).append(", key: ").append(c.key()).append(" }\n");
        }
        return """
                listen: 127.0.0.1:%d
                docker: { host: "unix:///tmp/wakegate-no-engine-here.sock", labels: false }
                routes:
                  - { path: /, upstream: 127.0.0.1:%d }
                tls:
                  listen: 127.0.0.1:%d
                %s  certificates:
                %s""".formatted(port, upstream.port(), tlsListen, extra, list);
    }

    private void start(String yaml) throws Exception {
        file = dir.resolve("wakegate.yml");
        Files.writeString(file, yaml);
        server = WakegateServer.start(ConfigLoader.load(file, Map.of()));
    }

    private Report reloadWith(String yaml) throws Exception {
        Files.writeString(file, yaml);
        return server.reload().get(30, TimeUnit.SECONDS);
    }

    /** The subject CN of the leaf served to a new handshake with {@code serverName} on {@code tlsPort}. */
    private String servedTo(int onPort, String serverName) throws IOException {
        try (SSLSocket s = pki.connect(onPort, serverName)) {
            return TestPki.served(s).getSubjectX500Principal().getName();
        }
    }

    /** One keep-alive request on {@code s}: its response head (lower case), the body read. */
    private static String exchange(SSLSocket s, String host) throws IOException {
        s.getOutputStream().write(("GET /x HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        int i = h.indexOf("content-length:");
        if (i >= 0) {
            in.readNBytes(Integer.parseInt(h.substring(i + 15, h.indexOf('\r', i)).trim()));
        }
        return h;
    }

    private String metrics() {
        return server.metrics().prometheusText();
    }

    @Test
    void anAddedCertificateServesItsNameOnNewHandshakesAndAnOpenConnectionKeepsWorking() throws Exception {
        start(config(tlsPort, "", app));
        assertThat(servedTo(tlsPort, "other.example.test")).as("only app's certificate yet").isEqualTo("CN=app.example.test");
        try (SSLSocket open = pki.connect(tlsPort, "app.example.test")) {
            assertThat(exchange(open, "app.example.test")).startsWith("http/1.1 200");

            Report r = reloadWith(config(tlsPort, "", app, other));

            assertThat(r.outcome()).as("%s", r).isEqualTo(Outcome.APPLIED);
            assertThat(r.restartRequired()).isEmpty();
            assertThat(r.changes()).anyMatch(c -> c.startsWith("tls certificates"));
            assertThat(servedTo(tlsPort, "other.example.test")).isEqualTo("CN=other.example.test");
            assertThat(servedTo(tlsPort, "app.example.test")).isEqualTo("CN=app.example.test");
            assertThat(exchange(open, "app.example.test")).as("the connection opened before the reload")
                    .startsWith("http/1.1 200");
        }
        assertThat(metrics()).contains("cert=\"" + other.cert() + "\"").contains("cert=\"" + app.cert() + "\"");
    }

    @Test
    void aRemovedCertificateIsNoLongerServedAndItsMetersGo() throws Exception {
        start(config(tlsPort, "", app, other));
        assertThat(servedTo(tlsPort, "other.example.test")).isEqualTo("CN=other.example.test");
        assertThat(metrics()).contains("cert=\"" + other.cert() + "\"");

        Report r = reloadWith(config(tlsPort, "", app));

        assertThat(r.outcome()).as("%s", r).isEqualTo(Outcome.APPLIED);
        assertThat(servedTo(tlsPort, "other.example.test")).as("the default now").isEqualTo("CN=app.example.test");
        assertThat(metrics()).doesNotContain("cert=\"" + other.cert() + "\"").contains("cert=\"" + app.cert() + "\"");
    }

    @Test
    void aBrokenCertificateRefusesTheWholeReloadAndChangesNothing() throws Exception {
        start(config(tlsPort, "", app));
        Path broken = dir.resolve("broken.pem");
        Files.writeString(broken, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        Issued brokenCert = new Issued(broken, other.key(), other.leaf());
        int otherHttpPort = Loopback.freePort();

        Report r = reloadWith(config(tlsPort, "", app, brokenCert).replace("listen: 127.0.0.1:" + port,
                "listen: 127.0.0.1:" + otherHttpPort));

        assertThat(r.outcome()).as("%s", r).isEqualTo(Outcome.REFUSED);
        assertThat(r.file()).isEqualTo(file.toString());
        assertThat(r.key()).isEqualTo("tls.certificates[1].cert");
        assertThat(r.reason()).contains(broken.toString());
        assertThat(server.httpAddress().getPort()).as("the http listener did not move").isEqualTo(port);
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", otherHttpPort).close()).isInstanceOf(ConnectException.class);
        assertThat(servedTo(tlsPort, "other.example.test")).isEqualTo("CN=app.example.test");
        assertThat(metrics()).contains("wakegate_config_reloads_total{result=\"refused\"} 1.0")
                .doesNotContain(broken.toString());
    }

    @Test
    void tlsListenMovesTheHttpsListenerAndItsOpenConnectionsStay() throws Exception {
        start(config(tlsPort, "", app));
        int newTlsPort = Loopback.freePort();
        try (SSLSocket open = pki.connect(tlsPort, "app.example.test")) {
            Report r = reloadWith(config(newTlsPort, "", app));

            assertThat(r.outcome()).as("%s", r).isEqualTo(Outcome.APPLIED);
            assertThat(r.changes()).anyMatch(c -> c.startsWith("https listener moved"));
            assertThat(server.httpsAddress().getPort()).isEqualTo(newTlsPort);
            assertThat(servedTo(newTlsPort, "app.example.test")).isEqualTo("CN=app.example.test");
            assertThatThrownBy(() -> pki.connect(tlsPort, "app.example.test")).isInstanceOf(ConnectException.class);
            assertThat(exchange(open, "app.example.test")).startsWith("http/1.1 200");
        }
    }

    @Test
    void aTlsListenInUseFailsTheReloadAndChangesNothing() throws Exception {
        start(config(tlsPort, "", app));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Report r = reloadWith(config(taken.getLocalPort(), "", app, other));

            assertThat(r.outcome()).as("%s", r).isEqualTo(Outcome.FAILED);
            assertThat(r.key()).isEqualTo("tls.listen");
        }
        assertThat(server.httpsAddress().getPort()).isEqualTo(tlsPort);
        assertThat(servedTo(tlsPort, "other.example.test")).as("the new certificate list was not used")
                .isEqualTo("CN=app.example.test");
    }

    @Test
    void hstsAndTheRedirectApplyToNewRequests() throws Exception {
        start(config(tlsPort, "", app));
        try (SSLSocket s = pki.connect(tlsPort, "app.example.test")) {
            assertThat(exchange(s, "app.example.test")).doesNotContain("strict-transport-security");
        }

        Report r = reloadWith(config(tlsPort, "  redirect_http: true\n  hsts: 1d\n", app));

        assertThat(r.outcome()).as("%s", r).isEqualTo(Outcome.APPLIED);
        assertThat(r.restartRequired()).isEmpty();
        try (SSLSocket s = pki.connect(tlsPort, "app.example.test")) {
            assertThat(exchange(s, "app.example.test")).contains("strict-transport-security: max-age=86400");
        }
        try (dev.wakegate.testing.RawHttpClient c = new dev.wakegate.testing.RawHttpClient(
                new java.net.InetSocketAddress("127.0.0.1", port))) {
            var resp = c.get("/x");
            assertThat(resp.status()).isEqualTo(308);
        }
    }

    @Test
    void addingOrRemovingTheWholeTlsSectionStillNeedsARestart() throws Exception {
        start(config(tlsPort, "", app));

        Report r = reloadWith(config(tlsPort, "", app).substring(0, config(tlsPort, "", app).indexOf("tls:")));

        assertThat(r.outcome()).as("%s", r).isEqualTo(Outcome.APPLIED);
        assertThat(r.restartRequired()).anyMatch(s -> s.startsWith("tls"));
        assertThat(servedTo(tlsPort, "app.example.test")).as("kept running").isEqualTo("CN=app.example.test");
    }
}

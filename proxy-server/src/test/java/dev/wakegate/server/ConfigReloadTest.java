package dev.wakegate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wakegate.admin.ConfigReload.Outcome;
import dev.wakegate.admin.ConfigReload.Report;
import dev.wakegate.config.ConfigLoader;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import dev.wakegate.testing.TcpEchoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A live reload of the whole server (no Docker engine: the containers are only managed, never
 * started), through real sockets: what changes, what in flight is left alone, what is refused.
 */
class ConfigReloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final HttpTestServer a = new HttpTestServer("a");
    private final HttpTestServer b = new HttpTestServer("b");
    private final TcpEchoServer echo = new TcpEchoServer();
    private final int port = Loopback.freePort();
    private Path file;
    private WakegateServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        a.close();
        b.close();
        echo.close();
    }

    private String base() {
        return """
                listen: 127.0.0.1:%d
                docker: { host: "unix:///tmp/wakegate-no-engine-here.sock", labels: false }
                """.formatted(port);
    }

    /** Routes /a to a and a managed container x; /health open. */
    private String fileA() {
        return base() + """
                containers:
                  x: {}
                routes:
                  - { path: /a, upstream: 127.0.0.1:%d }
                  - { path: /both, upstream: 127.0.0.1:%d }
                """.formatted(a.port(), a.port());
    }

    /** Routes /b to b instead, container y instead of x, a body limit, a tcp listener, an access log. */
    private String fileB(int tcpPort) {
        return base() + """
                containers:
                  y: {}
                routes:
                  - { path: /b, upstream: 127.0.0.1:%d }
                  - { path: /both, upstream: 127.0.0.1:%d }
                limits: { max_body: 10 }
                timeouts: { header_read: 7s }
                tcp:
                  - { listen: 127.0.0.1:%d, upstream: 127.0.0.1:%d }
                access_log: { path: access.log, format: json }
                """.formatted(b.port(), b.port(), tcpPort, echo.port());
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

    private RawHttpClient client() {
        return new RawHttpClient(new InetSocketAddress("127.0.0.1", port));
    }

    private int status(String path) {
        try (RawHttpClient c = client()) {
            return c.get(path).status();
        }
    }

    @Test
    void routesContainersLimitsListenersAndTheAccessLogChangeWithoutARestart() throws Exception {
        start(fileA());
        assertThat(status("/a/1")).isEqualTo(200);
        assertThat(status("/b/1")).isEqualTo(404);
        assertThat(server.lifecycle().isManaged("x")).isTrue();
        int tcpPort = Loopback.freePort();

        Report r = reloadWith(fileB(tcpPort));

        assertThat(r.outcome()).as("%s", r).isEqualTo(Outcome.APPLIED);
        assertThat(r.restartRequired()).isEmpty();
        assertThat(r.changes()).anyMatch(c -> c.contains("routes")).anyMatch(c -> c.contains("tcp listener"))
                .anyMatch(c -> c.contains("access log")).anyMatch(c -> c.contains("container y is managed"))
                .anyMatch(c -> c.contains("container x is no longer managed"));
        assertThat(status("/b/1")).isEqualTo(200);
        assertThat(status("/a/1")).isEqualTo(404);
        assertThat(server.lifecycle().isManaged("y")).isTrue();
        assertThat(server.lifecycle().isManaged("x")).isFalse();
        try (RawHttpClient c = client()) {
            c.send("POST /b/up HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world");
            assertThat(c.read().status()).as("limits.max_body of the new file").isEqualTo(413);
        }
        try (Socket s = new Socket("127.0.0.1", tcpPort)) {
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
        }
        Path access = dir.resolve("access.log");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(access) && Files.readString(access).contains("/b/1"));
    }

    @Test
    void inFlightRequestsAndOpenTcpConnectionsOutliveAReloadThatRemovesTheirRoutes() throws Exception {
        int tcpPort = Loopback.freePort();
        start(fileB(tcpPort));
        try (Socket tcp = new Socket("127.0.0.1", tcpPort); RawHttpClient slow = client()) {
            slow.send("GET /b/slow?delay=1500 HTTP/1.1\r\nHost: t\r\n\r\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> b.requests().size() == 1);

            Report r = reloadWith(fileA()); // no /b, no tcp listener
            assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);

            Response answer = slow.read();
            assertThat(answer.status()).as("the request in flight when its route went").isEqualTo(200);
            assertThat(answer.header("X-Upstream")).isEqualTo("b");
            OutputStream out = tcp.getOutputStream();
            InputStream in = tcp.getInputStream();
            out.write("still".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).as("the open TCP connection").isEqualTo("still");
        }
        assertThat(status("/b/x")).isEqualTo(404);
        assertThatThrownBy(() -> new Socket("127.0.0.1", tcpPort).close()).as("the closed listener")
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aBadFileIsRefusedWithFileKeyAndReasonOverThePostAndTheRunningConfigStays() throws Exception {
        start(fileA());
        Files.writeString(file, base() + "routes:\n  - { path: /a, upstream: 'nowhere:' }\n");
        try (RawHttpClient c = client()) {
            c.send("POST /health/config/reload HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            JsonNode problem = JSON.readTree(r.body());
            assertThat(problem.get("file").asText()).isEqualTo(file.toString());
            assertThat(problem.get("key").asText()).isEqualTo("routes[0].upstream");
            assertThat(problem.get("reason").asText()).isNotBlank();
            assertThat(problem.get("detail").asText()).contains("the running configuration stays");
        }
        assertThat(status("/a/1")).isEqualTo(200);
        assertThat(server.lifecycle().isManaged("x")).isTrue();
        assertThat(server.metrics().prometheusText())
                .contains("wakegate_config_reloads_total{result=\"refused\"} 1.0")
                .contains("wakegate_config_reloads_total{result=\"applied\"} 0.0");
    }

    @Test
    void aListenerThatCannotBeBoundFailsTheReloadAndChangesNothing() throws Exception {
        start(fileA());
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Report r = reloadWith(fileB(taken.getLocalPort()));
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.key()).isEqualTo("tcp");
            assertThat(r.reason()).contains("127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(status("/a/1")).isEqualTo(200);
        assertThat(status("/b/1")).isEqualTo(404);
        assertThat(server.accessLogSettings()).as("the access log the failed reload opened was switched back off").isEmpty();
        assertThat(server.metrics().prometheusText()).contains("wakegate_config_reloads_total{result=\"failed\"} 1.0");
    }

    @Test
    void whatCannotChangeLiveIsReportedAndKeepsItsRunningValue() throws Exception {
        start(fileA());
        Report r = reloadWith(fileA().replace("labels: false }", "labels: false }\nworkers: 7\nautomation: { idle_timeout: 3m }"));
        assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(r.restartRequired()).anyMatch(s -> s.startsWith("workers")).anyMatch(s -> s.startsWith("automation"));
        try (RawHttpClient c = client()) {
            c.send("POST /health/config/reload HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
            Response resp = c.read();
            assertThat(resp.status()).isEqualTo(200);
            JsonNode body = JSON.readTree(resp.body());
            assertThat(body.get("status").asText()).isEqualTo("reloaded");
            assertThat(body.get("restart_required")).extracting(JsonNode::asText).anyMatch(s -> s.startsWith("workers"));
        }
    }

}

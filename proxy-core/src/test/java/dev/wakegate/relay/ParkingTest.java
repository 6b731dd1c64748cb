package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static dev.wakegate.testing.HttpTestServer.content;
import static dev.wakegate.testing.HttpTestServer.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Cold routes: parking until the (fake) gate says ready, start failures, the waiting page, the cap. */
class ParkingTest {
    private final FakeGate gate = new FakeGate().notReady("app", "db", "pg");
    private ProxyHarness h = new ProxyHarness(gate);

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        h.close();
    }

    @Test
    void parkedRequestIsForwardedOnceTheContainerIsReady() {
        try (RawHttpClient c = h.client()) {
            c.send("POST /held/x HTTP/1.1\r\nHost: t\r\nAccept: */*\r\nContent-Length: 5\r\n\r\nhello");
            await().until(() -> h.server.parkedCount() == 1);
            assertThat(h.metrics.parked.get()).isEqualTo(1);
            assertThat(h.b.bytesReceived()).isZero();
            gate.makeReady("db");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Upstream")).isEqualTo("b");
            assertThat(r.bodyText()).isEqualTo("hello");
            assertThat(c.get("/held/again").status()).isEqualTo(200); // now warm
        }
        assertThat(gate.awaitCalls.get()).isEqualTo(1);
    }

    @Test
    void parkedUploadLargerThanTheParkBufferIsForwardedWhole() throws Exception {
        byte[] body = content(24 * 1024 * 1024); // more than loopback socket buffers absorb
        try (RawHttpClient c = h.client()) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() ->
                    c.send("PUT /held/big HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n").send(body));
            await().until(() -> h.server.parkedCount() == 1);
            Thread.sleep(200);
            assertThat(sending).isNotDone(); // reading stopped at the park buffer: the client is blocked
            gate.makeReady("db");
            Response r = c.read();
            sending.get();
            assertThat(r.header("X-Body-Sha256")).isEqualTo(sha256(body));
        }
    }

    @Test
    void startFailureGives503ProblemNamingTheContainer() {
        try (RawHttpClient c = h.client()) {
            c.send("GET /held/x HTTP/1.1\r\nHost: t\r\nAccept: application/json\r\n\r\n");
            await().until(() -> h.server.parkedCount() == 1);
            gate.fail("db", new StartFailure("db", StartFailure.Kind.FAILED, "exit code 1"));
            Response r = c.read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("5");
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(r.bodyText()).isEqualTo("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\","
                    + "\"status\":503,\"detail\":\"exit code 1\",\"container\":\"db\"}");
            assertThat(c.get("/a/next").status()).isEqualTo(200); // still usable
        }
        assertThat(h.b.bytesReceived()).isZero();
    }

    @Test
    void browserNavigationGetsTheWaitingPageAndTriggersTheStart() {
        try (RawHttpClient c = h.client()) {
            c.send("GET /cold/page HTTP/1.1\r\nHost: t\r\n"
                    + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\r\n");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Retry-After")).isEqualTo("2"); // the page's own refresh, with scripts off
            assertThat(r.header("Cache-Control")).isEqualTo("no-store");
            assertThat(r.header("Content-Type")).startsWith("text/html");
            assertThat(r.bodyText()).contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>",
                    "data-wake=\"/health/wake/app\"", "data-name=\"app\"");
            assertThat(gate.awaitCalls.get()).isEqualTo(1);
            assertThat(h.server.parkedCount()).isZero();
        }
        assertThat(h.a.bytesReceived()).isZero();
    }

    @Test
    void routeWithoutWaitingPageParksBrowserNavigations() {
        try (RawHttpClient c = h.client()) {
            c.send("GET /held/page HTTP/1.1\r\nHost: t\r\nAccept: text/html\r\n\r\n");
            await().until(() -> h.server.parkedCount() == 1);
            gate.makeReady("db");
            assertThat(c.read().status()).isEqualTo(200);
        }
    }

    @Test
    void parkedClientThatDisconnectsLeavesNothingHeld() {
        try (RawHttpClient c = h.client()) {
            c.send("POST /held/x HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n" + "z".repeat(50_000));
            await().until(() -> h.server.parkedCount() == 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> h.server.parkedCount() == 0 && gate.inFlight() == 0
                && h.metrics.parked.get() == 0);
        gate.makeReady("db"); // the forgotten request must not be forwarded now
        assertThat(h.b.bytesReceived()).isZero();
    }

    @Test
    void parkingBeyondTheCapGets503() {
        h.close();
        h = new ProxyHarness(gate, ProxyHarness.TIMEOUTS, new Limits(8192, 32768, 100, 65536, 1), LocalEndpoints.NONE);
        try (RawHttpClient first = h.client(); RawHttpClient second = h.client()) {
            first.send("GET /held/1 HTTP/1.1\r\nHost: t\r\n\r\n");
            await().until(() -> h.server.parkedCount() == 1);
            Response r = second.get("/held/2");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.bodyText()).contains("\"container\":\"db\"");
            gate.makeReady("db");
            assertThat(first.read().status()).isEqualTo(200);
        }
    }

    @Test
    void tcpConnectionIsHeldUntilItsContainerIsReady() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.server.tcpAddresses().get(1).getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(HttpTestServer.ascii("ping"));
            await().until(() -> h.server.parkedCount() == 1);
            assertThat(h.echo.connectionsAccepted()).isZero();
            gate.makeReady("pg");
            assertThat(s.getInputStream().readNBytes(4)).isEqualTo(HttpTestServer.ascii("ping"));
            await().until(() -> gate.openConnections() == 1);
        }
        await().until(() -> gate.openConnections() == 0);
    }

    @Test
    void tcpConnectionWhoseContainerFailsToStartIsClosedAndGivesUpItsPlace() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.server.tcpAddresses().get(1).getPort())) {
            s.setSoTimeout(10_000);
            await().until(() -> h.server.parkedCount() == 1);
            gate.fail("pg", new StartFailure("pg", StartFailure.Kind.FAILED, "exit code 1"));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            await().until(() -> h.server.parkedCount() == 0 && h.metrics.parked.get() == 0);
        }
        assertThat(h.echo.connectionsAccepted()).isZero();
        await().until(() -> gate.openConnections() == 0);
    }

    @Test
    void tcpConnectionBeyondTheCapIsClosed() throws Exception {
        h.close();
        h = new ProxyHarness(gate, ProxyHarness.TIMEOUTS, new Limits(8192, 32768, 100, 65536, 1), LocalEndpoints.NONE);
        try (RawHttpClient first = h.client()) {
            first.send("GET /held/1 HTTP/1.1\r\nHost: t\r\n\r\n");
            await().until(() -> h.server.parkedCount() == 1);
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", h.server.tcpAddresses().get(1).getPort())) {
                s.setSoTimeout(10_000);
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(h.server.parkedCount()).isEqualTo(1);
            gate.makeReady("db");
            assertThat(first.read().status()).isEqualTo(200);
        }
        assertThat(h.echo.connectionsAccepted()).isZero();
    }
}

package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.config.Timeouts;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import dev.wakegate.testing.ScriptedUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code timeouts.body_read} (800 ms here): the time allowed between two reads of a request body
 * while the proxy waits for it. A client that stops sending gets a 408 and a close (or just the
 * close once the response has started); the upstream connection that got part of the body is
 * closed; the request stops counting as in flight. A body that keeps coming, however slowly, and
 * a client waiting for the 100 Continue it asked for, are not cut.
 */
class BodyReadTimeoutTest {
    private static final String STALLED_HEAD = "POST %s HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n";
    private static final String TEN_BYTES = "0123456789";

    private ScriptedUpstream scripted;
    private ProxyHarness h;

    private void start(FakeGate gate, Timeouts timeouts, ScriptedUpstream s) {
        scripted = s;
        h = new ProxyHarness(gate, timeouts, Limits.DEFAULTS, LocalEndpoints.NONE, s == null ? 0 : s.port());
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.awaitQuiet();
            h.close();
        }
        if (scripted != null) {
            scripted.close();
            assertThat(scripted.failures()).isEmpty();
        }
    }

    @Test
    void bodyThatStopsArrivingGets408AndTheUpstreamConnectionIsClosed() {
        start(FakeGate.allReady(), ProxyHarness.SHORT, new ScriptedUpstream(conn -> {
            conn.readHead();
            conn.awaitClosedByPeer(20_000);
        }));
        try (RawHttpClient c = h.client()) {
            long t0 = System.nanoTime();
            c.send(STALLED_HEAD.formatted("/s/upload") + TEN_BYTES);
            Response r = c.read();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.bodyText()).contains("request body not received");
            assertThat(millis).isBetween(700L, 5_000L);
            assertThat(c.isClosedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> scripted.connectionsClosedByProxy() == 1);
        assertThat(h.gate.inFlight()).isZero();
        assertThat(h.metrics.completed).containsExactly("/s 408");
    }

    @Test
    void fiftyStalledUploadsAreAllAnsweredAndStopCountingAsInFlight() {
        start(FakeGate.allReady(), ProxyHarness.SHORT, null);
        java.util.List<RawHttpClient> clients = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                clients.add(h.client().send(STALLED_HEAD.formatted("/a/upload-" + i) + TEN_BYTES));
            }
            await().until(() -> h.gate.inFlight() == 50);
            for (RawHttpClient c : clients) {
                assertThat(c.read().status()).isEqualTo(408);
            }
        } finally {
            clients.forEach(RawHttpClient::close);
        }
        assertThat(h.gate.inFlight()).isZero();
        assertThat(h.a.requests()).as("no upstream ever had a whole request").isEmpty();
    }

    @Test
    void parkedRequestWhoseBodyStopsGets408AndLeavesTheParkingLot() {
        start(new FakeGate().notReady("db"), ProxyHarness.SHORT, null);
        try (RawHttpClient c = h.client()) {
            c.send(STALLED_HEAD.formatted("/held/upload") + TEN_BYTES);
            await().until(() -> h.server.parkedCount() == 1);
            Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(h.server.parkedCount()).isZero();
        assertThat(h.b.bytesReceived()).isZero();
    }

    @Test
    void bodyThatKeepsTricklingWithinTheTimeoutIsNotCut() throws Exception {
        start(FakeGate.allReady(), ProxyHarness.SHORT, null);
        try (RawHttpClient c = h.client()) {
            c.send("POST /a/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n");
            for (int i = 0; i < 10; i++) { // 10 x 300 ms: far longer than body_read in all, never between two reads
                Thread.sleep(300);
                c.send(TEN_BYTES);
            }
            Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Body-Length")).isEqualTo("100");
        }
    }

    @Test
    void bodyThatStopsAfterTheResponseStartedClosesWithout408() throws Exception {
        start(FakeGate.allReady(), ProxyHarness.SHORT, new ScriptedUpstream(conn -> {
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nearly\r\n");
            conn.awaitClosedByPeer(20_000);
        }));
        try (RawHttpClient c = h.client(20_000)) {
            c.send(STALLED_HEAD.formatted("/s/upload") + TEN_BYTES);
            String all = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1); // until the close
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").contains("5\r\nearly\r\n").doesNotContain("408");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> scripted.connectionsClosedByProxy() == 1);
    }

    @Test
    void waitingForTheUpstreams100ContinueIsNotTimedAsABodyStall() throws Exception {
        Timeouts slowContinue = ProxyHarness.SHORT.withUpstreamResponse(Duration.ofSeconds(10));
        start(FakeGate.allReady(), slowContinue, new ScriptedUpstream(conn -> {
            conn.readHead();
            Thread.sleep(2_000); // longer than body_read before the go-ahead
            conn.write("HTTP/1.1 100 Continue\r\n\r\n");
            byte[] body = conn.readBytes(5);
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + new String(body, StandardCharsets.ISO_8859_1));
            conn.awaitClosedByPeer(20_000);
        }));
        try (RawHttpClient c = h.client()) {
            c.send("POST /s/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            c.send("hello");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello");
        }
    }
}

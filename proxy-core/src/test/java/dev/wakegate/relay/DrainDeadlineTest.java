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
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a request still under way when the drain deadline ({@code timeouts.drain}, 1 s here) passes
 * gets: a 503 with {@code Connection: close} when its response has not started (waiting for the
 * upstream, or parked), never an empty reply; a response that has started is cut.
 */
class DrainDeadlineTest {
    private static final Timeouts TIMEOUTS = ProxyHarness.TIMEOUTS.withDrain(Duration.ofSeconds(1));

    private ScriptedUpstream scripted;
    private ProxyHarness h;

    private void start(FakeGate gate, ScriptedUpstream s) {
        scripted = s;
        h = new ProxyHarness(gate, TIMEOUTS, Limits.DEFAULTS, LocalEndpoints.NONE, s == null ? 0 : s.port());
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
            assertThat(h.gate.inFlight()).isZero();
        }
        if (scripted != null) {
            scripted.close();
        }
    }

    @Test
    void requestWaitingForItsUpstreamAtTheDeadlineGets503WithConnectionClose() throws Exception {
        start(FakeGate.allReady(), null);
        try (RawHttpClient c = h.client()) {
            c.send("GET /a/slow?delay=8000 HTTP/1.1\r\nHost: t\r\n\r\n");
            await().until(() -> h.a.requests().size() == 1);
            long t0 = System.nanoTime();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(h.server::close);
            Response r = c.read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.header("Retry-After")).isNotNull();
            assertThat(r.bodyText()).contains("shutting down");
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(900L, 5_000L);
            assertThat(c.isClosedByServer()).isTrue();
            closing.get();
        }
        assertThat(h.metrics.completed).containsExactly("/a 503");
    }

    @Test
    void parkedRequestAtTheDeadlineGets503() throws Exception {
        start(new FakeGate().notReady("db"), null);
        try (RawHttpClient c = h.client()) {
            c.send("GET /held/x HTTP/1.1\r\nHost: t\r\n\r\n");
            await().until(() -> h.server.parkedCount() == 1);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(h.server::close);
            Response r = c.read();
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("Connection")).isEqualTo("close");
            closing.get();
        }
        assertThat(h.server.parkedCount()).isZero();
    }

    @Test
    void responseAlreadyUnderWayIsCutNotFollowedByA503() throws Exception {
        start(FakeGate.allReady(), new ScriptedUpstream(conn -> {
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial");
            conn.awaitClosedByPeer(20_000);
        }));
        try (RawHttpClient c = h.client(20_000)) {
            c.send("GET /s/x HTTP/1.1\r\nHost: t\r\n\r\n");
            await().until(() -> scripted.heads().size() == 1);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(h.server::close);
            String all = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").endsWith("partial").doesNotContain("503");
            closing.get();
        }
    }
}

package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import dev.wakegate.testing.ScriptedUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code timeouts.upstream_read} (800 ms here): the time allowed between two reads of a response
 * body from the upstream. An upstream that goes silent mid-body has both connections closed and
 * the failure counted; one that keeps sending slowly is not cut, nor is a response paused because
 * the client reads slowly (the proxy is not waiting on the upstream then).
 */
class UpstreamReadTimeoutTest {
    private ScriptedUpstream scripted;
    private ProxyHarness h;

    private void start(ScriptedUpstream s) {
        scripted = s;
        // client_send long enough for the slow reader below: this class is about the upstream side
        h = new ProxyHarness(FakeGate.allReady(), ProxyHarness.SHORT.withClientSend(Duration.ofSeconds(20)),
                Limits.DEFAULTS, LocalEndpoints.NONE, s == null ? 0 : s.port());
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
    void upstreamThatStallsMidBodyHasBothSidesClosedAndIsCounted() throws Exception {
        start(new ScriptedUpstream(conn -> {
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
            conn.awaitClosedByPeer(20_000);
        }));
        try (RawHttpClient c = h.client(20_000)) {
            long t0 = System.nanoTime();
            c.send("GET /s/big HTTP/1.1\r\nHost: t\r\n\r\n");
            String all = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1); // until the close
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat(all).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n0123456789");
            assertThat(millis).isBetween(700L, 10_000L);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> scripted.connectionsClosedByProxy() == 1);
        assertThat(h.metrics.upstreamErrors).containsExactly("127.0.0.1:" + scripted.port() + " read_timeout");
        assertThat(h.gate.inFlight()).isZero();
    }

    @Test
    void upstreamThatKeepsSendingSlowlyIsNotCut() {
        start(new ScriptedUpstream(conn -> {
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
            for (char ch : "0123456789".toCharArray()) { // 10 x 300 ms: long in all, short between two reads
                Thread.sleep(300);
                conn.write(String.valueOf(ch));
            }
            conn.awaitClosedByPeer(20_000);
        }));
        try (RawHttpClient c = h.client()) {
            Response r = c.get("/s/slow");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("0123456789");
        }
        assertThat(h.metrics.upstreamErrors).isEmpty();
    }

    @Test
    void responsePausedForASlowClientIsNotTimedOut() throws Exception {
        start(null);
        int size = 32 * 1024 * 1024;
        try (RawHttpClient c = h.client(20_000)) {
            c.send("GET /b/file?size=" + size + " HTTP/1.1\r\nHost: t\r\n\r\n");
            InputStream in = c.input();
            byte[] first = in.readNBytes(64 * 1024);
            Thread.sleep(2_000); // the client reads nothing for longer than upstream_read
            String text = new String(first, StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n") + 4;
            byte[] rest = in.readNBytes(size - (first.length - headEnd));
            byte[] body = new byte[size];
            System.arraycopy(first, headEnd, body, 0, first.length - headEnd);
            System.arraycopy(rest, 0, body, first.length - headEnd, rest.length);
            assertThat(Arrays.equals(body, HttpTestServer.content(size))).as("the whole body arrived intact").isTrue();
        }
        assertThat(h.metrics.upstreamErrors).isEmpty();
    }
}

package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Header-read (slow-loris), idle keep-alive and upstream-response timeouts, with 800 ms limits. */
class TimeoutsTest {
    private final ProxyHarness h = new ProxyHarness(FakeGate.allReady(), ProxyHarness.SHORT, Limits.DEFAULTS,
            LocalEndpoints.NONE);

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        h.close();
    }

    @Test
    void slowResponseGets504AndTheConnectionStaysUsable() {
        try (RawHttpClient c = h.client()) {
            Response r = c.get("/a/slow?delay=3000");
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.bodyText()).contains("\"status\":504");
            assertThat(c.get("/b/fast").header("X-Upstream")).isEqualTo("b");
        }
        assertThat(h.metrics.upstreamErrors).anyMatch(e -> e.endsWith("response_timeout"));
    }

    @Test
    void slowLorisHeadGets408AndIsClosed() throws Exception {
        try (RawHttpClient c = h.client()) {
            c.send("GET /a HTTP/1.1\r\nHo");
            Thread.sleep(300);
            c.send("st: t\r\n");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.isClosedByServer()).isTrue();
        }
        assertThat(h.a.bytesReceived()).isZero();
    }

    @Test
    void idleKeepAliveConnectionIsClosedSilently() throws IOException {
        try (RawHttpClient c = h.client()) {
            assertThat(c.get("/a").status()).isEqualTo(200);
            long t0 = System.nanoTime();
            assertThat(c.input().read()).isEqualTo(-1); // EOF, no response bytes
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(500);
        }
    }
}

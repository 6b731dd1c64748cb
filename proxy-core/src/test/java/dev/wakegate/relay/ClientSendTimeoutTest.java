package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.ScriptedUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code timeouts.client_send} (800 ms here): a client that stops reading its response. The proxy
 * stops reading the upstream for it (backpressure), so without this timeout both connections would
 * stay open and the request in flight for as long as the client likes. It is closed, and the
 * upstream connection with it; a client that keeps reading, however slowly, is not.
 */
class ClientSendTimeoutTest {
    private final ScriptedUpstream scripted = new ScriptedUpstream(conn -> {
        conn.readHead();
        conn.write("HTTP/1.1 200 OK\r\nContent-Length: " + (1L << 40) + "\r\n\r\n");
        conn.writeUntilClosed(new byte[64 * 1024], 1L << 40);
    });
    private final ProxyHarness h = new ProxyHarness(FakeGate.allReady(), ProxyHarness.SHORT, Limits.DEFAULTS,
            LocalEndpoints.NONE, scripted.port());

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        h.close();
        scripted.close();
        assertThat(scripted.failures()).isEmpty();
    }

    @Test
    void clientThatStopsReadingItsResponseIsClosedWithTheUpstream() throws Exception {
        try (RawHttpClient c = h.client(20_000)) {
            c.socket().setReceiveBufferSize(64 * 1024);
            c.send("GET /s/endless HTTP/1.1\r\nHost: t\r\n\r\n");
            await("the response is flowing").until(() -> h.gate.inFlight() == 1 && scripted.heads().size() == 1);
            await("the upstream connection is closed by the proxy").atMost(Duration.ofSeconds(15))
                    .until(() -> scripted.connectionsClosedByProxy() == 1);
            assertThat(drainsToEof(c.input())).as("the client connection was closed too").isTrue();
        }
        assertThat(h.gate.inFlight()).isZero();
    }

    @Test
    void clientThatKeepsReadingSlowlyIsNotCut() throws Exception {
        try (RawHttpClient c = h.client(20_000)) {
            c.send("GET /s/endless HTTP/1.1\r\nHost: t\r\n\r\n");
            InputStream in = c.input();
            byte[] buf = new byte[256 * 1024];
            long t0 = System.nanoTime();
            long got = 0;
            // 4 s in all, far slower than the upstream sends (the proxy's channel stays above its
            // high-water mark), but taking bytes every 50 ms: the kernel frees send-buffer space,
            // and so lets the proxy write, in steps of a third of its buffer
            while (System.nanoTime() - t0 < 4_000_000_000L) {
                int n = in.read(buf);
                assertThat(n).as("still open").isPositive();
                got += n;
                Thread.sleep(50);
            }
            assertThat(got).isGreaterThan(1 << 20);
            assertThat(scripted.connectionsClosedByProxy()).isZero();
        }
    }

    private static boolean drainsToEof(InputStream in) {
        byte[] buf = new byte[1 << 20];
        try {
            while (in.read(buf) >= 0) {
                // what was already on its way
            }
            return true;
        } catch (IOException reset) {
            return true;
        }
    }
}

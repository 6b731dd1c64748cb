package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import dev.wakegate.testing.ScriptedUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code timeouts.upstream_send} (800 ms here): an upstream that accepts a request and then reads
 * none of its body. The proxy stops reading the client (backpressure), so without this timeout
 * both connections would wait forever and the request would count as in flight. The client gets
 * a 504 and a close, the upstream connection is closed, the failure is counted.
 */
class UpstreamSendTimeoutTest {
    private final CountDownLatch answered = new CountDownLatch(1);
    private final ScriptedUpstream scripted = new ScriptedUpstream(conn -> {
        conn.readHead();
        answered.await(30, TimeUnit.SECONDS); // reads none of the body meanwhile
        conn.awaitClosedByPeer(20_000);
    });
    private final ProxyHarness h = new ProxyHarness(FakeGate.allReady(), ProxyHarness.SHORT, Limits.DEFAULTS,
            LocalEndpoints.NONE, scripted.port());

    @AfterEach
    void tearDown() {
        answered.countDown();
        h.awaitQuiet();
        h.close();
        scripted.close();
        assertThat(scripted.failures()).isEmpty();
    }

    @Test
    void upstreamThatTakesNoneOfTheBodyGets504AndBothConnectionsClose() throws Exception {
        int size = 64 * 1024 * 1024;
        try (RawHttpClient c = h.client(20_000)) {
            c.send("POST /s/upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + size + "\r\n\r\n");
            Thread writer = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    OutputStream out = c.output();
                    for (int sent = 0; sent < size; sent += chunk.length) {
                        out.write(chunk); // blocks once every buffer on the way is full
                    }
                } catch (IOException closedByTheProxy) {
                    // expected: the proxy gave up on this request
                }
            }, "body-writer");
            writer.setDaemon(true);
            writer.start();

            Response r = c.read();
            assertThat(r.status()).isEqualTo(504);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.bodyText()).contains("took no more of the request body");
        }
        answered.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> scripted.connectionsClosedByProxy() == 1);
        assertThat(h.metrics.upstreamErrors).containsExactly("127.0.0.1:" + scripted.port() + " send_timeout");
    }
}

package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.net.CidrSet;
import dev.wakegate.route.Route;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code limits.max_body} and a route's {@code max_body}, through real sockets. */
class BodyLimitTest {
    private static final long LIMIT = 1000;

    private final FakeGate gate = FakeGate.allReady();
    private final ProxyHarness h = new ProxyHarness(gate, Limits.DEFAULTS.withMaxBody(LIMIT), LocalEndpoints.NONE,
            p -> List.of(
                    new Route("/big", List.of(), ProxyHarness.hp(p.a.port()), true, List.of(), 100_000,
                            CidrSet.EMPTY, CidrSet.EMPTY),
                    new Route("/tiny", List.of(), ProxyHarness.hp(p.b.port()), true, List.of(), 10,
                            CidrSet.EMPTY, CidrSet.EMPTY)));

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        h.close();
    }

    private static String chunk(int size) {
        return Integer.toHexString(size) + "\r\n" + "x".repeat(size) + "\r\n";
    }

    @Test
    void aContentLengthOverTheLimitIs413BeforeAnyByteReachesTheUpstream() {
        try (RawHttpClient c = h.client()) {
            c.send("POST /a/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n" + "x".repeat(1001));
            Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(r.bodyText()).contains("1001 bytes").contains("1000 bytes");
            assertThat(r.header("Connection")).isEqualTo("close");
        }
        assertThat(h.a.connectionsAccepted()).isZero();
        assertThat(h.a.bytesReceived()).isZero();
        assertThat(h.metrics.completed).containsExactly("null 413");
    }

    @Test
    void aBodyOfExactlyTheLimitIsForwarded() {
        try (RawHttpClient c = h.client()) {
            c.send("POST /a/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000));
            Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Body-Length")).isEqualTo("1000");
            c.send("POST /a/chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk(600) + chunk(400) + "0\r\n\r\n");
            assertThat(c.read().header("X-Body-Length")).isEqualTo("1000");
        }
    }

    @Test
    void aRoutesOwnLimitReplacesTheServersEitherWay() {
        try (RawHttpClient c = h.client()) {
            c.send("POST /big/x HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + "y".repeat(5000));
            Response big = c.read();
            assertThat(big.status()).isEqualTo(200);
            assertThat(big.header("X-Body-Length")).isEqualTo("5000");
        }
        try (RawHttpClient c = h.client()) {
            c.send("POST /tiny/x HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world");
            assertThat(c.read().status()).isEqualTo(413);
        }
        assertThat(h.b.connectionsAccepted()).isZero();
    }

    @Test
    void aChunkedBodyThatPassesTheLimitIsCutOffFromTheUpstreamAndGets413() {
        try (RawHttpClient c = h.client()) {
            c.send("POST /a/chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(600));
            // the first chunk is within the limit: it goes upstream
            await().atMost(Duration.ofSeconds(5)).until(() -> h.a.bytesReceived() > 600);
            long before = h.a.bytesReceived();
            c.send(chunk(600) + "0\r\n\r\n");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.bodyText()).contains("larger than 1000 bytes");
            assertThat(h.a.bytesReceived()).as("no byte of the chunk that passed the limit").isEqualTo(before);
        }
        assertThat(h.a.requests()).as("the upstream never got a whole request").isEmpty();
    }

    @Test
    void aFirstChunkOverTheLimitIsRefusedBeforeItsDataIsSent() {
        try (RawHttpClient c = h.client()) {
            c.send("POST /a/chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk(1001) + "0\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(413);
        }
        assertThat(h.a.requests()).isEmpty();
    }
}

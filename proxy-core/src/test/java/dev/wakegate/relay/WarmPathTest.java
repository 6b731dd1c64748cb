package dev.wakegate.relay;

import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static dev.wakegate.testing.HttpTestServer.content;
import static dev.wakegate.testing.HttpTestServer.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The warm path: real client sockets, the proxy, real upstream servers. */
class WarmPathTest {
    private final FakeGate gate = FakeGate.allReady();
    private final ProxyHarness h = new ProxyHarness(gate);

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        h.close();
    }

    @Test
    void routesByLongestPrefixToTwoUpstreams() {
        try (RawHttpClient c = h.client()) {
            Response ra = c.get("/a/x?y=1");
            Response rb = c.get("/b");
            assertThat(ra.status()).isEqualTo(200);
            assertThat(ra.header("X-Upstream")).isEqualTo("a");
            assertThat(rb.header("X-Upstream")).isEqualTo("b");
        }
        assertThat(h.a.requests()).extracting(HttpTestServer.Seen::uri).containsExactly("/a/x?y=1");
        assertThat(h.gate.started.get()).isEqualTo(2);
    }

    @Test
    void keepAliveConnectionSwitchesBetweenUpstreams() {
        try (RawHttpClient c = h.client()) {
            for (int i = 0; i < 6; i++) {
                String up = i % 2 == 0 ? "a" : "b";
                Response r = c.get("/" + up + "/n" + i);
                assertThat(r.header("X-Upstream")).isEqualTo(up);
            }
        }
        // upstream connections are pooled: one per upstream served all three requests
        assertThat(h.a.connectionsAccepted()).isEqualTo(1);
        assertThat(h.b.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void pipelinedRequestsToDifferentUpstreamsAreAnsweredInOrder() {
        try (RawHttpClient c = h.client()) {
            c.send("GET /a/1?delay=200 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /b/2 HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "POST /a/3 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /b/5 HTTP/1.1\r\nHost: t\r\n\r\n");
            Response r1 = c.read();
            Response r2 = c.read();
            Response r3 = c.read();
            Response r4 = c.read();
            Response r5 = c.read();
            assertThat(r1.header("X-Upstream")).isEqualTo("a");
            assertThat(r2.header("X-Upstream")).isEqualTo("b");
            assertThat(r3.header("X-Upstream")).isEqualTo("a");
            assertThat(r3.bodyText()).isEqualTo("hello");
            assertThat(r4.status()).isEqualTo(404);
            assertThat(r5.header("X-Upstream")).isEqualTo("b");
        }
    }

    @Test
    void streamsLargeContentLengthUploadAndDownload() {
        byte[] body = content(5 * 1024 * 1024 + 17);
        try (RawHttpClient c = h.client()) {
            c.send("POST /a/upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n");
            c.send(body);
            Response up = c.read();
            assertThat(up.status()).isEqualTo(200);
            assertThat(up.header("X-Body-Sha256")).isEqualTo(sha256(body));
            assertThat(sha256(up.body())).isEqualTo(sha256(body));

            Response down = c.get("/b/file?size=" + (6 * 1024 * 1024));
            assertThat(sha256(down.body())).isEqualTo(sha256(content(6 * 1024 * 1024)));
        }
    }

    @Test
    void streamsLargeChunkedUploadAndDownload() {
        byte[] body = content(4 * 1024 * 1024 + 5);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        int piece = 100_003;
        for (int off = 0; off < body.length; off += piece) {
            int n = Math.min(piece, body.length - off);
            chunked.writeBytes((Integer.toHexString(n) + ";ext=1\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.write(body, off, n);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.writeBytes("0\r\nX-Trailer: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        try (RawHttpClient c = h.client()) {
            c.send("PUT /a/chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
            c.send(chunked.toByteArray());
            Response up = c.read();
            assertThat(up.status()).as(up.statusLine() + " " + up.bodyText()).isEqualTo(200);
            assertThat(up.header("X-Body-Sha256")).isEqualTo(sha256(body));

            Response down = c.get("/b/file?chunked=1&size=" + (3 * 1024 * 1024 + 1));
            assertThat(down.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(sha256(down.body())).isEqualTo(sha256(content(3 * 1024 * 1024 + 1)));
            assertThat(c.get("/a/after").status()).isEqualTo(200);
        }
    }

    @Test
    void headAnd204And304HaveNoBodyAndKeepTheConnection() {
        try (RawHttpClient c = h.client()) {
            c.send("HEAD /a/file?size=1000 HTTP/1.1\r\nHost: t\r\n\r\n");
            Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo("1000");
            assertThat(c.get("/a/x?status=204").status()).isEqualTo(204);
            assertThat(c.get("/b/x?status=304").status()).isEqualTo(304);
            Response after = c.get("/a/file?size=10");
            assertThat(after.body()).isEqualTo(content(10));
        }
    }

    @Test
    void responseDelimitedByCloseClosesTheClientConnection() {
        try (RawHttpClient c = h.client()) {
            c.send("GET /a/x?size=5000&close=1 HTTP/1.1\r\nHost: t\r\n\r\n");
            Response r = c.read();
            assertThat(r.body()).isEqualTo(content(5000));
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void expectContinueIsRelayedEndToEnd() throws Exception {
        try (RawHttpClient c = h.client()) {
            c.send("POST /a/expect HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n");
            Response cont = c.read();
            assertThat(cont.status()).isEqualTo(100);
            c.send("hello world");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello world");
        }
    }

    @Test
    void upstreamSeesForwardedHeadersAndNoHopByHopHeaders() {
        try (RawHttpClient c = h.client()) {
            c.send("GET /a/fwd HTTP/1.1\r\nHost: example.test:8080\r\nX-Forwarded-For: 10.0.0.1\r\n"
                    + "Connection: keep-alive, X-Custom\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
                    + "X-Forwarded-Proto: https\r\nX-Other: kept\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
        }
        HttpTestServer.Seen seen = h.a.requests().get(0);
        assertThat(seen.headers().get("Host")).isEqualTo("example.test:8080");
        assertThat(seen.headers().get("X-Forwarded-For")).isEqualTo("10.0.0.1, 127.0.0.1");
        assertThat(seen.headers().getAll("X-Forwarded-Proto")).containsExactly("http");
        assertThat(seen.headers().get("X-Forwarded-Host")).isEqualTo("example.test:8080");
        assertThat(seen.headers().get("X-Other")).isEqualTo("kept");
        assertThat(seen.headers().contains("Keep-Alive")).isFalse();
        assertThat(seen.headers().contains("TE")).isFalse();
        assertThat(seen.headers().contains("Connection")).isFalse();
    }

    @Test
    void noRouteGives404ProblemJsonAndKeepsTheConnection() {
        try (RawHttpClient c = h.client()) {
            Response r = c.get("/nothing/here");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(r.bodyText()).contains("\"status\":404").contains("/nothing/here");
            assertThat(c.get("/a").status()).isEqualTo(200);
        }
        await().untilAsserted(() -> assertThat(h.metrics.completed).contains("null 404", "/a 200"));
    }

    @Test
    void deadUpstreamGives502AndTheClientConnectionStaysUsable() {
        try (RawHttpClient c = h.client()) {
            Response r = c.get("/dead/x");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(c.get("/a/after").header("X-Upstream")).isEqualTo("a");
        }
        assertThat(h.metrics.upstreamErrors).containsExactly("127.0.0.1:" + h.deadPort + " connect_refused");
    }

    @Test
    void connectionCloseRequestClosesAfterTheResponse() {
        try (RawHttpClient c = h.client()) {
            c.send("GET /a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @Test
    void reusedConnectionDroppedByTheUpstreamIsRetriedOnceForABodilessRequest() {
        try (RawHttpClient c = h.client()) {
            assertThat(c.get("/a/first").status()).isEqualTo(200);
            Response r = c.get("/a/second?dropOnReuse=1");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Upstream")).isEqualTo("a");
        }
        assertThat(h.a.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void reusedConnectionDroppedByTheUpstreamGives502ForARequestWithABody() {
        try (RawHttpClient c = h.client()) {
            assertThat(c.get("/a/first").status()).isEqualTo(200);
            c.send("POST /a/second?dropOnReuse=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(c.read().status()).isEqualTo(502);
            assertThat(c.get("/a/third").status()).isEqualTo(200); // whole request was read: still usable
        }
        assertThat(h.a.requests()).extracting(HttpTestServer.Seen::method).containsExactly("GET", "POST", "GET");
    }

    @Test
    void clientLeavingWhileItsResponseIsPendingEndsTheRequestOnce() {
        try (RawHttpClient c = h.client()) {
            c.send("GET /a/slow?delay=1500 HTTP/1.1\r\nHost: t\r\n\r\n");
            await().until(() -> h.a.requests().size() == 1);
            assertThat(gate.inFlight()).isEqualTo(1);
        }
        await().until(() -> gate.inFlight() == 0);
        assertThat(gate.started.get()).isEqualTo(1);
        assertThat(gate.ended.get()).isEqualTo(1);
    }

    @Test
    void clientLeavingMidDownloadEndsTheRequestAndReleasesEverything() throws Exception {
        try (RawHttpClient c = h.client()) {
            c.send("GET /b/file?size=" + (32 * 1024 * 1024) + " HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.input().readNBytes(100_000)).hasSize(100_000);
        }
        await().until(() -> gate.inFlight() == 0);
        assertThat(gate.ended.get()).isEqualTo(1);
        try (RawHttpClient c = h.client()) {
            assertThat(c.get("/b/next").status()).isEqualTo(200); // the aborted upstream connection was not pooled
        }
    }
}

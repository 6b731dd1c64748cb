package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.HttpTestServer.Seen;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import dev.wakegate.testing.ScriptedUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The retry on a reused keep-alive connection that the upstream closed without answering (the
 * stale-connection race): only for an idempotent method (RFC 9110 section 9.2.2), only without a
 * body, only when no byte of the response arrived, and only once. The upstream records what it
 * received, so a request sent twice is seen twice.
 */
class UpstreamRetryTest {
    private ScriptedUpstream scripted;
    private ProxyHarness h;

    private ProxyHarness harness(ScriptedUpstream s) {
        scripted = s;
        h = new ProxyHarness(FakeGate.allReady(), ProxyHarness.TIMEOUTS, Limits.DEFAULTS, LocalEndpoints.NONE,
                s == null ? 0 : s.port());
        return h;
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

    @ParameterizedTest(name = "bodiless {0}")
    @ValueSource(strings = {"POST", "PATCH", "PURGE"})
    void nonIdempotentRequestIsNotSentAgainWhenAReusedConnectionDrops(String method) {
        harness(null);
        try (RawHttpClient c = h.client()) {
            assertThat(c.get("/a/first").status()).isEqualTo(200);
            c.send(method + " /a/pay?dropOnReuse=1 HTTP/1.1\r\nHost: t\r\n\r\n");
            Response r = c.read();
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.bodyText()).contains("closed the connection before the response ended");
            assertThat(c.get("/a/after").status()).as("the client connection stays usable").isEqualTo(200);
        }
        assertThat(h.a.requests()).extracting(Seen::method, Seen::uri).containsExactly(
                tuple("GET", "/a/first"), tuple(method, "/a/pay?dropOnReuse=1"), tuple("GET", "/a/after"));
        assertThat(h.metrics.upstreamErrors).containsExactly("127.0.0.1:" + h.a.port() + " reset");
    }

    @Test
    void postWithContentLengthZeroIsNotSentAgainEither() {
        harness(null);
        try (RawHttpClient c = h.client()) {
            assertThat(c.get("/a/first").status()).isEqualTo(200);
            c.send("POST /a/pay?dropOnReuse=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(502);
        }
        assertThat(h.a.requests()).extracting(Seen::method).containsExactly("GET", "POST");
    }

    @ParameterizedTest(name = "bodiless {0}")
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
    void idempotentRequestIsSentOnceMoreOnANewConnection(String method) {
        harness(null);
        try (RawHttpClient c = h.client()) {
            assertThat(c.get("/a/first").status()).isEqualTo(200);
            c.send(method + " /a/item?dropOnReuse=1 HTTP/1.1\r\nHost: t\r\n\r\n");
            Response r = c.read("HEAD".equals(method));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("X-Upstream")).isEqualTo("a");
        }
        assertThat(h.a.requests()).extracting(Seen::method).containsExactly("GET", method, method);
        assertThat(h.a.connectionsAccepted()).isEqualTo(2);
        assertThat(h.metrics.upstreamErrors).isEmpty();
    }

    @Test
    void noRetryOnceAByteOfTheResponseArrived() {
        harness(new ScriptedUpstream(i -> conn -> {
            if (i > 0) {
                conn.readHead();
                conn.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nretry");
                return;
            }
            conn.readHead();
            conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            conn.readHead();
            conn.write("HTTP/1.1 2"); // part of a status line, then the connection ends
        }));
        try (RawHttpClient c = h.client()) {
            assertThat(c.get("/s/1").bodyText()).isEqualTo("ok");
            assertThat(c.get("/s/2").status()).isEqualTo(502);
        }
        assertThat(scripted.heads()).hasSize(2);
        assertThat(scripted.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aRetryIsMadeOnceAndAFreshConnectionThatDropsGives502() {
        harness(new ScriptedUpstream(i -> conn -> {
            conn.readHead();
            if (i == 0) {
                conn.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                conn.readHead(); // the second request, then close without a word
            }
        }));
        try (RawHttpClient c = h.client()) {
            assertThat(c.get("/s/1").status()).isEqualTo(200);
            assertThat(c.get("/s/2").status()).isEqualTo(502);
        }
        assertThat(scripted.heads()).hasSize(3); // first, second, its one retry
        assertThat(scripted.connectionsAccepted()).isEqualTo(2);
    }
}

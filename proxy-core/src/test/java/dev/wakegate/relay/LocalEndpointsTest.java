package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class LocalEndpointsTest {
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private final LocalEndpoints endpoints = new LocalEndpoints() {
        @Override
        public boolean handles(String path) {
            return path.startsWith("/health");
        }

        @Override
        public CompletableFuture<LocalResponse> handle(String method, String path, String authorization, SocketAddress remote) {
            handled.add(method + " " + path + " " + authorization);
            // answered from another thread, as the real admin handlers may do
            return CompletableFuture.supplyAsync(() -> new LocalResponse(200, "application/json",
                    "{\"ok\":true}".getBytes(StandardCharsets.UTF_8)));
        }
    };
    private final ProxyHarness h = new ProxyHarness(FakeGate.allReady(), ProxyHarness.TIMEOUTS,
            dev.wakegate.config.Limits.DEFAULTS, endpoints);

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        h.close();
    }

    @Test
    void healthPathsAreAnsweredLocallyAndTheirBodiesDiscarded() {
        try (RawHttpClient c = h.client()) {
            Response r = c.get("/health/containers");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("{\"ok\":true}");
            c.send("POST /health/containers/app/start HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.get("/a").header("X-Upstream")).isEqualTo("a");
        }
        assertThat(handled).containsExactly("GET /health/containers null",
                "POST /health/containers/app/start Bearer x");
        assertThat(h.a.requests()).hasSize(1);
    }

    @Test
    void answersOfTheProxysOwnToHeadCarryTheirHeadOnly() {
        try (RawHttpClient c = h.client()) {
            // pipelined: a body after the HEAD answers would be read as the start of the next response
            c.send("HEAD /health/containers HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "HEAD /nowhere HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /a HTTP/1.1\r\nHost: t\r\n\r\n");
            Response local = c.read(true);
            assertThat(local.status()).isEqualTo(200);
            assertThat(local.header("Content-Length")).isEqualTo(String.valueOf("{\"ok\":true}".length()));
            Response notFound = c.read(true);
            assertThat(notFound.status()).isEqualTo(404);
            assertThat(notFound.header("Content-Type")).isEqualTo("application/problem+json");
            Response relayed = c.read();
            assertThat(relayed.status()).isEqualTo(200);
            assertThat(relayed.header("X-Upstream")).isEqualTo("a");
        }
    }
}

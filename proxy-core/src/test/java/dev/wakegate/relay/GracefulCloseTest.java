package dev.wakegate.relay;

import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.RawHttpClient;
import dev.wakegate.testing.RawHttpClient.Response;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GracefulCloseTest {

    @Test
    void closeLetsAnInFlightSlowRequestFinishThenClosesIdleAndBusyConnections() throws Exception {
        FakeGate gate = FakeGate.allReady();
        ProxyHarness h = new ProxyHarness(gate);
        try (RawHttpClient busy = h.client(); RawHttpClient idle = h.client()) {
            assertThat(idle.get("/b").status()).isEqualTo(200);
            busy.send("GET /a/slow?delay=1000 HTTP/1.1\r\nHost: t\r\n\r\n");
            await().until(() -> h.a.requests().size() == 1);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(h.server::close);
            assertThat(idle.isClosedByServer()).isTrue();
            Response r = busy.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(busy.isClosedByServer()).isTrue();
            closing.get();
            assertThat(gate.inFlight()).isZero();
        } finally {
            h.close();
        }
    }
}

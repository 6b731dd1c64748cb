package dev.wakegate.relay;

import dev.wakegate.testing.FakeGate;
import dev.wakegate.testing.WebSocketTestClient;
import dev.wakegate.testing.RawHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

import static dev.wakegate.testing.HttpTestServer.content;
import static dev.wakegate.testing.HttpTestServer.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Byte relays: WebSocket after a 101, and the TCP listeners. */
class RawRelayTest {
    private final FakeGate gate = FakeGate.allReady();
    private final ProxyHarness h = new ProxyHarness(gate);

    @AfterEach
    void tearDown() {
        h.awaitQuiet();
        await().until(() -> gate.openConnections() == 0);
        h.close();
    }

    @Test
    void webSocketUpgradeRelaysFramesBothWays() throws Exception {
        try (WebSocketTestClient ws = new WebSocketTestClient(h.address(), "/ws")) {
            ws.sendText("hello");
            assertThat(ws.next()).isEqualTo("echo:hello");
            byte[] big = content(3 * 1024 * 1024);
            ws.sendBinary(big);
            assertThat(sha256((byte[]) ws.next())).isEqualTo(sha256(big));
            ws.sendText("again");
            assertThat(ws.next()).isEqualTo("echo:again");
            assertThat(gate.openConnections()).isEqualTo(1);
            assertThat(gate.inFlight()).isZero();
        }
        await().until(() -> gate.openConnections() == 0);
        assertThat(gate.opened.get()).isEqualTo(1);
    }

    @Test
    void upgradeRefusedByTheUpstreamContinuesAsHttp() {
        try (RawHttpClient c = h.client()) {
            c.send("GET /a/plain HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.get("/b").status()).isEqualTo(200);
        }
        assertThat(h.a.requests().get(0).headers().get("Upgrade")).isEqualTo("websocket");
        assertThat(gate.opened.get()).isZero();
    }

    @Test
    void tcpRelayCarriesSeveralMebibytesBothWaysAndPassesHalfClose() throws Exception {
        byte[] data = content(8 * 1024 * 1024 + 3);
        try (Socket s = new Socket("127.0.0.1", h.server.tcpAddresses().get(0).getPort())) {
            s.setSoTimeout(20_000);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    s.getOutputStream().write(data);
                    s.shutdownOutput(); // half-close: the echo must still answer everything
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            InputStream in = s.getInputStream();
            byte[] back = in.readAllBytes(); // until the echo's own shutdown arrives
            writer.get();
            assertThat(back.length).isEqualTo(data.length);
            assertThat(sha256(back)).isEqualTo(sha256(data));
        }
        assertThat(h.echo.bytesReceived()).isEqualTo(data.length);
    }

    /**
     * The upstream answers only after the client's half-close, and the answer is larger than the
     * sockets hold, so the relay writes to a client whose input it has seen end, and many of those
     * writes wait for room. (With Netty 4.2.18's epoll transport as it is, the first such write
     * failed, the connection having been dropped from epoll when nothing was left to wait for on
     * it, and the client got a truncated answer with a clean end of stream: on most connections,
     * not all, hence several.)
     */
    @Test
    void tcpRelayCarriesAnAnswerThatFollowsTheClientsHalfClose() throws Exception {
        byte[] data = content(4 * 1024 * 1024 + 3);
        for (int connection = 1; connection <= 5; connection++) {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(8192); // a slow reader: writes to it often wait for room
                s.connect(new InetSocketAddress("127.0.0.1", h.server.tcpAddresses().get(2).getPort()));
                s.setSoTimeout(20_000);
                s.getOutputStream().write(data); // the upstream takes it all before it answers
                s.shutdownOutput();
                byte[] back = s.getInputStream().readAllBytes();
                assertThat(back.length).as("bytes back on connection %d", connection).isEqualTo(data.length);
                assertThat(sha256(back)).isEqualTo(sha256(data));
            }
        }
    }
}

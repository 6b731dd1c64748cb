package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.config.Timeouts;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import dev.wakegate.testing.FakeGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole request path on EmbeddedChannels (client and upstream), with every input fed whole
 * and split at every byte boundary.
 */
class EmbeddedRequestPathTest {
    private static final String TWO_REQUESTS = "GET /a/1 HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /b/2 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    private static final String RESPONSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

    private final FakeGate gate = FakeGate.allReady();
    private final List<EmbeddedChannel> upstreams = new ArrayList<>();

    private EmbeddedChannel front() {
        RouteTrie<Route> routes = RouteTrie.<Route>builder()
                .add("/a", new Route("/a", List.of("app"), ProxyHarness.hp(1001), true))
                .add("/b", new Route("/b", List.of(), ProxyHarness.hp(1002), true))
                .build();
        return new EmbeddedChannel(FrontServer.detachedHttpHandler(routes, gate, LocalEndpoints.NONE, ProxyMetrics.NOOP,
                Timeouts.DEFAULTS, Limits.DEFAULTS, (address, init) -> {
                    EmbeddedChannel up = new EmbeddedChannel(init);
                    upstreams.add(up);
                    return up.newSucceededFuture();
                }));
    }

    @Test
    void pipelinedRequestsSplitAtEveryByteBoundaryAreForwardedIntact() {
        byte[] wire = TWO_REQUESTS.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= wire.length; split++) {
            upstreams.clear();
            EmbeddedChannel front = front();
            front.writeInbound(Unpooled.copiedBuffer(wire, 0, split));
            front.writeInbound(Unpooled.copiedBuffer(wire, split, wire.length - split));

            assertThat(upstreams).as("split at %d", split).hasSize(1);
            EmbeddedChannel upA = upstreams.get(0);
            assertThat(drain(upA)).as("split at %d", split).isEqualTo("GET /a/1 HTTP/1.1\r\nHost: h\r\n"
                    + "X-Forwarded-For: unknown\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: h\r\n\r\n");
            upA.writeInbound(Unpooled.copiedBuffer(RESPONSE, StandardCharsets.US_ASCII));
            assertThat(drain(front)).isEqualTo(RESPONSE);

            assertThat(upstreams).hasSize(2); // the second request went to another upstream
            EmbeddedChannel upB = upstreams.get(1);
            assertThat(drain(upB)).as("split at %d", split).isEqualTo("POST /b/2 HTTP/1.1\r\nHost: h\r\n"
                    + "Transfer-Encoding: chunked\r\nX-Forwarded-For: unknown\r\nX-Forwarded-Proto: http\r\n"
                    + "X-Forwarded-Host: h\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            upB.writeInbound(Unpooled.copiedBuffer(RESPONSE, StandardCharsets.US_ASCII));
            assertThat(drain(front)).isEqualTo(RESPONSE);
            assertThat(gate.inFlight()).isZero();

            assertThat(front.finishAndReleaseAll()).isFalse();
            upstreams.forEach(EmbeddedChannel::finishAndReleaseAll);
        }
        assertThat(gate.started.get()).isEqualTo(2 * (wire.length + 1)); // two requests per split
    }

    @Test
    void chunkedResponseSplitAtEveryByteBoundaryIsRelayedAndTheConnectionReused() {
        byte[] response = ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nT: 1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= response.length; split++) {
            upstreams.clear();
            EmbeddedChannel front = front();
            front.writeInbound(Unpooled.copiedBuffer("GET /b HTTP/1.1\r\nHost: h\r\n\r\n", StandardCharsets.US_ASCII));
            EmbeddedChannel up = upstreams.get(0);
            drain(up);
            up.writeInbound(Unpooled.copiedBuffer(response, 0, split));
            up.writeInbound(Unpooled.copiedBuffer(response, split, response.length - split));
            assertThat(drain(front)).as("split at %d", split).isEqualTo(new String(response, StandardCharsets.US_ASCII));
            front.writeInbound(Unpooled.copiedBuffer("GET /b/again HTTP/1.1\r\nHost: h\r\n\r\n", StandardCharsets.US_ASCII));
            assertThat(upstreams).hasSize(1); // pooled connection reused
            assertThat(drain(up)).startsWith("GET /b/again HTTP/1.1\r\n");
            front.finishAndReleaseAll();
            upstreams.forEach(EmbeddedChannel::finishAndReleaseAll);
        }
    }

    private static String drain(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }
}

package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.config.Timeouts;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTable;
import dev.wakegate.route.RouteTrie;
import dev.wakegate.testing.FakeGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client connections of one event loop share its {@link RequestKits}: a connection holds a kit
 * only while it has a request in hand, and a kit that served one connection serves the next
 * without carrying anything of the first over. The connections here are EmbeddedChannels that
 * share one {@link RequestKits}, as the connections of one loop do; their requests go to local
 * endpoints whose answers the test completes, or to an upstream whose connects it completes.
 */
class RequestKitsTest {
    private final RecordingEndpoints endpoints = RecordingEndpoints.answeringLater();
    private final List<CompletableFuture<LocalEndpoints.LocalResponse>> answers = endpoints.pending;
    /** Connects that complete when the test says: each one's upstream channel and its promise. */
    private final List<EmbeddedChannel> upstreams = new ArrayList<>();
    private final List<ChannelPromise> connects = new ArrayList<>();
    private final DataPath dp = new DataPath(
            new RouteTable(HostRouter.of(RouteTrie.<Route>builder()
                    .add("/up", new Route("/up", List.of(), ProxyHarness.hp(1001), true)).build())),
            FakeGate.allReady(), endpoints, ProxyMetrics.NOOP, Timeouts.DEFAULTS, Limits.DEFAULTS,
            FrontServer.DEFAULT_PARK_DEADLINE, Transport.NIO, null,
            loop -> (address, init) -> {
                EmbeddedChannel up = new EmbeddedChannel(init);
                upstreams.add(up);
                ChannelPromise p = up.newPromise();
                connects.add(p);
                return p;
            }, HttpsPolicy.NONE);
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private RequestKits kits;

    @AfterEach
    void closeAll() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        upstreams.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void anIdleKeepAliveConnectionHoldsNoKitAndTheNextConnectionTakesTheSameOne() {
        EmbeddedChannel a = connection();
        request(a, "/health/a");
        answer(0, 200);
        assertThat(response(a)).startsWith("HTTP/1.1 200");
        assertThat(a.isActive()).as("kept alive").isTrue();
        assertThat(kits.kept()).as("a gave its kit back").isEqualTo(1);

        EmbeddedChannel b = connection();
        request(b, "/health/b");
        assertThat(kits.kept()).as("b took it").isZero();
        answer(1, 200);
        assertThat(response(b)).startsWith("HTTP/1.1 200");
        assertThat(kits.kept()).as("one kit served both").isEqualTo(1);
    }

    @Test
    void aLateAnswerForAConnectionThatWentNeverReachesTheOneItsKitServesNow() {
        EmbeddedChannel a = connection();
        request(a, "/health/a");
        a.close();                       // gone before its answer: the kit goes back
        assertThat(kits.kept()).isEqualTo(1);

        EmbeddedChannel b = connection();
        request(b, "/health/b");         // the same kit, waiting for b's own answer
        answer(0, 418);                  // a's answer comes late
        assertThat((ByteBuf) b.readOutbound()).as("nothing of a's answer").isNull();
        answer(1, 200);
        assertThat(response(b)).startsWith("HTTP/1.1 200");
    }

    @Test
    void aLateConnectForAConnectionThatWentIsPooledAndNeverJoinsTheOneItsKitServesNow() {
        EmbeddedChannel a = connection();
        request(a, "/up");               // connecting: the connect is still on its way
        assertThat(connects).hasSize(1);
        a.close();
        assertThat(kits.kept()).isEqualTo(1);

        EmbeddedChannel b = connection();
        request(b, "/health/b");         // the same kit, waiting for a local answer
        connects.get(0).setSuccess();    // a's connect completes now
        b.runPendingTasks();
        assertThat((ByteBuf) upstreams.get(0).readOutbound()).as("nothing of a's or b's request went upstream").isNull();
        assertThat(upstreams.get(0).isActive()).as("kept for a next request").isTrue();
        answer(0, 200);
        assertThat(response(b)).startsWith("HTTP/1.1 200");
        assertThat((ByteBuf) b.readOutbound()).isNull();

        request(b, "/up");               // b's own request upstream takes the connection a's connect pooled
        assertThat(connects).as("no new connect").hasSize(1);
        ByteBuf sent = upstreams.get(0).readOutbound();
        assertThat(sent).as("b's head went upstream").isNotNull();
        try {
            assertThat(sent.toString(StandardCharsets.US_ASCII)).startsWith("GET /up HTTP/1.1");
        } finally {
            sent.release();
        }
    }

    @Test
    void aReloadsLimitsApplyToTheNextRequestOfAConnectionThatIsAlreadyOpen() {
        EmbeddedChannel a = connection();
        String threeHeaders = "GET /health/a HTTP/1.1\r\nHost: t\r\nX-One: 1\r\nX-Two: 2\r\n\r\n";
        a.writeInbound(Unpooled.copiedBuffer(threeHeaders, StandardCharsets.US_ASCII));
        a.runPendingTasks();
        answer(0, 200);
        assertThat(response(a)).startsWith("HTTP/1.1 200");

        dp.apply(Timeouts.DEFAULTS, new Limits(8192, 32768, 2, 65536, 10_000));
        a.writeInbound(Unpooled.copiedBuffer(threeHeaders, StandardCharsets.US_ASCII));
        a.runPendingTasks();
        assertThat(response(a)).startsWith("HTTP/1.1 431");
        assertThat(answers).as("refused before an endpoint was asked").hasSize(1);
    }

    private EmbeddedChannel connection() {
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        try {
            ch.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (kits == null) {
            kits = new RequestKits(dp, dp.pool(ch.eventLoop()));
        }
        ch.pipeline().addLast(new HttpFrontHandler(dp, kits));
        channels.add(ch);
        return ch;
    }

    private static void request(EmbeddedChannel ch, String path) {
        ch.writeInbound(Unpooled.copiedBuffer("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n", StandardCharsets.US_ASCII));
        ch.runPendingTasks();
    }

    private void answer(int i, int status) {
        answers.get(i).complete(new LocalEndpoints.LocalResponse(status, "text/plain", new byte[0]));
        channels.forEach(EmbeddedChannel::runPendingTasks);
    }

    private static String response(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("answered").isNotNull();
        try {
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
        }
    }
}

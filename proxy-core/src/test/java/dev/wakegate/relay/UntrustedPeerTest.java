package dev.wakegate.relay;

import dev.wakegate.config.Limits;
import dev.wakegate.config.Timeouts;
import dev.wakegate.net.CidrSet;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.RouteTable;
import dev.wakegate.route.RouteTrie;
import dev.wakegate.testing.FakeGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that is not loopback (which no real socket of these tests can be: they stay on
 * 127.0.0.0/8), on an EmbeddedChannel: whatever its X-Forwarded-For says, the local endpoints,
 * and with them the admin rule "loopback only without a token", are given the peer.
 */
class UntrustedPeerTest {
    private final RecordingEndpoints recording = new RecordingEndpoints();
    private final List<SocketAddress> given = recording.clients;

    /** An EmbeddedChannel whose peer is {@code 192.0.2.5:4711}. */
    private static final class RemotePeerChannel extends EmbeddedChannel {
        RemotePeerChannel() {
            super(false, false);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return new InetSocketAddress("192.0.2.5", 4711);
        }
    }

    private EmbeddedChannel front(CidrSet trusted) {
        DataPath dp = new DataPath(new RouteTable(HostRouter.of(RouteTrie.<dev.wakegate.route.Route>builder().build())),
                FakeGate.allReady(), recording, ProxyMetrics.NOOP, Timeouts.DEFAULTS, Limits.DEFAULTS,
                FrontServer.DEFAULT_PARK_DEADLINE, Transport.NIO, null,
                loop -> (address, init) -> { throw new AssertionError("nothing is forwarded"); }, HttpsPolicy.NONE);
        dp.trustedProxies = trusted;
        EmbeddedChannel ch = new RemotePeerChannel();
        try {
            ch.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ch.pipeline().addLast(new HttpFrontHandler(dp, dp.kits(ch.eventLoop())));
        return ch;
    }

    @Test
    void aForwardedForNamingLoopbackFromAnUntrustedPeerIsNeverTheClient() {
        for (CidrSet trusted : List.of(CidrSet.EMPTY, CidrSet.parse(List.of("127.0.0.1", "10.0.0.0/8")))) {
            EmbeddedChannel ch = front(trusted);
            ch.writeInbound(Unpooled.copiedBuffer("POST /health/containers/app/stop HTTP/1.1\r\nHost: t\r\n"
                    + "X-Forwarded-For: 127.0.0.1\r\nContent-Length: 0\r\n\r\n", StandardCharsets.US_ASCII));
            ch.runPendingTasks();
            ByteBuf out = ch.readOutbound();
            assertThat(out).as("answered").isNotNull();
            out.release();
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
        assertThat(given).hasSize(2).allSatisfy(a -> {
            InetSocketAddress inet = (InetSocketAddress) a;
            assertThat(inet.getAddress().getHostAddress()).isEqualTo("192.0.2.5");
            assertThat(inet.getAddress().isLoopbackAddress()).isFalse();
        });
    }
}

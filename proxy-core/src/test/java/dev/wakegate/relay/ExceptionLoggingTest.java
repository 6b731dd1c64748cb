package dev.wakegate.relay;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.config.Limits;
import dev.wakegate.config.TcpSpec;
import dev.wakegate.config.Timeouts;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTable;
import dev.wakegate.route.RouteTrie;
import dev.wakegate.testing.FakeGate;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** An exception on the data path closes the connection and says so at debug, channel first; nothing closes silently. */
class ExceptionLoggingTest {
    private final List<Logger> loggers = new ArrayList<>();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final FakeGate gate = new FakeGate().notReady("pg");

    ExceptionLoggingTest() {
        lines.start();
        for (Class<?> c : List.of(HttpFrontHandler.class, ByteRelay.class, TcpFrontHandler.class)) {
            Logger l = (Logger) LoggerFactory.getLogger(c);
            l.addAppender(lines);
            l.setLevel(Level.DEBUG);
            loggers.add(l);
        }
    }

    @AfterEach
    void detach() {
        for (Logger l : loggers) {
            l.detachAppender(lines);
            l.setLevel(null);
        }
    }

    private void assertClosedAndLogged(EmbeddedChannel ch, String what) {
        String channel = ch.toString();
        ch.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(lines.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(e.getFormattedMessage()).startsWith(channel + " " + what)
                    .endsWith(": java.io.IOException: Connection reset by peer");
        });
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void theHttpFrontHandlerLogsTheExceptionItClosesOn() {
        ChannelHandler front = FrontServer.detachedHttpHandler(RouteTrie.<Route>builder().build(), gate,
                LocalEndpoints.NONE, ProxyMetrics.NOOP, Timeouts.DEFAULTS, Limits.DEFAULTS,
                (address, init) -> { throw new AssertionError("no upstream here"); });
        assertClosedAndLogged(new EmbeddedChannel(front), "closing in state READ_HEAD");
    }

    @Test
    void aByteRelayLogsTheExceptionItClosesOn() {
        EmbeddedChannel peer = new EmbeddedChannel();
        assertClosedAndLogged(new EmbeddedChannel(new ByteRelay(peer)), "closing the relay to ");
        peer.runPendingTasks();
        assertThat(peer.isOpen()).as("the peer goes too").isFalse();
        peer.finishAndReleaseAll();
    }

    @Test
    void aTcpFrontHandlerLogsTheExceptionItClosesOnAndGivesUpItsPlace() {
        DataPath dp = new DataPath(new RouteTable(HostRouter.empty()), gate, LocalEndpoints.NONE, ProxyMetrics.NOOP,
                Timeouts.DEFAULTS, Limits.DEFAULTS, FrontServer.DEFAULT_PARK_DEADLINE, Transport.NIO, null,
                loop -> (address, init) -> { throw new AssertionError("no upstream here"); }, HttpsPolicy.NONE);
        TcpSpec spec = new TcpSpec(ProxyHarness.hp(1), Optional.of("pg"), ProxyHarness.hp(2));
        EmbeddedChannel ch = new EmbeddedChannel(new TcpFrontHandler(spec, dp));
        assertThat(dp.parkingLot.occupied()).isEqualTo(1);
        assertClosedAndLogged(ch, "closing before the relay started");
        assertThat(dp.parkingLot.occupied()).isZero();
    }
}

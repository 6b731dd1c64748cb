package dev.wakegate.relay;

import dev.wakegate.config.Limits;
import dev.wakegate.config.Timeouts;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.park.ParkedRequest;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.RouteTable;
import dev.wakegate.testing.FakeGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParkingSpotTest {
    private final FakeGate gate = new FakeGate().notReady("app");
    private final DataPath dp = new DataPath(new RouteTable(HostRouter.empty()), gate, new RecordingEndpoints(),
            ProxyMetrics.NOOP, Timeouts.DEFAULTS, new Limits(8192, 32768, 100, 65536, 1, 0),
            FrontServer.DEFAULT_PARK_DEADLINE, Transport.NIO, null,
            loop -> (address, init) -> { throw new AssertionError("nothing is forwarded"); }, HttpsPolicy.NONE);
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ParkingSpot spot = new ParkingSpot();
    private final List<@Nullable StartFailure> outcomes = new ArrayList<>();
    private @Nullable ByteBuf handedBack;

    private boolean park(ByteBuf head) {
        return spot.park(dp, channel.eventLoop(), head, List.of("app"), (p, failure) -> {
            spot.left();
            handedBack = p.takeHead();
            outcomes.add(failure);
        });
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aParkedRequestIsHeldUntilItsContainersAreReadyAndGetsItsHeadBack() {
        ByteBuf head = Unpooled.copiedBuffer(new byte[] {'G', 'E', 'T'});
        assertThat(park(head)).isTrue();
        assertThat(spot.occupied()).isTrue();
        assertThat(dp.parkingLot.occupied()).isEqualTo(1);

        gate.makeReady("app");
        channel.runPendingTasks();
        assertThat(outcomes).containsExactly((StartFailure) null);
        assertThat(spot.occupied()).isFalse();
        assertThat(dp.parkingLot.occupied()).isZero();
        assertThat(handedBack).isSameAs(head);
        head.release();
    }

    @Test
    void aFullLotParksNothingAndReleasesTheHead() {
        ByteBuf first = Unpooled.buffer(1).writeByte('a');
        ByteBuf second = Unpooled.buffer(1).writeByte('b');
        assertThat(park(first)).isTrue();
        ParkingSpot other = new ParkingSpot();
        assertThat(other.park(dp, channel.eventLoop(), second, List.of("app"), (p, f) -> outcomes.add(f))).isFalse();
        assertThat(second.refCnt()).isZero();
        assertThat(other.occupied()).isFalse();
        spot.abandon();
        assertThat(first.refCnt()).isZero();
    }

    @Test
    void abandoningFreesThePlaceReleasesTheHeadAndTheCallbackNeverRuns() {
        ByteBuf head = Unpooled.buffer(1).writeByte('a');
        assertThat(park(head)).isTrue();
        spot.abandon();
        assertThat(spot.occupied()).isFalse();
        assertThat(head.refCnt()).isZero();
        assertThat(dp.parkingLot.occupied()).isZero();

        gate.makeReady("app");
        channel.runPendingTasks();
        assertThat(outcomes).isEmpty();
        spot.abandon(); // nothing left to abandon
    }

    @Test
    void aRequestWhoseContainersAreAlreadyReadyIsDoneBeforeParkReturns() {
        FakeGate ready = FakeGate.allReady();
        DataPath readyPath = new DataPath(new RouteTable(HostRouter.empty()), ready, new RecordingEndpoints(),
                ProxyMetrics.NOOP, Timeouts.DEFAULTS, Limits.DEFAULTS, FrontServer.DEFAULT_PARK_DEADLINE, Transport.NIO, null,
                loop -> (address, init) -> { throw new AssertionError("nothing is forwarded"); }, HttpsPolicy.NONE);
        ByteBuf head = Unpooled.buffer(1).writeByte('a');
        assertThat(spot.park(readyPath, channel.eventLoop(), head, List.of("app"), (p, failure) -> {
            handedBack = p.takeHead();
            outcomes.add(failure);
        })).isTrue();
        assertThat(outcomes).hasSize(1);
        assertThat(spot.occupied()).as("a request done at once holds no place").isFalse();
        head.release();
    }
}

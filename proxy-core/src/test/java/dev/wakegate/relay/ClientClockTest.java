package dev.wakegate.relay;

import dev.wakegate.config.Timeouts;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client clocks share one scheduled task: a deadline moved from one wait to the next fires for
 * the wait that is current only, once, at its own time; {@code client_send} runs beside a read wait
 * on the same task. Time is the EmbeddedChannel's frozen ticker, advanced by hand.
 */
class ClientClockTest {
    private static final Timeouts TIMEOUTS = Timeouts.DEFAULTS
            .withHeaderRead(Duration.ofSeconds(10))
            .withIdleKeepAlive(Duration.ofSeconds(75))
            .withBodyRead(Duration.ofSeconds(30))
            .withClientSend(Duration.ofSeconds(20));

    private final List<String> fired = new ArrayList<>();
    private EmbeddedChannel channel;
    private ClientClock clock;

    @BeforeEach
    void setUp() {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                clock = new ClientClock(ctx, TIMEOUTS, new ClientClock.Expiries() {
                    @Override
                    public void onHeadTimeout() {
                        fired.add("head");
                    }

                    @Override
                    public void onIdleTimeout() {
                        fired.add("idle");
                    }

                    @Override
                    public void onBodyTimeout() {
                        fired.add("body");
                    }

                    @Override
                    public void onClientStuck() {
                        fired.add("stuck");
                    }
                });
            }
        });
    }

    @AfterEach
    void tearDown() {
        clock.stop();
        channel.finishAndReleaseAll();
    }

    private void advanceSeconds(long s) {
        channel.advanceTimeBy(s, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aHeadDeadlineMovedToIdleFiresForIdleOnlyAtTheIdleTime() {
        clock.awaitHead(true);   // header_read: 10 s
        advanceSeconds(2);
        clock.headDone();
        clock.awaitHead(false);  // the response went out: idle keep-alive, 75 s from t=2

        advanceSeconds(9);       // t=11: past the old head deadline
        assertThat(fired).isEmpty();
        advanceSeconds(65);      // t=76: 1 s before the idle deadline
        assertThat(fired).isEmpty();
        advanceSeconds(1);       // t=77
        assertThat(fired).containsExactly("idle");
        assertThat(clock.waiting()).isEqualTo(ClientClock.Wait.NOTHING);
        advanceSeconds(300);
        assertThat(fired).containsExactly("idle");
    }

    @Test
    void aPartialHeadAfterAnIdleWaitStillRunsOnHeaderRead() {
        clock.awaitHead(false);  // idle: 75 s
        advanceSeconds(50);
        clock.bytesArrived(true); // the first bytes of the next head, then nothing more
        assertThat(clock.waiting()).isEqualTo(ClientClock.Wait.HEAD);
        advanceSeconds(9);       // t=59
        assertThat(fired).isEmpty();
        advanceSeconds(1);       // t=60: header_read from the first byte
        assertThat(fired).containsExactly("head");
        advanceSeconds(100);     // the idle deadline (t=75) passed: it was replaced, it does not fire
        assertThat(fired).containsExactly("head");
    }

    @Test
    void moreBytesOfAHeadDoNotRestartHeaderRead() {
        clock.awaitHead(true);
        advanceSeconds(6);
        clock.bytesArrived(true);
        advanceSeconds(4);       // t=10: 10 s after the head began, 4 s after the last bytes
        assertThat(fired).containsExactly("head");
    }

    @Test
    void aBodyWaitFiresAfterBodyReadFromItsLastStartAndNotForTheHeadBeforeIt() {
        clock.awaitHead(true);
        advanceSeconds(1);
        clock.headDone();
        clock.bodyClock(true);   // body_read: 30 s from t=1
        advanceSeconds(20);
        clock.bytesArrived(false); // a piece of the body: the wait is over
        assertThat(clock.waiting()).isEqualTo(ClientClock.Wait.NOTHING);
        clock.bodyClock(true);   // the next read decision: 30 s from t=21
        advanceSeconds(29);      // t=50
        assertThat(fired).isEmpty();
        advanceSeconds(1);       // t=51
        assertThat(fired).containsExactly("body");
    }

    @Test
    void aStoppedBodyClockDoesNotFire() {
        clock.bodyClock(true);
        advanceSeconds(10);
        clock.bodyClock(false);
        advanceSeconds(100);
        assertThat(fired).isEmpty();
        assertThat(clock.scheduled()).isFalse(); // the stale task fired and found nothing armed
    }

    @Test
    void clientSendRunsBesideTheIdleWaitOnTheSameTask() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[64])); // queued, never flushed: the client takes nothing
        assertThat(channel.isWritable()).isFalse();

        clock.awaitHead(false);  // idle: 75 s
        clock.writabilityChanged(); // client_send: 20 s
        advanceSeconds(19);
        assertThat(fired).isEmpty();
        advanceSeconds(1);       // t=20
        assertThat(fired).containsExactly("stuck");
        assertThat(clock.waiting()).isEqualTo(ClientClock.Wait.IDLE);
        advanceSeconds(55);      // t=75
        assertThat(fired).containsExactly("stuck", "idle");
    }

    @Test
    void clientSendGivesAnotherPeriodWhenTheClientTookSomething() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        clock.writabilityChanged();
        advanceSeconds(10);
        channel.write(Unpooled.wrappedBuffer(new byte[8])); // the pending bytes moved
        advanceSeconds(10);      // t=20: progress since the mark, another period
        assertThat(fired).isEmpty();
        advanceSeconds(20);      // t=40: nothing moved in that period
        assertThat(fired).containsExactly("stuck");
    }

    @Test
    void anUpstreamTimerRunsOnTheConnectionsTaskBesideTheIdleWait() {
        DeadlineTimer upstream = carried("upstream");
        clock.awaitHead(false);  // idle: 75 s
        upstream.arm(clock, TimeUnit.SECONDS.toNanos(60));
        advanceSeconds(59);
        assertThat(fired).isEmpty();
        advanceSeconds(1);       // t=60
        assertThat(fired).containsExactly("upstream");
        assertThat(upstream.isArmed()).isFalse();
        assertThat(clock.waiting()).isEqualTo(ClientClock.Wait.IDLE);
        advanceSeconds(15);      // t=75
        assertThat(fired).containsExactly("upstream", "idle");
        assertThat(clock.scheduled()).isFalse();
    }

    @Test
    void anUpstreamTimerArmedEarlierThanTheTaskMovesTheTaskForward() {
        DeadlineTimer upstream = carried("upstream");
        clock.awaitHead(false);  // the task: t=75
        advanceSeconds(1);
        upstream.arm(clock, TimeUnit.SECONDS.toNanos(5)); // t=6, before the task
        advanceSeconds(5);
        assertThat(fired).containsExactly("upstream");
    }

    @Test
    void aDisarmedUpstreamTimerDoesNotFireAndTheIdleWaitStillDoes() {
        DeadlineTimer upstream = carried("upstream");
        upstream.arm(clock, TimeUnit.SECONDS.toNanos(60));
        advanceSeconds(1);
        upstream.disarm();       // the response head came
        clock.awaitHead(false);  // idle: 75 s from t=1
        advanceSeconds(74);
        assertThat(fired).isEmpty();
        advanceSeconds(1);       // t=76
        assertThat(fired).containsExactly("idle");
    }

    @Test
    void stopCancelsTheTask() {
        DeadlineTimer upstream = carried("upstream");
        upstream.arm(clock, TimeUnit.SECONDS.toNanos(1));
        clock.awaitHead(true);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        clock.writabilityChanged();
        assertThat(clock.scheduled()).isTrue();
        clock.stop();
        assertThat(clock.scheduled()).isFalse();
        advanceSeconds(1000);
        assertThat(fired).isEmpty();
    }

    @Test
    void aTimerTheClockNoLongerCarriesDoesNotFire() {
        DeadlineTimer upstream = carried("upstream");
        upstream.arm(clock, TimeUnit.SECONDS.toNanos(5));
        clock.carry(ClientClock.NO_TIMERS); // the request's objects went back to the loop
        DeadlineTimer next = carried("next");
        next.arm(clock, TimeUnit.SECONDS.toNanos(10));
        advanceSeconds(10);
        assertThat(fired).containsExactly("next");
    }

    /** An upstream timer that records {@code name} when it fires, carried by the clock from now on. */
    private DeadlineTimer carried(String name) {
        DeadlineTimer t = new DeadlineTimer(() -> fired.add(name));
        clock.carry(new DeadlineTimer[] {t});
        return t;
    }
}

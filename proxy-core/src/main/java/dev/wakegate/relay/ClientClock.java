package dev.wakegate.relay;

import dev.wakegate.config.Timeouts;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;

/**
 * The clocks of one HTTP client connection (docs/timeouts.md), for {@link HttpFrontHandler}:
 * <ul>
 *   <li>between requests, {@code idle_keep_alive} until the first byte of a head, then
 *       {@code header_read} until the head is complete (exactly one of the two runs);</li>
 *   <li>{@code body_read} between two reads of a request body, while the handler says it runs
 *       (see {@link ReadPolicy#bodyClockRuns});</li>
 *   <li>{@code client_send} while the channel stays above its high-water mark: it expires only
 *       when the client took none of what was written to it meanwhile ({@link WriteProgress}); a
 *       client that reads slowly but reads gets another period.</li>
 * </ul>
 * The reading side waits for one thing at a time (a head, the next request, or more of a body), so
 * it is one deadline with the {@link Wait} it belongs to; {@code client_send} is a second
 * deadline, as a response may be stuck while the next head or a body is awaited. The upstream
 * timeouts of the request in hand are its {@link UpstreamExchange}'s {@link DeadlineTimer}s, which
 * the clock carries while the connection holds that exchange ({@link #carry}). All share one
 * scheduled task: arming moves a deadline, and the task, which fires no later than the earliest
 * one armed, re-schedules itself for the earliest still armed when it fires early. So a request
 * costs a few field writes, and a connection, idle or not, holds at most one task. An expiry calls
 * its {@link Expiries} method (or the timer's callback) on the event loop, for the wait that
 * expired only. Event loop only; {@link #stop()} when the connection goes.
 */
final class ClientClock implements Runnable {
    static final DeadlineTimer[] NO_TIMERS = new DeadlineTimer[0];

    /** What the reading side waits for. */
    enum Wait {
        NOTHING, HEAD, IDLE, BODY
    }

    /** The handler's reactions to an expiry (one call per expiry, on the event loop). */
    interface Expiries {
        /** {@code header_read} passed before the head was complete. */
        void onHeadTimeout();

        /** {@code idle_keep_alive} passed with no byte of a next head. */
        void onIdleTimeout();

        /** {@code body_read} passed with no byte of the body. */
        void onBodyTimeout();

        /** {@code client_send} passed and the client took nothing meanwhile. */
        void onClientStuck();
    }

    private final ChannelHandlerContext ctx;
    private final EventExecutor executor;
    private final Timeouts timeouts;
    private final Expiries expiries;
    private final WriteProgress writes = new WriteProgress();
    private DeadlineTimer[] timers = NO_TIMERS;

    private Wait wait = Wait.NOTHING;
    private long readDeadline;
    private boolean sendArmed;
    private long sendDeadline;
    private @Nullable ScheduledFuture<?> task;
    private long taskFiresAt;

    ClientClock(ChannelHandlerContext ctx, Timeouts timeouts, Expiries expiries) {
        this.ctx = ctx;
        this.executor = ctx.executor();
        this.timeouts = timeouts;
        this.expiries = expiries;
    }

    /**
     * From now on the task runs {@code upstreamTimers} too (the upstream side's of the request in
     * hand, armed on this clock), instead of those it carried before; {@link #NO_TIMERS} when the
     * connection gives its request's objects back.
     */
    void carry(DeadlineTimer[] upstreamTimers) {
        timers = upstreamTimers;
    }

    /** Waits for a head: idle keep-alive while none of it is here ({@code started} false), else header-read. */
    void awaitHead(boolean started) {
        if (started) {
            armRead(Wait.HEAD, timeouts.headerRead().toNanos());
        } else {
            armRead(Wait.IDLE, timeouts.idleKeepAlive().toNanos());
        }
    }

    /** Bytes came: the first of a head starts its header-read clock; a body wait is over. */
    void bytesArrived(boolean readingHead) {
        if (readingHead && wait == Wait.IDLE) {
            awaitHead(true);
        } else if (wait == Wait.BODY) {
            wait = Wait.NOTHING; // the handler's next read decision arms the next body wait
        }
    }

    /** The head is complete (or refused). */
    void headDone() {
        if (wait == Wait.HEAD || wait == Wait.IDLE) {
            wait = Wait.NOTHING;
        }
    }

    /** Runs {@code body_read} from now when {@code runs} and it is not running yet; stops it otherwise. */
    void bodyClock(boolean runs) {
        if (!runs) {
            if (wait == Wait.BODY) {
                wait = Wait.NOTHING;
            }
        } else if (wait != Wait.BODY) {
            armRead(Wait.BODY, timeouts.bodyRead().toNanos());
        }
    }

    /** The channel's writability changed: above the high-water mark, {@code client_send} starts. */
    void writabilityChanged() {
        if (ctx.channel().isWritable()) {
            sendArmed = false;
        } else if (!sendArmed) {
            writes.mark(ctx.channel());
            armSend();
        }
    }

    /** What the reading side waits for now: for tests. */
    Wait waiting() {
        return wait;
    }

    /** Whether a task is scheduled: for tests. */
    boolean scheduled() {
        return task != null;
    }

    /** The connection is gone or upgraded: no clock outlives it, nor the timers it carries now. */
    void stop() {
        wait = Wait.NOTHING;
        sendArmed = false;
        for (DeadlineTimer t : timers) {
            t.stop();
        }
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public void run() {
        task = null;
        long now = executor.ticker().nanoTime();
        if (wait != Wait.NOTHING && readDeadline - now <= 0) {
            Wait expired = wait;
            wait = Wait.NOTHING;
            switch (expired) {
                case HEAD -> expiries.onHeadTimeout();
                case IDLE -> expiries.onIdleTimeout();
                case BODY -> expiries.onBodyTimeout();
                default -> throw new AssertionError(expired);
            }
        }
        if (sendArmed && sendDeadline - now <= 0) {
            sendArmed = false;
            onSendTimeout();
        }
        for (DeadlineTimer t : timers) {
            t.expireIfDue(now);
        }
        // on for the earliest deadline still armed (an expiry may have armed one and scheduled for it)
        if (wait != Wait.NOTHING) {
            schedule(now, readDeadline);
        }
        if (sendArmed) {
            schedule(now, sendDeadline);
        }
        for (DeadlineTimer t : timers) {
            t.scheduleIfArmed(this, now);
        }
    }

    long now() {
        return executor.ticker().nanoTime();
    }

    /** A deadline was armed at {@code deadline}: the task fires no later than that. */
    void due(long now, long deadline) {
        assert executor.inEventLoop();
        schedule(now, deadline);
    }

    private void armRead(Wait w, long delayNanos) {
        assert executor.inEventLoop();
        long now = executor.ticker().nanoTime();
        wait = w;
        readDeadline = now + delayNanos;
        schedule(now, readDeadline);
    }

    private void armSend() {
        long now = executor.ticker().nanoTime();
        sendDeadline = now + timeouts.clientSend().toNanos();
        sendArmed = true;
        schedule(now, sendDeadline);
    }

    /** Makes sure the task fires no later than {@code deadline}: only a later pending task is re-scheduled. */
    private void schedule(long now, long deadline) {
        if (task != null) {
            if (taskFiresAt - deadline <= 0) {
                return;
            }
            task.cancel(false);
        }
        taskFiresAt = deadline;
        task = executor.schedule(this, Math.max(0, deadline - now), TimeUnit.NANOSECONDS);
    }

    private void onSendTimeout() {
        if (!ctx.channel().isActive() || ctx.channel().isWritable()) {
            return;
        }
        if (writes.advanced(ctx.channel())) {
            armSend();
            return;
        }
        expiries.onClientStuck();
    }
}

package dev.wakegate.relay;

import dev.wakegate.config.Timeouts;
import io.netty.channel.ChannelHandlerContext;

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
 * Each is a lazy {@link DeadlineTimer}, so a request costs a few field writes. An expiry runs the
 * handler's callback on the event loop. Event loop only; {@link #stop()} when the connection goes.
 */
final class ClientClock {
    private final ChannelHandlerContext ctx;
    private final Timeouts timeouts;
    private final Runnable onClientStuck;
    private final DeadlineTimer headTimer;
    private final DeadlineTimer idleTimer;
    private final DeadlineTimer bodyTimer;
    private final DeadlineTimer sendTimer;
    private final WriteProgress writes = new WriteProgress();

    /**
     * @param onHeadTimeout  {@code header_read} passed before the head was complete
     * @param onIdleTimeout  {@code idle_keep_alive} passed with no byte of a next head
     * @param onBodyTimeout  {@code body_read} passed with no byte of the body
     * @param onClientStuck  {@code client_send} passed and the client took nothing meanwhile
     */
    ClientClock(ChannelHandlerContext ctx, Timeouts timeouts, Runnable onHeadTimeout, Runnable onIdleTimeout,
                Runnable onBodyTimeout, Runnable onClientStuck) {
        this.ctx = ctx;
        this.timeouts = timeouts;
        this.onClientStuck = onClientStuck;
        this.headTimer = new DeadlineTimer(ctx.executor(), onHeadTimeout);
        this.idleTimer = new DeadlineTimer(ctx.executor(), onIdleTimeout);
        this.bodyTimer = new DeadlineTimer(ctx.executor(), onBodyTimeout);
        this.sendTimer = new DeadlineTimer(ctx.executor(), this::onSendTimeout);
    }

    /** Waits for a head: idle keep-alive while none of it is here ({@code started} false), else header-read. */
    void awaitHead(boolean started) {
        if (started) {
            idleTimer.disarm();
            headTimer.arm(timeouts.headerRead().toNanos());
        } else {
            headTimer.disarm();
            idleTimer.arm(timeouts.idleKeepAlive().toNanos());
        }
    }

    /** Bytes came: the first of a head starts its header-read clock; a body wait is over. */
    void bytesArrived(boolean readingHead) {
        if (readingHead && idleTimer.isArmed()) {
            awaitHead(true);
        }
        bodyTimer.disarm(); // the handler's next read decision arms the next body wait
    }

    /** The head is complete (or refused). */
    void headDone() {
        headTimer.disarm();
        idleTimer.disarm();
    }

    /** Runs {@code body_read} from now when {@code runs} and it is not running yet; stops it otherwise. */
    void bodyClock(boolean runs) {
        if (!runs) {
            bodyTimer.disarm();
        } else if (!bodyTimer.isArmed()) {
            bodyTimer.arm(timeouts.bodyRead().toNanos());
        }
    }

    /** The channel's writability changed: above the high-water mark, {@code client_send} starts. */
    void writabilityChanged() {
        if (ctx.channel().isWritable()) {
            sendTimer.disarm();
        } else if (!sendTimer.isArmed()) {
            writes.mark(ctx.channel());
            sendTimer.arm(timeouts.clientSend().toNanos());
        }
    }

    /** The connection is gone or upgraded: no clock outlives it. */
    void stop() {
        headTimer.stop();
        idleTimer.stop();
        bodyTimer.stop();
        sendTimer.stop();
    }

    private void onSendTimeout() {
        if (!ctx.channel().isActive() || ctx.channel().isWritable()) {
            return;
        }
        if (writes.advanced(ctx.channel())) {
            sendTimer.arm(timeouts.clientSend().toNanos());
            return;
        }
        onClientStuck.run();
    }
}

package dev.wakegate.relay;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;

/**
 * One timeout of a connection that is armed and disarmed on every request but rarely fires (the
 * client's timeouts on its {@link ClientClock}, the upstream ones of its {@link UpstreamExchange}).
 * Arming only moves a deadline; at most one scheduled task per timer exists, and when it fires
 * before the deadline it re-schedules itself for the remainder, as Netty's
 * {@code IdleStateHandler} does. So a request costs a few field writes instead of a
 * {@code ScheduledFutureTask}, a lambda and a priority-queue insert and removal per timer; the
 * load profile showed those as 40% of the bytes allocated on the event loop.
 *
 * <p>Time comes from the executor's ticker (mockable in {@code EmbeddedChannel} tests). Event loop
 * only; {@link #stop()} when the connection goes away, so no task outlives it.
 */
final class DeadlineTimer implements Runnable {
    private final EventExecutor executor;
    private final Runnable onExpiry;
    private boolean armed;
    private long deadline;
    private @Nullable ScheduledFuture<?> task;
    private long taskFiresAt;

    /** {@code onExpiry} runs on the executor when an armed deadline passes; the timer is then disarmed. */
    DeadlineTimer(EventExecutor executor, Runnable onExpiry) {
        this.executor = executor;
        this.onExpiry = onExpiry;
    }

    /** (Re)arms to expire {@code delayNanos} from now, replacing any earlier deadline. */
    void arm(long delayNanos) {
        assert executor.inEventLoop();
        long now = executor.ticker().nanoTime();
        deadline = now + delayNanos;
        armed = true;
        if (task == null) {
            schedule(now, delayNanos);
        } else if (taskFiresAt - deadline > 0) {
            // the pending task would fire after the new, earlier deadline: only then pay for a re-schedule
            task.cancel(false);
            schedule(now, delayNanos);
        }
    }

    /** Forgets the deadline; the pending task, if any, finds nothing to do when it fires. */
    void disarm() {
        armed = false;
    }

    boolean isArmed() {
        return armed;
    }

    /** Disarms and cancels the pending task: for a connection that is gone. */
    void stop() {
        armed = false;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public void run() {
        task = null;
        if (!armed) {
            return;
        }
        long now = executor.ticker().nanoTime();
        long left = deadline - now;
        if (left > 0) {
            schedule(now, left);
            return;
        }
        armed = false;
        onExpiry.run();
    }

    private void schedule(long now, long delayNanos) {
        taskFiresAt = now + delayNanos;
        task = executor.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }
}

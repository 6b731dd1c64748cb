package dev.wakegate.relay;

/**
 * One more timeout of a client connection that is armed and disarmed on every request but rarely
 * fires: the upstream ones of its {@link UpstreamExchange}. It has no task of its own: it runs on
 * the one scheduled task of the {@link ClientClock} that carries it ({@link ClientClock#carry}),
 * which fires no later than the earliest deadline armed on the connection and, when it fires
 * early, re-schedules itself for the remainder, as Netty's {@code IdleStateHandler} does. So
 * arming costs a few field writes instead of a {@code ScheduledFutureTask}, a lambda and a
 * priority-queue insert and removal (the load profile showed those as 40% of the bytes allocated
 * on the event loop), and a connection holds one task however many of its timeouts ran lately.
 *
 * <p>Time comes from the executor's ticker (mockable in {@code EmbeddedChannel} tests). Event loop
 * only.
 */
final class DeadlineTimer {
    private final Runnable onExpiry;
    private boolean armed;
    private long deadline;

    /** {@code onExpiry} runs on the event loop when an armed deadline passes; the timer is then disarmed. */
    DeadlineTimer(Runnable onExpiry) {
        this.onExpiry = onExpiry;
    }

    /** (Re)arms to expire {@code delayNanos} from now on {@code clock}, which carries it, replacing any earlier deadline. */
    void arm(ClientClock clock, long delayNanos) {
        long now = clock.now();
        deadline = now + delayNanos;
        armed = true;
        clock.due(now, deadline);
    }

    /** Forgets the deadline; the clock's task, if it was scheduled for it, finds nothing to do here. */
    void disarm() {
        armed = false;
    }

    boolean isArmed() {
        return armed;
    }

    /** Disarms, for a connection or exchange that is gone ({@link ClientClock#stop} cancels the task). */
    void stop() {
        armed = false;
    }

    /** The clock's task: runs the expiry when the armed deadline is not after {@code now}. */
    void expireIfDue(long now) {
        if (armed && deadline - now <= 0) {
            armed = false;
            onExpiry.run();
        }
    }

    /** The clock's task: schedules on for the deadline still armed. */
    void scheduleIfArmed(ClientClock clock, long now) {
        if (armed) {
            clock.due(now, deadline);
        }
    }
}

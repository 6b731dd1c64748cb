package dev.wakegate.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Debug lines about one connection, for the handlers of the data path: the channel first (its id
 * and both addresses, as Netty prints it), then what happened, then the cause, as armeria's
 * {@code "{} Unexpected ..."} lines do. An I/O error (a reset, a broken pipe) is one line; any
 * other exception, which may be a bug, comes with its stack trace.
 *
 * <p>At most {@value #LINES_PER_SECOND} lines a second per instance (one per handler class); the
 * lines over the limit are counted and the next line that is written says how many were left
 * out. With debug off a call costs one level check. Thread-safe and lock-free: one instance is
 * shared by every event loop.
 */
public final class ChannelLog {
    /** Lines written at most per second and per instance. */
    public static final int LINES_PER_SECOND = 10;
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Logger log;
    private final int perWindow;
    private final LongSupplier nanoTime;
    private final AtomicLong windowStart;
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger suppressed = new AtomicInteger();

    ChannelLog(Logger log, int perWindow, LongSupplier nanoTime) {
        this.log = log;
        this.perWindow = perWindow;
        this.nanoTime = nanoTime;
        this.windowStart = new AtomicLong(nanoTime.getAsLong());
    }

    /** The log of {@code owner}'s connections, under {@code owner}'s logger name. */
    public static ChannelLog of(Class<?> owner) {
        return new ChannelLog(LoggerFactory.getLogger(owner), LINES_PER_SECOND, System::nanoTime);
    }

    /** {@code "<channel> <what>: <cause>"} at debug, within the rate. */
    public void debug(Object channel, String what, Throwable cause) {
        if (!log.isDebugEnabled() || !admit()) {
            return;
        }
        String dropped = dropped();
        if (cause instanceof IOException) {
            log.debug("{} {}: {}{}", channel, what, cause, dropped);
        } else {
            log.debug("{} {}: {}{}", channel, what, cause, dropped, cause);
        }
    }

    /** {@code "<channel> <what>"} at debug, within the rate. */
    public void debug(Object channel, String what) {
        if (log.isDebugEnabled() && admit()) {
            log.debug("{} {}{}", channel, what, dropped());
        }
    }

    private boolean admit() {
        long now = nanoTime.getAsLong();
        long start = windowStart.get();
        if (now - start >= WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
            written.set(0);
        }
        if (written.incrementAndGet() > perWindow) {
            suppressed.incrementAndGet();
            return false;
        }
        return true;
    }

    private String dropped() {
        int n = suppressed.getAndSet(0);
        return n == 0 ? "" : " (" + n + " similar line" + (n == 1 ? "" : "s") + " left out before this one)";
    }
}

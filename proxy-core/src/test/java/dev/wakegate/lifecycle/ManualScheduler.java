package dev.wakegate.lifecycle;

import dev.wakegate.testing.TestClock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic {@link ScheduledExecutorService} driven by a {@link TestClock}: tasks run only
 * inside {@link #runPending()} / {@link #advance}, on the test thread, in time order. Submissions
 * are thread-safe, so other threads may hand it work.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final TestClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seqNo, b.seqNo));
    private long seq;

    ManualScheduler(TestClock clock) {
        this.clock = clock;
    }

    /** Runs everything due now, including what those tasks submit, until nothing is due. */
    void runPending() {
        for (int guard = 0; guard < 1_000_000; guard++) {
            Task t;
            synchronized (this) {
                t = queue.peek();
                if (t == null || t.at > clock.millis()) {
                    return;
                }
                queue.poll();
            }
            t.runOnce();
        }
        throw new IllegalStateException("runaway task loop");
    }

    /** Moves time forward, running each task at its due time. */
    void advance(Duration d) {
        long target = clock.millis() + d.toMillis();
        while (true) {
            runPending();
            long next;
            synchronized (this) {
                Task t = queue.peek();
                if (t == null || t.at > target) {
                    break;
                }
                next = t.at;
            }
            clock.setMillis(Math.max(clock.millis(), next));
        }
        clock.setMillis(target);
        runPending();
    }

    private synchronized Task add(Runnable r, long delayMillis, long period) {
        Task t = new Task(r, clock.millis() + Math.max(0, delayMillis), period, seq++);
        queue.add(t);
        return t;
    }

    @Override
    public void execute(Runnable command) {
        add(command, 0, 0);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, unit.toMillis(delay), 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(command, unit.toMillis(initialDelay), Math.max(1, unit.toMillis(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return new ArrayList<>();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object> {
        final Runnable r;
        final long period;
        final long seqNo;
        long at;
        volatile boolean cancelled;
        volatile boolean done;

        Task(Runnable r, long at, long period, long seqNo) {
            this.r = r;
            this.at = at;
            this.period = period;
            this.seqNo = seqNo;
        }

        void runOnce() {
            if (cancelled) {
                return;
            }
            r.run();
            if (period > 0 && !cancelled) {
                synchronized (ManualScheduler.this) {
                    at += period;
                    queue.add(this);
                }
            } else {
                done = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - clock.millis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), o.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            synchronized (ManualScheduler.this) {
                queue.remove(this);
            }
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}

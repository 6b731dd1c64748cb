package dev.wakegate.lifecycle;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one serial lane on which every lifecycle decision runs: state transitions, start and stop
 * operations, event handling, idle checks, flushes. It runs on the scheduler wakegate hands the
 * lifecycle (an event loop of its own or a small scheduled pool, never a client event loop) and
 * keeps tasks in submission order even when that scheduler has several threads.
 *
 * <p>Why a serial lane rather than locks: a container's transitions are triggered from many places
 * (requests on every event loop, runtime futures on the Docker executor, the event stream, timers)
 * and each transition starts asynchronous work. With one lane, the state machine is plain code,
 * no lock is ever held around a runtime call, and a task never waits for another: all work in it
 * is non-blocking. Hot-path fields the data path reads are volatile and written only here.
 */
final class LifecycleExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(LifecycleExecutor.class);

    private final ScheduledExecutorService scheduler;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile @Nullable Thread runner;
    private volatile boolean closed;

    LifecycleExecutor(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (draining.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                if (closed) {
                    // Shutting down: late completions (a Docker or Redis reply) have nobody to tell.
                    log.debug("lifecycle closed; dropped a late task");
                } else {
                    log.warn("lifecycle scheduler rejected a task: {}", e.toString());
                }
            }
        }
    }

    private void drain() {
        runner = Thread.currentThread();
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    log.error("lifecycle task failed", t);
                }
            }
        } finally {
            runner = null;
            draining.set(false);
        }
        // A task added after the last poll but before draining was reset needs a new drain.
        if (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                log.debug("lifecycle scheduler gone; {} task(s) dropped", tasks.size());
            }
        }
    }

    /** The lifecycle is shutting down: tasks the scheduler refuses from now on are dropped quietly. */
    void close() {
        closed = true;
    }

    /** True on the lane itself; used in assertions of lane-only methods. */
    boolean inLane() {
        return runner == Thread.currentThread();
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(() -> execute(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
            log.debug("lifecycle closed; a timer was not set");
            return NeverFires.INSTANCE;
        }
    }

    ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        long nanos = period.toNanos();
        return scheduler.scheduleAtFixedRate(() -> execute(task), nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** What {@link #schedule} returns once closed: a timer that was cancelled before it was set. */
    private static final class NeverFires implements ScheduledFuture<Object> {
        static final NeverFires INSTANCE = new NeverFires();

        @Override
        public long getDelay(TimeUnit unit) {
            return Long.MAX_VALUE;
        }

        @Override
        public int compareTo(java.util.concurrent.Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return false;
        }

        @Override
        public boolean isCancelled() {
            return true;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            throw new java.util.concurrent.CancellationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new java.util.concurrent.CancellationException();
        }
    }
}

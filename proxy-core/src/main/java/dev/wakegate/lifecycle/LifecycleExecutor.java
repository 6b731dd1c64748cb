package dev.wakegate.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
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
    private volatile Thread runner;

    LifecycleExecutor(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (draining.compareAndSet(false, true)) {
            try {
                scheduler.execute(this::drain);
            } catch (RuntimeException e) {
                draining.set(false);
                log.warn("lifecycle scheduler rejected a task (shutting down?)", e);
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
            scheduler.execute(this::drain);
        }
    }

    /** True on the lane itself; used in assertions of lane-only methods. */
    boolean inLane() {
        return runner == Thread.currentThread();
    }

    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return scheduler.schedule(() -> execute(task), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
        long nanos = period.toNanos();
        return scheduler.scheduleAtFixedRate(() -> execute(task), nanos, nanos, TimeUnit.NANOSECONDS);
    }
}

package dev.wakegate.provider.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.wakegate.async.Futures;
import dev.wakegate.config.Durations;
import dev.wakegate.lifecycle.StartFailure;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs every call of the Docker provider: on a small pool ({@code wakegate-docker-N}), bounded by
 * a deadline counted from when the call was asked for, and with its failure typed.
 *
 * <p>A call past its deadline fails with {@code RUNTIME_UNAVAILABLE} "docker engine unreachable at
 * HOST: no answer within ..." and has its worker interrupted (the unix-socket transport has no
 * read timeout of its own); whoever listens through {@link #whenSilent} hears of it, so that the
 * event streams are dropped too. Other failures become a {@link StartFailure} of the kind that
 * says why: {@code MISSING} for a container the engine does not know, {@code FAILED} with the
 * engine's own words for a refusal, {@code RUNTIME_UNAVAILABLE} when the engine cannot be reached.
 * The deadlines run on a timer thread of their own that no engine call ever blocks.
 *
 * <p>It also keeps whether the engine answered last time, and logs each change once.
 */
public final class EngineCalls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DockerProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long {@link #close} lets calls under way (a stop, say) finish before interrupting them. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /** The body of one call: engine requests on the calling worker. */
    @FunctionalInterface
    public interface Call<T> {
        @Nullable T run() throws Exception;
    }

    private final String dockerHost;
    private final Duration callTimeout;
    /** The engine's API version, for the log line when it first answers. */
    private final Call<String> version;
    private final ExecutorService executor;
    /** Call deadlines and periodic checks: never blocked by an engine call. */
    private final ScheduledExecutorService timer;
    private final List<Consumer<String>> silenceListeners = new CopyOnWriteArrayList<>();
    /** null until the first call tells; then whether the engine answered last time. */
    private final AtomicReference<@Nullable Boolean> reachable = new AtomicReference<>();
    private volatile boolean closed;

    EngineCalls(String dockerHost, Duration callTimeout, Call<String> version) {
        this.dockerHost = dockerHost;
        this.callTimeout = callTimeout;
        this.version = version;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("wakegate-docker-"));
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, daemonThreads("wakegate-docker-timer-"));
        deadlines.setRemoveOnCancelPolicy(true);
        this.timer = deadlines;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    /** From now on failures say the provider is closing, not that the engine is gone. */
    void closing() {
        closed = true;
    }

    /** A call bounded by the call timeout ({@code timeouts.docker_call}). */
    public <T> CompletableFuture<T> call(@Nullable String name, Call<T> body) {
        return call(name, callTimeout, body);
    }

    /**
     * Runs {@code body} on the pool; the future completes there, with its value, or with a
     * {@link StartFailure} about {@code name} (null for calls about no container). A body that
     * decides its failure itself throws the {@link StartFailure}, which is passed on as it is.
     */
    public <T> CompletableFuture<T> call(@Nullable String name, Duration limit, Call<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Worker worker = new Worker();
        try {
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                String reason = unreachable("no answer within " + Durations.format(limit));
                if (result.completeExceptionally(new StartFailure(name, StartFailure.Kind.RUNTIME_UNAVAILABLE, reason))) {
                    worker.interrupt();
                    silent(reason);
                }
            }, limit.toMillis(), TimeUnit.MILLISECONDS);
            executor.execute(() -> {
                worker.begin();
                try {
                    T value = body.run();
                    if (result.complete(value)) {
                        markReachable();
                    }
                } catch (Throwable t) {
                    result.completeExceptionally(translate(name, t));
                } finally {
                    deadline.cancel(false);
                    worker.end();
                }
            });
        } catch (RejectedExecutionException closedAlready) {
            result.completeExceptionally(new StartFailure(name, StartFailure.Kind.RUNTIME_UNAVAILABLE,
                    "docker runtime is closed"));
        }
        return result;
    }

    /** Calls {@code listener} with the reason whenever a call goes unanswered past its deadline. */
    void whenSilent(Consumer<String> listener) {
        silenceListeners.add(listener);
    }

    /** Runs {@code task} on the timer every {@code period}; a task must not block. */
    void every(Duration period, Runnable task) {
        long ms = period.toMillis();
        timer.scheduleWithFixedDelay(task, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * An engine call went unanswered: the engine accepts connections but does not work (frozen,
     * or hopelessly overloaded). It counts as gone.
     */
    private void silent(String reason) {
        markUnreachable(reason);
        for (Consumer<String> l : silenceListeners) {
            l.accept(reason);
        }
    }

    private StartFailure translate(@Nullable String name, Throwable t) {
        Throwable cause = Futures.unwrap(t);
        if (cause instanceof StartFailure decided && decided.kind() != StartFailure.Kind.RUNTIME_UNAVAILABLE) {
            markReachable(); // the engine answered; the body said what the answer means
            return decided;
        }
        if (cause instanceof NotFoundException) {
            markReachable();
            return new StartFailure(name, StartFailure.Kind.MISSING, "no such container " + name);
        }
        if (cause instanceof DockerException de) {
            markReachable();
            return new StartFailure(name, StartFailure.Kind.FAILED, engineMessage(de));
        }
        if (closed) {
            // Interrupted by close(): the engine is fine, the proxy is going away.
            return new StartFailure(name, StartFailure.Kind.RUNTIME_UNAVAILABLE, "docker runtime is closed");
        }
        String reason = unreachable(cause);
        markUnreachable(reason);
        return new StartFailure(name, StartFailure.Kind.RUNTIME_UNAVAILABLE, reason);
    }

    /** docker-java puts "Status 500: {\"message\":\"...\"}" in the message; keep the engine's words. */
    public static String engineMessage(DockerException e) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        int json = text.indexOf('{');
        if (json >= 0) {
            try {
                JsonNode node = JSON.readTree(text.substring(json));
                if (node.hasNonNull("message")) {
                    return node.get("message").asText();
                }
            } catch (IOException notJson) {
                // fall through to the raw text
            }
        }
        return text.isBlank() ? "docker engine error (HTTP " + e.getHttpStatus() + ")" : text.trim();
    }

    /** "docker engine unreachable at HOST: why". */
    String unreachable(String why) {
        return "docker engine unreachable at " + dockerHost + ": " + why;
    }

    /** The reason for a failure to reach the engine, from its root cause. */
    String unreachable(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof EngineSilent || root instanceof StartFailure) {
            return String.valueOf(root.getMessage()); // already "docker engine unreachable at ...: ..."
        }
        String why = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return unreachable(why);
    }

    void markReachable() {
        if (closed) {
            return; // calls cut short by close() say nothing about the engine
        }
        if (!Boolean.TRUE.equals(reachable.getAndSet(Boolean.TRUE))) {
            // the API version for the log is one more call: bounded like the others, and never on
            // the caller's thread (the events thread must not wait on an engine that just froze)
            call(null, version).whenComplete((api, ex) ->
                    log.info("docker engine connected (API {}) at {}", ex == null ? api : "?", dockerHost));
        }
    }

    void markUnreachable(String reason) {
        if (closed) {
            return;
        }
        if (!Boolean.FALSE.equals(reachable.getAndSet(Boolean.FALSE))) {
            log.warn("{}", reason);
        }
    }

    /**
     * Lets calls under way (a stop, say) finish for {@link #CLOSE_GRACE}, so that the proxy's own
     * view and the shared records end consistent (the engine carries on with a stop anyway); only
     * what outlasts the grace is interrupted. The deadlines keep running meanwhile: a call stuck on
     * a silent engine ends at its own.
     */
    @Override
    public void close() {
        closed = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("docker calls still under way after {}s; abandoning them", CLOSE_GRACE.toSeconds());
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        timer.shutdownNow();
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The thread running one call, so that its deadline can free it: the unix-socket transport has
     * no read timeout, and a read on a silent engine would otherwise hold the worker until the
     * engine answers or dies. Interrupting closes the call's channel (its connection is dropped).
     */
    private static final class Worker {
        private @Nullable Thread thread;
        private boolean done;

        synchronized void begin() {
            thread = Thread.currentThread();
        }

        synchronized void interrupt() {
            if (thread != null && !done) {
                thread.interrupt();
            }
        }

        void end() {
            synchronized (this) {
                done = true;
                thread = null;
            }
            Thread.interrupted(); // an interrupt meant for this call must not reach the pool's next task
        }
    }

    /** The cause of a stream dropped because the engine did not answer a call in time. */
    static final class EngineSilent extends IOException {
        private static final long serialVersionUID = 1L;

        EngineSilent(String reason) {
            super(reason, null);
        }
    }
}

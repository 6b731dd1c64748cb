package dev.wakegate.provider;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * An engine that runs the workloads wakegate wakes and puts to sleep, as the lifecycle sees it:
 * seven verbs and nothing about the engine behind them. A workload is whatever a name in
 * {@code containers:} stands for on that engine: for the Docker provider
 * ({@code dev.wakegate.provider.docker} in proxy-server) a container, found by its name or by its
 * compose service label. Unit tests use fakes.
 *
 * <p>Every method returns at once; the work runs on the provider's own threads and the futures
 * complete there. Callers on an event loop hop back with {@code eventLoop().execute}. A future
 * fails with a {@link dev.wakegate.lifecycle.StartFailure} whose kind says why, and the lifecycle
 * decides on that kind alone: {@code MISSING} (the engine knows no such workload),
 * {@code RUNTIME_UNAVAILABLE} (the engine cannot be reached, or did not answer in time) or
 * {@code FAILED} (the engine refused; its own words are the reason).
 */
public interface WorkloadProvider extends AutoCloseable {

    /** Starts the workload; completes when the engine has accepted the start (not when it is ready). */
    CompletableFuture<Void> start(String name);

    /** Stops the workload, waiting at most {@code grace} before the engine kills it. */
    CompletableFuture<Void> stop(String name, Duration grace);

    /**
     * Freezes the workload's processes, keeping their memory (Docker: {@code docker pause});
     * completes when they are frozen. One paused already is left as it is.
     */
    CompletableFuture<Void> pause(String name);

    /**
     * Thaws a paused workload (Docker: {@code docker unpause}); completes when it runs again. One
     * that is not paused is left as it is (whether it runs is for {@link #inspect} to say).
     */
    CompletableFuture<Void> unpause(String name);

    /** Its current state; completes with {@link WorkloadInfo#missing} when the engine knows no such workload. */
    CompletableFuture<WorkloadInfo> inspect(String name);

    /** Every workload the engine knows (running or not). */
    CompletableFuture<List<WorkloadInfo>> list();

    /**
     * Follows the engine's events (create, start, kill, die, stop, pause, unpause, destroy,
     * health status),
     * reconnecting by itself; {@code listener} also receives {@link WorkloadEvent.Type#RESYNC}
     * after each (re)connect, when the caller should {@link #list()} again, and
     * {@link WorkloadEvent.Type#DISCONNECTED} when the engine went away. It is called on one
     * thread, in the engine's order, and must not block.
     *
     * @return closes the subscription
     */
    AutoCloseable subscribe(Consumer<WorkloadEvent> listener);

    @Override
    default void close() {
    }
}

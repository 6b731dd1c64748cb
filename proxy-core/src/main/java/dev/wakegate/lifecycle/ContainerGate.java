package dev.wakegate.lifecycle;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The one seam between the data path and the lifecycle. The front handlers ask it, per request
 * or TCP connection, whether the containers a route needs are ready, and report activity to it.
 *
 * <p>{@link #isReady}, and the {@code on*} methods are called on event loops for every request:
 * they answer from memory, never block, and do not allocate. {@link #awaitReady} may complete on
 * any thread; callers hop back to their event loop.
 */
public interface ContainerGate {

    /** True when every named container is known running, ready and not cordoned for a stop. */
    boolean isReady(List<String> containers);

    /**
     * Starts whatever of {@code containers} (and their dependencies) is not ready, sharing starts
     * already in progress, and completes when all are ready; completes exceptionally with a
     * {@link StartFailure} when one fails, the startup timeout passes, or auto-start is off.
     */
    CompletableFuture<Void> awaitReady(List<String> containers);

    /** A request for these containers began (counts as access and as in-flight). */
    void requestStarted(List<String> containers);

    /** That request ended (response complete, or connection gone). */
    void requestEnded(List<String> containers);

    /**
     * A request for these containers began: in flight either way (no stop happens under it), but
     * access only when {@code activity} (false for traffic that must not keep them awake,
     * {@code no_wake}: their idle clocks are not refreshed).
     */
    default void requestStarted(List<String> containers, boolean activity) {
        requestStarted(containers);
    }

    /** That request ended; {@code activity} as it was given to {@link #requestStarted(List, boolean)}. */
    default void requestEnded(List<String> containers, boolean activity) {
        requestEnded(containers);
    }

    /** A long-lived connection (upgraded WebSocket or TCP relay) to these containers opened. */
    void connectionOpened(List<String> containers);

    void connectionClosed(List<String> containers);

    /**
     * The named containers and what they depend on (dependencies first), as the waiting page shows
     * them. Cold path only: it allocates.
     */
    default List<ContainerStatus> wakeProgress(List<String> containers) {
        return List.of();
    }

    /** For routes without containers and for tests of the warm path. */
    ContainerGate ALWAYS_READY = new ContainerGate() {
        @Override
        public boolean isReady(List<String> containers) {
            return true;
        }

        @Override
        public CompletableFuture<Void> awaitReady(List<String> containers) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void requestStarted(List<String> containers) {
        }

        @Override
        public void requestEnded(List<String> containers) {
        }

        @Override
        public void connectionOpened(List<String> containers) {
        }

        @Override
        public void connectionClosed(List<String> containers) {
        }
    };
}

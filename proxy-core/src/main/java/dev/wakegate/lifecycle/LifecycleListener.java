package dev.wakegate.lifecycle;

/**
 * Hooks for what the lifecycle does, so proxy-server can feed Micrometer and logs without the core
 * depending on them. Called on the lifecycle executor: implementations must be quick and must not
 * block (count, record, log).
 */
public interface LifecycleListener {

    /** A container is not ready and something (a request, an admin call) asked for it. */
    default void onStartRequested(String container) {
    }

    /** This instance called the engine to start the container (others may only have waited for it). */
    default void onStartIssued(String container) {
    }

    /** The container became ready {@code millis} after the start was requested (the cold-start time). */
    default void onReady(String container, long millis) {
    }

    default void onStartFailed(String container, StartFailure.Kind kind, String reason) {
    }

    /** The container was stopped; {@code reason} is e.g. "idle for 31m (timeout 30m)" or "manual". */
    default void onStopped(String container, String reason) {
    }

    default void onStopFailed(String container, String reason) {
    }

    LifecycleListener NONE = new LifecycleListener() {
    };
}

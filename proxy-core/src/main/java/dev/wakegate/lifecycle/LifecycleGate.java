package dev.wakegate.lifecycle;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The {@link ContainerGate} the data path holds: the warm path ({@link #isReady}, activity) answers
 * from the registry's memory with a few volatile reads and no allocation; the cold path hands over
 * to the {@link StartupCoordinator}.
 *
 * <p>For the idle cordon to be airtight, call {@link #requestStarted} before (or together with) the
 * {@link #isReady} check that lets a request through: the evictor re-reads in-flight counts after
 * cordoning, so either it sees the request or the request sees the cordon.
 */
public final class LifecycleGate implements ContainerGate {
    private static final CompletableFuture<Void> READY = CompletableFuture.completedFuture(null);

    private final ContainerRegistry registry;
    private final StartupCoordinator coordinator;
    private final ActivityTracker activity;
    private final Function<List<String>, List<ContainerStatus>> progress;

    LifecycleGate(ContainerRegistry registry, StartupCoordinator coordinator, ActivityTracker activity,
                  Function<List<String>, List<ContainerStatus>> progress) {
        this.registry = registry;
        this.coordinator = coordinator;
        this.activity = activity;
        this.progress = progress;
    }

    @Override
    public List<ContainerStatus> wakeProgress(List<String> containers) {
        return progress.apply(containers);
    }

    @Override
    public boolean isReady(List<String> containers) {
        return registry.isReady(containers);
    }

    /**
     * Completes when all are ready; exceptionally with the {@link StartFailure} itself (not wrapped
     * in a CompletionException). Each call gets its own future: cancelling it abandons only this
     * waiter. May complete on any thread.
     */
    @Override
    public CompletableFuture<Void> awaitReady(List<String> containers) {
        if (registry.isReady(containers)) {
            return READY;
        }
        return coordinator.ensureReady(containers, false);
    }

    @Override
    public void requestStarted(List<String> containers) {
        activity.requestStarted(containers);
    }

    @Override
    public void requestEnded(List<String> containers) {
        activity.requestEnded(containers);
    }

    @Override
    public void requestStarted(List<String> containers, boolean isActivity) {
        if (isActivity) {
            activity.requestStarted(containers);
        } else {
            activity.quietRequestStarted(containers);
        }
    }

    @Override
    public void requestEnded(List<String> containers, boolean isActivity) {
        if (isActivity) {
            activity.requestEnded(containers);
        } else {
            activity.quietRequestEnded(containers);
        }
    }

    @Override
    public void connectionOpened(List<String> containers) {
        activity.connectionOpened(containers);
    }

    @Override
    public void connectionClosed(List<String> containers) {
        activity.connectionClosed(containers);
    }
}

package dev.wakegate.lifecycle;

import dev.wakegate.config.ContainerSpec;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * One managed container: the fields the data path reads and bumps on every request, and the
 * lifecycle state written only on the {@link LifecycleExecutor} lane.
 *
 * <p>{@link #ready} is the single field {@link ContainerGate#isReady} reads: it is recomputed
 * whenever state or cordon changes, so the warm path is one volatile read per container.
 */
final class ManagedContainer {
    final String name;
    volatile ContainerSpec spec;

    // --- hot path: any thread ---
    volatile boolean ready;
    final LongAdder inFlight = new LongAdder();
    final LongAdder openConnections = new LongAdder();
    /** Local last access, epoch millis; 0 = never. */
    volatile long lastAccessMillis;

    // --- written on the lane only; volatile so snapshots may read them from anywhere ---
    volatile ContainerState state = ContainerState.UNKNOWN;
    volatile ContainerInfo.Health health = ContainerInfo.Health.NONE;
    volatile boolean hasHealthcheck;
    volatile boolean cordoned;
    /** Shared last access (max over instances) as last loaded from the store; 0 = unknown. */
    volatile long sharedAccessMillis;
    /** When it was last seen starting (event or own start); idle time never counts from before this. */
    volatile long runningSinceMillis;
    /** When this instance first found it running (listing); idle time counts from here if never accessed. */
    volatile long knownSinceMillis;
    volatile long lastStartedMillis;
    volatile long lastStoppedMillis;

    // --- lane only ---
    StartupCoordinator.StartOp start;
    CompletableFuture<Void> stop;
    StartFailure recentFailure;
    long recentFailureUntilMillis;
    long flushedAccessMillis;
    boolean recordDirty = true;

    ManagedContainer(ContainerSpec spec) {
        this.name = spec.name();
        this.spec = spec;
    }

    void setState(ContainerState next) {
        if (state != next) {
            state = next;
            recordDirty = true;
        }
        ready = next == ContainerState.READY && !cordoned;
    }

    void setCordoned(boolean on) {
        cordoned = on;
        ready = state == ContainerState.READY && !on;
    }

    /** Latest access known here: local or shared, whichever is later; 0 when never accessed. */
    long lastAccess() {
        return Math.max(lastAccessMillis, sharedAccessMillis);
    }

    /**
     * The instant idle time counts from: the last access (shared, so a restart of the proxy does not
     * reset it), or when first found running if never accessed, but never before it last started.
     */
    long idleSince() {
        long last = lastAccess();
        if (last == 0) {
            last = knownSinceMillis;
        }
        return Math.max(last, runningSinceMillis);
    }

    long inUse() {
        return inFlight.sum() + openConnections.sum();
    }
}

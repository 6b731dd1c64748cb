package dev.wakegate.lifecycle;

import dev.wakegate.config.ContainerSpec;
import dev.wakegate.provider.WorkloadInfo;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * One managed container: the fields the data path reads and bumps on every request, and the
 * lifecycle state written only on the {@link LifecycleExecutor} lane.
 *
 * <p>{@link #ready} is the single field {@link ContainerGate#isReady} reads per container: it is
 * recomputed whenever state or a cordon changes, so the warm path is one volatile read per
 * container (and per dependency, see {@link #dependencies}).
 *
 * <p>The object belongs to the name, not to one registration: {@link ContainerRegistry} keeps it
 * when the container stops being managed and hands the same object back when it is managed again
 * (label discovery drops and re-adds a container when a dependency is recreated), so in-flight and
 * connection counts taken before survive, and the decrements that follow hit the counters the
 * increments went to.
 */
final class ManagedContainer {
    private static final Logger log = LoggerFactory.getLogger(ManagedContainer.class);

    final String name;
    volatile ContainerSpec spec;

    // --- hot path: any thread ---
    volatile boolean ready;
    final LongAdder inFlight = new LongAdder();
    final LongAdder openConnections = new LongAdder();
    /** Local last access, epoch millis by this host's clock; 0 = never. */
    volatile long lastAccessMillis;
    /** The managed containers this one needs, transitively (not itself); set by the registry. */
    volatile List<ManagedContainer> dependencies = List.of();
    /** The managed containers that need this one, transitively (not itself); set by the registry. */
    volatile List<ManagedContainer> dependants = List.of();

    // --- written on the lane only; volatile so snapshots may read them from anywhere ---
    volatile ContainerState state = ContainerState.UNKNOWN;
    /**
     * Bumped by every engine event about it and every change of {@link #state}: a listing asked
     * for before the last bump is older than what the lane knows (lane only).
     */
    long changes;
    volatile WorkloadInfo.Health health = WorkloadInfo.Health.NONE;
    volatile boolean hasHealthcheck;
    /** Cordoned by this instance's own stop. */
    volatile boolean cordoned;
    /** Id of another instance's stop cordon in force, or null (see {@link SharedCordons}). */
    volatile @Nullable String remoteCordon;
    /**
     * Shared last access (max over instances), as an instant on this host's clock: the store gives
     * an age by its own clock, and the age is subtracted from this host's now when it arrives.
     * 0 = unknown.
     */
    volatile long sharedAccessMillis;
    /** When it was last seen starting (event or own start); idle time never counts from before this. */
    volatile long runningSinceMillis;
    /** When this instance first found it running (listing); idle time counts from here if never accessed. */
    volatile long knownSinceMillis;
    volatile long lastStartedMillis;
    volatile long lastStoppedMillis;
    /** When it was last seen going to sleep, STOPPED or PAUSED (by this host's clock; when first found so, that moment); 0 otherwise. */
    volatile long sleepingSinceMillis;
    /** When the start (or readiness check) in progress was requested; 0 when none runs. */
    volatile long startRequestedMillis;
    /** The latest start that failed, until the next start is requested or it becomes ready. */
    volatile @Nullable StartFailure lastFailure;
    /** This instance's recent cold starts, for the expected start time (written on the lane). */
    final ColdStarts coldStarts = new ColdStarts();
    /** False while it is kept only for its counters (no longer in the config or labels). */
    volatile boolean managed = true;

    // --- lane only ---
    StartupCoordinator.@Nullable StartOp start;
    @Nullable CompletableFuture<Void> stop;
    /** Completed when {@link #remoteCordon} goes away; null when there is none. */
    @Nullable CompletableFuture<Void> remoteCordonLifted;
    /** When the remote cordon lapses by itself (a crashed owner), by this host's clock. */
    long remoteCordonUntilMillis;
    /** The close of the keep-awake window occurrence it was last started (or found up) for; null if none. */
    java.time.@Nullable Instant keptAwakeUntil;
    @Nullable StartFailure recentFailure;
    long recentFailureUntilMillis;
    long flushedAccessMillis;
    boolean recordDirty = true;

    private final AtomicBoolean negativeReported = new AtomicBoolean();

    private final Clock clock;

    ManagedContainer(ContainerSpec spec, Clock clock) {
        this.name = spec.name();
        this.spec = spec;
        this.clock = clock;
    }

    void setState(ContainerState next) {
        if (state != next) {
            if (next == ContainerState.STOPPED || next == ContainerState.PAUSED || next == ContainerState.MISSING) {
                if (sleepingSinceMillis == 0) {
                    sleepingSinceMillis = clock.millis();
                }
            } else if (next != ContainerState.UNKNOWN) {
                sleepingSinceMillis = 0; // UNKNOWN (being inspected) keeps it: it may well still sleep
            }
            state = next;
            changes++;
            recordDirty = true;
        }
        recomputeReady();
    }

    void setCordoned(boolean on) {
        cordoned = on;
        recomputeReady();
    }

    void recomputeReady() {
        ready = managed && state == ContainerState.READY && !cordoned && remoteCordon == null;
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

    /**
     * Requests in flight plus open connections here. Never negative: a count below zero means a
     * decrement without its increment, a bug; it is logged once and read as zero rather than
     * published, where it would hide another instance's real connection.
     */
    long inUse() {
        long n = inFlight.sum() + openConnections.sum();
        if (n < 0) {
            if (negativeReported.compareAndSet(false, true)) {
                log.error("{}: in-use count is {} (a decrement without its increment); counting it as 0", name, n);
            }
            return 0;
        }
        return n;
    }

    /** In use here directly or through a container that needs it (a dependency serves its dependants' requests). */
    long inUseWithDependants() {
        long n = inUse();
        for (ManagedContainer d : dependants) {
            n += d.inUse();
        }
        return n;
    }
}

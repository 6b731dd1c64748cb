package dev.wakegate.lifecycle;

import dev.wakegate.state.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether this instance may stop containers at all, given what it can see of the others
 * (docs/redis.md, "When eviction is suspended"). With a shared store, an instance that cannot see
 * the other instances' activity never acts on its own view that a container is idle:
 * <ul>
 *   <li>while the store is unreachable;</li>
 *   <li>for {@link #SETTLE} after it is reachable again (or first reached), and until this
 *       instance's own heartbeat has gone through since: long enough for every live instance to
 *       have reconnected (Lettuce's reconnect backoff is at most 5 s) and published its usage
 *       again, also into a store that restarted empty;</li>
 *   <li>while another instance is unaccounted for (see {@link Membership}).</li>
 * </ul>
 * Serving and starting go on from memory meanwhile; only stops wait. The embedded in-memory store
 * is never shared, so a single instance without Redis is never suspended.
 *
 * <p>Transitions are logged once each (not once per idle check) and the current reason is published
 * for {@code /health/automation} and the {@code wakegate_eviction_suspended} gauge. Lane only,
 * except the volatile reads.
 */
final class EvictionGuard {
    private static final Logger log = LoggerFactory.getLogger(EvictionGuard.class);
    static final Duration SETTLE = ActivityTracker.USAGE_TTL;

    private final StateStore store;
    private final StoreHealth storeHealth;
    private final Clock clock;

    /** When the store was last seen coming back (this host's clock); -1 while it is away or never reached. */
    private long availableSince = -1;
    private boolean heartbeatSince;
    private volatile @Nullable String reason;
    private volatile @Nullable Cause cause;
    private volatile @Nullable Instant suspendedSince;

    /** What stops wait for; each change of cause is logged once. */
    enum Cause {
        /** The store cannot be reached. */
        STORE_UNAVAILABLE,
        /** The store is back; the others are re-publishing what they use. */
        STORE_SETTLING,
        /** A known instance's usage cannot be read. */
        INSTANCE_UNACCOUNTED
    }

    EvictionGuard(StateStore store, StoreHealth storeHealth, Clock clock) {
        this.store = store;
        this.storeHealth = storeHealth;
        this.clock = clock;
    }

    /** The store came back (or connected for the first time): everything must be re-read. */
    void storeCameBack() {
        availableSince = clock.millis();
        heartbeatSince = false;
    }

    /** This instance's heartbeat went through: the others can see it, and it them. */
    void heartbeatSucceeded() {
        if (availableSince < 0) {
            availableSince = clock.millis();
        }
        heartbeatSince = true;
    }

    /**
     * True (and suspended, with the reason) when stops must wait, judged from the store's
     * availability alone; the idle check still has to account for every peer (see {@link Membership}).
     */
    boolean blockedByStore() {
        if (!store.isShared()) {
            return false;
        }
        if (!store.isAvailable() || storeHealth.isDown()) {
            availableSince = -1;
            heartbeatSince = false;
            suspend(Cause.STORE_UNAVAILABLE, "state store " + store.describe()
                    + " unavailable: the other instances' activity cannot be read");
            return true;
        }
        if (availableSince < 0) {
            availableSince = clock.millis();
        }
        long since = clock.millis() - availableSince;
        if (since < SETTLE.toMillis() || !heartbeatSince) {
            suspend(Cause.STORE_SETTLING, "state store " + store.describe() + " reachable again " + Math.max(0, since / 1000)
                    + "s ago: waiting " + SETTLE.toSeconds() + "s for every instance to publish its activity again");
            return true;
        }
        return false;
    }

    /** Suspends stops for {@code why}; logged once when it begins and once per change of cause. */
    void suspend(Cause kind, String why) {
        Cause before = cause;
        reason = why;
        cause = kind;
        if (before == null) {
            suspendedSince = clock.instant();
            log.warn("idle stops suspended: {}; serving and starting go on", why);
        } else if (before != kind) {
            log.info("idle stops still suspended: {}", why);
        }
    }

    /**
     * Re-judges the store's availability between checks (every heartbeat), so what
     * {@code /health/automation} shows follows the store within a second, not an idle-check interval.
     */
    void refresh() {
        if (!blockedByStore() && (cause == Cause.STORE_UNAVAILABLE || cause == Cause.STORE_SETTLING)) {
            resume();
        }
    }

    /** Lets stops go ahead again (logged once). */
    void resume() {
        if (cause != null) {
            log.info("idle stops resumed after {}s", Duration.between(suspendedSince, clock.instant()).toSeconds());
            reason = null;
            cause = null;
            suspendedSince = null;
        }
    }

    /** Why stops are suspended now, or null when they are not. Any thread. */
    @Nullable String reason() {
        return reason;
    }

    /** Since when, or null. Any thread. */
    @Nullable Instant suspendedSince() {
        return suspendedSince;
    }
}

package dev.wakegate.lifecycle;

import dev.wakegate.async.Futures;
import dev.wakegate.state.ContainerRecord;
import dev.wakegate.state.StateStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Usage of the managed containers: last access, in-flight requests and open connections, counted
 * on the data path from any event loop (a volatile write and a {@code LongAdder} bump, no
 * allocation), and shared with the other instances in batches, never per request:
 * <ul>
 *   <li>{@link #flush()} (every second) writes last-access values that changed, as ages, and the
 *       records of containers whose state changed;</li>
 *   <li>{@link #heartbeat()} (every second) keeps this instance a member and publishes its in-use
 *       counts with a TTL (so a crashed instance's counts expire), acknowledges cordons and applies
 *       the ones in force (see {@link SharedCordons});</li>
 *   <li>{@link #loadShared()} (at start) reads the shared last access, so a restart does not reset
 *       idle clocks.</li>
 * </ul>
 * While the store is unreachable, writes fail quietly (logged once) and are retried in full once
 * it answers again.
 */
public final class ActivityTracker {
    public static final Duration USAGE_TTL = Duration.ofSeconds(10);

    private final ContainerRegistry registry;
    private final StateStore store;
    private final StoreHealth storeHealth;
    private final EvictionGuard guard;
    private final SharedCordons cordons;
    private final Clock clock;
    private final LifecycleExecutor lane;
    private final String instanceId;
    private boolean resaveAll;

    ActivityTracker(ContainerRegistry registry, StateStore store, StoreHealth storeHealth, EvictionGuard guard,
                    SharedCordons cordons, Clock clock, LifecycleExecutor lane, String instanceId) {
        this.registry = registry;
        this.store = store;
        this.storeHealth = storeHealth;
        this.guard = guard;
        this.cordons = cordons;
        this.clock = clock;
        this.lane = lane;
        this.instanceId = instanceId;
    }

    // ---------------------------------------------------------------- data path (any thread)

    public void requestStarted(List<String> names) {
        long now = clock.millis();
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = registry.counters(names.get(i));
            if (c != null) {
                touch(c, now);
                c.inFlight.increment();
            }
        }
    }

    public void requestEnded(List<String> names) {
        long now = clock.millis();
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = registry.counters(names.get(i));
            if (c != null) {
                // A long request keeps the container busy until it ends: idle time counts from here.
                touch(c, now);
                c.inFlight.decrement();
            }
        }
    }

    /**
     * A request that is not activity ({@code no_wake}) began: it is in flight, so no stop happens
     * under it (the in-flight count is what the evictor and the shared protocol read), but the
     * last access is left alone, so the idle clock runs on.
     */
    public void quietRequestStarted(List<String> names) {
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = registry.counters(names.get(i));
            if (c != null) {
                c.inFlight.increment();
            }
        }
    }

    /** That request ended; the last access is still left alone. */
    public void quietRequestEnded(List<String> names) {
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = registry.counters(names.get(i));
            if (c != null) {
                c.inFlight.decrement();
            }
        }
    }

    public void connectionOpened(List<String> names) {
        long now = clock.millis();
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = registry.counters(names.get(i));
            if (c != null) {
                touch(c, now);
                c.openConnections.increment();
            }
        }
    }

    public void connectionClosed(List<String> names) {
        long now = clock.millis();
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = registry.counters(names.get(i));
            if (c != null) {
                touch(c, now);
                c.openConnections.decrement();
            }
        }
    }

    private static void touch(ManagedContainer c, long now) {
        // Skip the write when another loop already wrote this millisecond: less cache-line traffic.
        if (c.lastAccessMillis < now) {
            c.lastAccessMillis = now;
        }
    }

    // ---------------------------------------------------------------- lane

    /** Reads the shared last access into the registry. Completes (never exceptionally) when done. */
    CompletableFuture<Void> loadShared() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Futures.attempt(store::loadAccessAges).whenCompleteAsync((ages, ex) -> {
            if (ex != null) {
                storeHealth.failed("load access", ex);
            } else {
                storeHealth.succeeded();
                registry.applySharedAccess(ages, clock.millis());
            }
            done.complete(null);
        }, lane);
        return done;
    }

    /**
     * Writes changed last-access values (as ages: how long ago, so the store stamps them with its
     * own clock) and changed records. Completes when both writes are answered (never exceptionally).
     */
    CompletableFuture<Void> flush() {
        boolean all = resaveAll;
        long now = clock.millis();
        Map<String, Duration> ages = new HashMap<>();
        Map<String, Long> sentAccess = new HashMap<>();
        Map<String, ContainerRecord> records = new HashMap<>();
        Map<String, ContainerState> sentState = new HashMap<>();
        for (ManagedContainer c : registry.all()) {
            long last = c.lastAccessMillis;
            if (last != 0 && (all || last > c.flushedAccessMillis)) {
                ages.put(c.name, Duration.ofMillis(Math.max(0, now - last)));
                sentAccess.put(c.name, last);
            }
            if (all || c.recordDirty) {
                ContainerState state = c.state;
                // last_access is left to the store: it keeps the shared one on its own clock
                records.put(c.name, new ContainerRecord(state.reportedName(), c.spec.priority().wireName(), null,
                        instantOrNull(c.lastStartedMillis), instantOrNull(c.lastStoppedMillis), instanceId));
                sentState.put(c.name, state);
            }
        }
        if (ages.isEmpty() && records.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> a = ages.isEmpty() ? CompletableFuture.completedFuture(null)
                : Futures.attempt(() -> store.recordAccess(ages));
        CompletableFuture<Void> r = records.isEmpty() ? CompletableFuture.completedFuture(null)
                : Futures.attempt(() -> store.saveRecords(records));
        CompletableFuture<Void> accessDone = a.handleAsync((v, ex) -> {
            if (ex != null) {
                storeHealth.failed("record access", ex);
                resaveAll = true;
                return null;
            }
            sentAccess.forEach((name, last) -> {
                ManagedContainer c = registry.get(name);
                if (c != null && last > c.flushedAccessMillis) {
                    c.flushedAccessMillis = last;
                }
            });
            return null;
        }, lane);
        CompletableFuture<Void> recordsDone = r.handleAsync((v, ex) -> {
            if (ex != null) {
                storeHealth.failed("save records", ex);
                resaveAll = true;
                return null;
            }
            if (!records.isEmpty()) {
                // Only a write that reached the store says it is back; an empty batch proves nothing.
                storeHealth.succeeded();
            }
            sentState.forEach((name, state) -> {
                ManagedContainer c = registry.get(name);
                if (c != null && c.state == state) {
                    c.recordDirty = false;
                }
            });
            return null;
        }, lane);
        return accessDone.runAfterBothAsync(recordsDone, () -> {
            if (all && a.isDone() && !a.isCompletedExceptionally() && !r.isCompletedExceptionally()) {
                resaveAll = false;
            }
        }, lane);
    }

    /**
     * The store has (re)connected: read the shared last access again (a proxy that started before
     * its first connection has not read it yet) and write every record and last access at the next
     * flush (a restarted Redis without persistence holds nothing). Lane only.
     */
    CompletableFuture<Void> storeAvailable() {
        resaveAll = true;
        return loadShared();
    }

    /**
     * Publishes this instance's membership, in-use counts (in-flight + open connections per
     * container) and cordon acknowledgements, and applies the cordons in force that come back. A
     * new cordon is acknowledged at once, after this instance's last access has been written, so
     * the leader that reads the acknowledgement also reads every access it could have missed.
     * Completes (never exceptionally) when the store has answered.
     */
    CompletableFuture<Void> heartbeat() {
        cordons.expire();
        guard.refresh();
        Map<String, Integer> inUse = new HashMap<>();
        for (ManagedContainer c : registry.all()) {
            inUse.put(c.name, (int) Math.min(Integer.MAX_VALUE, c.inUse()));
        }
        Map<String, Integer> acks = cordons.acknowledgements();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Futures.attempt(() -> store.heartbeat(instanceId, inUse, acks, USAGE_TTL)).whenCompleteAsync((inForce, ex) -> {
            if (ex != null) {
                storeHealth.failed("heartbeat", ex);
                done.complete(null);
                return;
            }
            storeHealth.succeeded();
            guard.heartbeatSucceeded();
            if (cordons.apply(inForce)) {
                flush().thenCompose(v -> heartbeat()).whenComplete((v, ignored) -> done.complete(null));
            } else {
                done.complete(null);
            }
        }, lane);
        return done;
    }

    /** Leaves the membership (clean shutdown): nobody waits for this instance afterwards. */
    CompletableFuture<Void> leave() {
        return Futures.attempt(() -> store.leave(instanceId)).exceptionally(ex -> null);
    }

    private static @Nullable Instant instantOrNull(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }
}

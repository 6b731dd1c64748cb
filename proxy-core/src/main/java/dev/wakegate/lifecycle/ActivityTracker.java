package dev.wakegate.lifecycle;

import dev.wakegate.state.ContainerRecord;
import dev.wakegate.state.StateStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Usage of the managed containers: last access, in-flight requests and open connections, counted
 * on the data path from any event loop (a volatile write and a {@code LongAdder} bump, no
 * allocation), and shared with the other instances in batches, never per request:
 * <ul>
 *   <li>{@link #flush()} (every second) writes last-access values that changed, and the records of
 *       containers whose state changed;</li>
 *   <li>{@link #heartbeat()} (every two seconds) publishes this instance's in-use counts with a TTL,
 *       so a crashed instance's counts expire;</li>
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
    private final Clock clock;
    private final LifecycleExecutor lane;
    private final String instanceId;
    private boolean resaveAll;

    ActivityTracker(ContainerRegistry registry, StateStore store, StoreHealth storeHealth, Clock clock,
                    LifecycleExecutor lane, String instanceId) {
        this.registry = registry;
        this.store = store;
        this.storeHealth = storeHealth;
        this.clock = clock;
        this.lane = lane;
        this.instanceId = instanceId;
    }

    // ---------------------------------------------------------------- data path (any thread)

    public void requestStarted(List<String> names) {
        long now = clock.millis();
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = registry.get(names.get(i));
            if (c != null) {
                touch(c, now);
                c.inFlight.increment();
            }
        }
    }

    public void requestEnded(List<String> names) {
        long now = clock.millis();
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = registry.get(names.get(i));
            if (c != null) {
                // A long request keeps the container busy until it ends: idle time counts from here.
                touch(c, now);
                c.inFlight.decrement();
            }
        }
    }

    public void connectionOpened(List<String> names) {
        long now = clock.millis();
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = registry.get(names.get(i));
            if (c != null) {
                touch(c, now);
                c.openConnections.increment();
            }
        }
    }

    public void connectionClosed(List<String> names) {
        long now = clock.millis();
        for (int i = 0, n = names.size(); i < n; i++) {
            ManagedContainer c = registry.get(names.get(i));
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
        store.loadAccess().whenCompleteAsync((map, ex) -> {
            if (ex != null) {
                storeHealth.failed("load access", ex);
            } else {
                storeHealth.succeeded();
                map.forEach((name, at) -> {
                    ManagedContainer c = registry.get(name);
                    if (c != null && at != null && at.toEpochMilli() > c.sharedAccessMillis) {
                        c.sharedAccessMillis = at.toEpochMilli();
                    }
                });
            }
            done.complete(null);
        }, lane);
        return done;
    }

    /** Writes changed last-access values and changed records. */
    void flush() {
        boolean all = resaveAll;
        Map<String, Instant> access = new HashMap<>();
        Map<String, Long> sentAccess = new HashMap<>();
        Map<String, ContainerRecord> records = new HashMap<>();
        Map<String, ContainerState> sentState = new HashMap<>();
        for (ManagedContainer c : registry.all()) {
            long last = c.lastAccessMillis;
            if (last != 0 && (all || last > c.flushedAccessMillis)) {
                access.put(c.name, Instant.ofEpochMilli(last));
                sentAccess.put(c.name, last);
            }
            if (all || c.recordDirty) {
                ContainerState state = c.state;
                records.put(c.name, new ContainerRecord(state.seedName(), c.spec.priority().wireName(),
                        instantOrNull(c.lastAccess()), instantOrNull(c.lastStartedMillis),
                        instantOrNull(c.lastStoppedMillis), instanceId));
                sentState.put(c.name, state);
            }
        }
        if (access.isEmpty() && records.isEmpty()) {
            return;
        }
        CompletableFuture<Void> a = access.isEmpty() ? CompletableFuture.completedFuture(null) : store.recordAccess(access);
        CompletableFuture<Void> r = records.isEmpty() ? CompletableFuture.completedFuture(null) : store.saveRecords(records);
        a.whenCompleteAsync((v, ex) -> {
            if (ex != null) {
                storeHealth.failed("record access", ex);
                resaveAll = true;
                return;
            }
            sentAccess.forEach((name, last) -> {
                ManagedContainer c = registry.get(name);
                if (c != null && last > c.flushedAccessMillis) {
                    c.flushedAccessMillis = last;
                }
            });
        }, lane);
        r.whenCompleteAsync((v, ex) -> {
            if (ex != null) {
                storeHealth.failed("save records", ex);
                resaveAll = true;
                return;
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
        }, lane);
        a.runAfterBoth(r, () -> lane.execute(() -> {
            if (all) {
                resaveAll = false;
            }
        }));
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

    /** Publishes this instance's in-use counts (in-flight + open connections) per container. */
    void heartbeat() {
        Map<String, Integer> inUse = new HashMap<>();
        for (ManagedContainer c : registry.all()) {
            inUse.put(c.name, (int) Math.min(Integer.MAX_VALUE, c.inUse()));
        }
        store.publishUsage(instanceId, inUse, USAGE_TTL).whenComplete((v, ex) -> {
            if (ex != null) {
                storeHealth.failed("publish usage", ex);
            }
        });
    }

    private static Instant instantOrNull(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }
}

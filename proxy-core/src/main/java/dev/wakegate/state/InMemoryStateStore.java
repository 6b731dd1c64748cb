package dev.wakegate.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The {@link StateStore} used when no Redis is configured: one instance, nothing shared, nothing
 * survives a restart. It keeps the same rules as the Redis store so the lifecycle code cannot tell
 * them apart (and tests can run several lifecycles on one): last access only moves forward and is
 * kept on this store's clock, a lease is exclusive until released by its owner or expired, a
 * heartbeat's usage expires after its ttl while the membership stays, cordons expire.
 *
 * <p>Thread-safe (one lock: nothing here is hot); every future is already completed when
 * returned. Time comes from the injected {@link Clock} so tests can move it.
 */
public final class InMemoryStateStore implements StateStore {
    /** How long an instance that left is reported {@link Presence#LEFT}, as in Redis. */
    public static final Duration LEFT_KEPT = Duration.ofHours(1);

    private record Lease(String owner, long expiresAt) {
    }

    private record Usage(Map<String, Integer> inUse, Map<String, Integer> acks, long expiresAt) {
    }

    private record CordonEntry(String id, String owner, long expiresAt) {
    }

    private final Clock clock;
    private final Map<String, ContainerRecord> records = new HashMap<>();
    private final Map<String, Long> access = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, Long> members = new HashMap<>();
    private final Map<String, Usage> usage = new HashMap<>();
    private final Map<String, CordonEntry> cordons = new HashMap<>();
    private final Map<String, Long> left = new HashMap<>();

    public InMemoryStateStore() {
        this(Clock.systemUTC());
    }

    public InMemoryStateStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized CompletableFuture<Map<String, ContainerRecord>> loadRecords() {
        return CompletableFuture.completedFuture(Map.copyOf(records));
    }

    @Override
    public synchronized CompletableFuture<Void> saveRecords(Map<String, ContainerRecord> toSave) {
        toSave.forEach((name, record) -> records.put(name, withLastAccess(record, access.get(name))));
        return done();
    }

    @Override
    public synchronized CompletableFuture<Void> recordAccess(Map<String, Duration> ages) {
        long now = clock.millis();
        ages.forEach((name, age) -> {
            long at = now - Math.max(0, age.toMillis());
            Long current = access.get(name);
            if (current == null || at > current || current > now) {
                access.put(name, at);
                records.computeIfPresent(name, (n, record) -> withLastAccess(record, at));
            }
        });
        return done();
    }

    @Override
    public synchronized CompletableFuture<Map<String, Duration>> loadAccessAges() {
        long now = clock.millis();
        Map<String, Duration> ages = new HashMap<>();
        access.forEach((name, at) -> {
            if (at <= now) {
                ages.put(name, Duration.ofMillis(now - at));
            }
        });
        return CompletableFuture.completedFuture(ages);
    }

    /** Sets a container's stored last access as an absolute instant, as an older version would have: for tests. */
    public synchronized void putRawLastAccess(String name, Instant at) {
        access.put(name, at.toEpochMilli());
    }

    @Override
    public synchronized CompletableFuture<Boolean> tryAcquireLease(String name, String owner, Duration ttl) {
        long now = clock.millis();
        Lease current = leases.get(name);
        if (current != null && current.expiresAt() > now && !current.owner().equals(owner)) {
            return CompletableFuture.completedFuture(false);
        }
        leases.put(name, new Lease(owner, now + ttl.toMillis()));
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletableFuture<Boolean> renewLease(String name, String owner, Duration ttl) {
        long now = clock.millis();
        Lease current = leases.get(name);
        if (current == null || current.expiresAt() <= now || !current.owner().equals(owner)) {
            return CompletableFuture.completedFuture(false);
        }
        leases.put(name, new Lease(owner, now + ttl.toMillis()));
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletableFuture<Void> releaseLease(String name, String owner) {
        Lease current = leases.get(name);
        if (current != null && current.owner().equals(owner)) {
            leases.remove(name);
        }
        return done();
    }

    /** Who holds lease {@code name} now, or null: for tests. */
    public synchronized @Nullable String leaseHolder(String name) {
        Lease current = leases.get(name);
        return current == null || current.expiresAt() <= clock.millis() ? null : current.owner();
    }

    @Override
    public synchronized CompletableFuture<List<Cordon>> heartbeat(String instanceId, Map<String, Integer> inUse,
                                                                  Map<String, Integer> acks, Duration ttl) {
        long now = clock.millis();
        members.put(instanceId, now);
        left.remove(instanceId);
        usage.put(instanceId, new Usage(Map.copyOf(inUse), Map.copyOf(acks), now + ttl.toMillis()));
        List<Cordon> inForce = new ArrayList<>();
        cordons.entrySet().removeIf(e -> e.getValue().expiresAt() <= now);
        cordons.forEach((container, c) ->
                inForce.add(new Cordon(container, c.id(), c.owner(), Duration.ofMillis(c.expiresAt() - now))));
        return CompletableFuture.completedFuture(inForce);
    }

    @Override
    public synchronized CompletableFuture<Map<String, Peer>> loadPeers(String excludingInstance) {
        long now = clock.millis();
        Map<String, Peer> peers = new HashMap<>();
        members.forEach((instance, lastSeen) -> {
            if (instance.equals(excludingInstance)) {
                return;
            }
            Usage u = usage.get(instance);
            Duration silent = Duration.ofMillis(Math.max(0, now - lastSeen));
            peers.put(instance, u != null && u.expiresAt() > now
                    ? new Peer(Presence.LIVE, silent, u.inUse(), u.acks())
                    : new Peer(Presence.SILENT, silent, Map.of(), Map.of()));
        });
        left.values().removeIf(at -> now - at > LEFT_KEPT.toMillis());
        left.forEach((instance, at) -> {
            if (!instance.equals(excludingInstance) && !members.containsKey(instance)) {
                peers.put(instance, new Peer(Presence.LEFT, Duration.ZERO, Map.of(), Map.of()));
            }
        });
        return CompletableFuture.completedFuture(peers);
    }

    @Override
    public synchronized CompletableFuture<Void> leave(String instanceId) {
        members.remove(instanceId);
        usage.remove(instanceId);
        left.put(instanceId, clock.millis());
        return done();
    }

    @Override
    public synchronized CompletableFuture<Void> putCordons(Map<String, String> cordonIds, String owner, Duration ttl) {
        long expiresAt = clock.millis() + ttl.toMillis();
        cordonIds.forEach((container, id) -> cordons.put(container, new CordonEntry(id, owner, expiresAt)));
        return done();
    }

    @Override
    public synchronized CompletableFuture<Void> liftCordon(String container, String cordonId) {
        CordonEntry c = cordons.get(container);
        if (c != null && c.id().equals(cordonId)) {
            cordons.remove(container);
        }
        return done();
    }

    /** Forgets everything, as a Redis restarted without persistence: for tests. */
    public synchronized void wipe() {
        records.clear();
        access.clear();
        leases.clear();
        members.clear();
        usage.clear();
        cordons.clear();
        left.clear();
    }

    @Override
    public boolean isShared() {
        return false;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String describe() {
        return "in-memory";
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    private static ContainerRecord withLastAccess(ContainerRecord r, @Nullable Long lastAccessMillis) {
        Instant lastAccess = lastAccessMillis == null ? null : Instant.ofEpochMilli(lastAccessMillis);
        return Objects.equals(r.lastAccess(), lastAccess) ? r
                : new ContainerRecord(r.state(), r.priority(), lastAccess, r.lastStarted(), r.lastStopped(), r.updatedBy());
    }
}

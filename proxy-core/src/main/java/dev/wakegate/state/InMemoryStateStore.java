package dev.wakegate.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link StateStore} used when no Redis is configured: one instance, nothing shared, nothing
 * survives a restart. It keeps the same rules as the Redis store so the lifecycle code cannot tell
 * them apart: last access only moves forward (also inside the records), a lease is exclusive until
 * released by its owner or expired, published usage expires after its ttl.
 *
 * <p>Thread-safe; every future is already completed when returned. Time comes from the injected
 * {@link Clock} so tests can move it.
 */
public final class InMemoryStateStore implements StateStore {

    private record Lease(String owner, Instant expiresAt) {
    }

    private record Usage(Map<String, Integer> inUse, Instant expiresAt) {
    }

    private final Clock clock;
    private final ConcurrentHashMap<String, ContainerRecord> records = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> access = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Lease> leases = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Usage> usage = new ConcurrentHashMap<>();

    public InMemoryStateStore() {
        this(Clock.systemUTC());
    }

    public InMemoryStateStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletableFuture<Map<String, ContainerRecord>> loadRecords() {
        return CompletableFuture.completedFuture(Map.copyOf(records));
    }

    @Override
    public CompletableFuture<Void> saveRecords(Map<String, ContainerRecord> toSave) {
        // A record written from an older view must not move last access backwards.
        toSave.forEach((name, record) -> records.put(name, withLastAccess(record, later(record.lastAccess(), access.get(name)))));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> recordAccess(Map<String, Instant> lastAccess) {
        lastAccess.forEach((name, at) -> {
            Instant merged = access.merge(name, at, InMemoryStateStore::later);
            records.computeIfPresent(name, (n, record) -> withLastAccess(record, later(record.lastAccess(), merged)));
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Map<String, Instant>> loadAccess() {
        return CompletableFuture.completedFuture(Map.copyOf(access));
    }

    @Override
    public CompletableFuture<Boolean> tryAcquireLease(String name, String owner, Duration ttl) {
        Instant now = clock.instant();
        Lease wanted = new Lease(owner, now.plus(ttl));
        Lease held = leases.compute(name, (n, current) -> current == null || !current.expiresAt().isAfter(now) ? wanted : current);
        return CompletableFuture.completedFuture(held == wanted);
    }

    @Override
    public CompletableFuture<Void> releaseLease(String name, String owner) {
        leases.computeIfPresent(name, (n, current) -> current.owner().equals(owner) ? null : current);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> publishUsage(String instanceId, Map<String, Integer> inUse, Duration ttl) {
        usage.put(instanceId, new Usage(Map.copyOf(inUse), clock.instant().plus(ttl)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Map<String, Integer>> loadUsage(String excludingInstance) {
        Instant now = clock.instant();
        Map<String, Integer> sum = new HashMap<>();
        usage.forEach((instance, u) -> {
            if (!u.expiresAt().isAfter(now)) {
                usage.remove(instance, u); // conditional: a fresh publish racing with us stays
            } else if (!instance.equals(excludingInstance)) {
                u.inUse().forEach((name, count) -> sum.merge(name, count, Integer::sum));
            }
        });
        return CompletableFuture.completedFuture(sum);
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String describe() {
        return "in-memory";
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static ContainerRecord withLastAccess(ContainerRecord r, Instant lastAccess) {
        return Objects.equals(r.lastAccess(), lastAccess) ? r
                : new ContainerRecord(r.state(), r.priority(), lastAccess, r.lastStarted(), r.lastStopped(), r.updatedBy());
    }
}

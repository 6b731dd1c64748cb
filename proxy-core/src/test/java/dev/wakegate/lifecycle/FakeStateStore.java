package dev.wakegate.lifecycle;

import dev.wakegate.state.ContainerRecord;
import dev.wakegate.state.StateStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A shared store in memory that can be switched off; leases and usage expire by the given clock. */
final class FakeStateStore implements StateStore {
    private final Clock clock;
    final Map<String, ContainerRecord> records = new ConcurrentHashMap<>();
    final Map<String, Instant> access = new ConcurrentHashMap<>();
    final Map<String, String> leaseOwner = new ConcurrentHashMap<>();
    final Map<String, Long> leaseExpiry = new ConcurrentHashMap<>();
    final Map<String, Map<String, Integer>> usage = new ConcurrentHashMap<>();
    final Map<String, Long> usageExpiry = new ConcurrentHashMap<>();
    final AtomicInteger accessWrites = new AtomicInteger();
    volatile boolean available = true;

    FakeStateStore(Clock clock) {
        this.clock = clock;
    }

    private <T> CompletableFuture<T> down() {
        return CompletableFuture.failedFuture(new java.io.IOException("redis unreachable"));
    }

    @Override
    public CompletableFuture<Map<String, ContainerRecord>> loadRecords() {
        return available ? CompletableFuture.completedFuture(Map.copyOf(records)) : down();
    }

    @Override
    public CompletableFuture<Void> saveRecords(Map<String, ContainerRecord> r) {
        if (!available) {
            return down();
        }
        records.putAll(r);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> recordAccess(Map<String, Instant> lastAccess) {
        if (!available) {
            return down();
        }
        accessWrites.incrementAndGet();
        lastAccess.forEach((k, v) -> access.merge(k, v, (a, b) -> a.isAfter(b) ? a : b));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Map<String, Instant>> loadAccess() {
        return available ? CompletableFuture.completedFuture(Map.copyOf(access)) : down();
    }

    @Override
    public synchronized CompletableFuture<Boolean> tryAcquireLease(String name, String owner, Duration ttl) {
        if (!available) {
            return down();
        }
        Long exp = leaseExpiry.get(name);
        if (leaseOwner.containsKey(name) && exp != null && exp > clock.millis()) {
            return CompletableFuture.completedFuture(false);
        }
        leaseOwner.put(name, owner);
        leaseExpiry.put(name, clock.millis() + ttl.toMillis());
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletableFuture<Void> releaseLease(String name, String owner) {
        if (!available) {
            return down();
        }
        if (owner.equals(leaseOwner.get(name))) {
            leaseOwner.remove(name);
            leaseExpiry.remove(name);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Holds a lease for someone else. */
    void holdLease(String name, String owner, Duration ttl) {
        leaseOwner.put(name, owner);
        leaseExpiry.put(name, clock.millis() + ttl.toMillis());
    }

    @Override
    public CompletableFuture<Void> publishUsage(String instanceId, Map<String, Integer> inUse, Duration ttl) {
        if (!available) {
            return down();
        }
        usage.put(instanceId, Map.copyOf(inUse));
        usageExpiry.put(instanceId, clock.millis() + ttl.toMillis());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Map<String, Integer>> loadUsage(String excludingInstance) {
        if (!available) {
            return down();
        }
        Map<String, Integer> sum = new HashMap<>();
        usage.forEach((instance, counts) -> {
            Long exp = usageExpiry.get(instance);
            if (!instance.equals(excludingInstance) && exp != null && exp > clock.millis()) {
                counts.forEach((k, v) -> sum.merge(k, v, Integer::sum));
            }
        });
        return CompletableFuture.completedFuture(sum);
    }

    @Override
    public boolean isAvailable() {
        return available;
    }

    @Override
    public String describe() {
        return "fake";
    }
}

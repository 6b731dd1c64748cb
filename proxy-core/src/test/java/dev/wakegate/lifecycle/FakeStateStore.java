package dev.wakegate.lifecycle;

import dev.wakegate.state.ContainerRecord;
import dev.wakegate.state.InMemoryStateStore;
import dev.wakegate.state.StateStore;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A shared store for lifecycle tests: the in-memory store's rules (expiry by the given clock, the
 * same protocol as Redis), shared by every {@link Harness} made from one another, that can be
 * switched off as a whole ({@link #available}) or one operation at a time ({@link #failing}), and
 * wiped as a Redis restarted without persistence.
 */
final class FakeStateStore implements StateStore {
    private final InMemoryStateStore inner;
    private final Clock clock;
    final AtomicInteger accessWrites = new AtomicInteger();
    /** Operations (method names) that fail while listed, e.g. "loadPeers". */
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    /** Operations that take effect, but whose reply is lost (they fail), e.g. "tryAcquireLease". */
    final Set<String> losingReplies = ConcurrentHashMap.newKeySet();
    volatile boolean available = true;
    volatile boolean shared = true;

    /** A store of its own, on the store's clock (Redis TIME in production). */
    FakeStateStore(Clock clock) {
        this.clock = clock;
        this.inner = new InMemoryStateStore(clock);
    }

    /**
     * Another instance's connection to the same store: same data, its own switches, so one
     * instance can be cut off from the store while another still reaches it.
     */
    FakeStateStore(FakeStateStore same) {
        this.clock = same.clock;
        this.inner = same.inner;
    }

    private <T> CompletableFuture<T> call(String op, Supplier<CompletableFuture<T>> body) {
        if (!available || failing.contains(op)) {
            return CompletableFuture.failedFuture(new IOException("redis unreachable (" + op + ")"));
        }
        if (losingReplies.contains(op)) {
            body.get();
            return CompletableFuture.failedFuture(new IOException("command timed out (" + op + ")"));
        }
        return body.get();
    }

    // ---- for the tests ----

    /** Holds a lease for someone else. */
    void holdLease(String name, String owner, Duration ttl) {
        inner.tryAcquireLease(name, owner, ttl).join();
    }

    String leaseHolder(String name) {
        return inner.leaseHolder(name);
    }

    /** The shared last access as an instant on the store's clock, or null. */
    Instant lastAccess(String name) {
        Duration age = inner.loadAccessAges().join().get(name);
        return age == null ? null : clock.instant().minus(age);
    }

    /** Writes a last access as an absolute instant, as a host with a wrong clock would have. */
    void putRawLastAccess(String name, Instant at) {
        inner.putRawLastAccess(name, at);
    }

    Map<String, ContainerRecord> records() {
        return inner.loadRecords().join();
    }

    /** What the store says of {@code instance}, as another instance would read it. */
    Peer peer(String instance) {
        return inner.loadPeers("someone-else").join().get(instance);
    }

    void wipe() {
        inner.wipe();
    }

    // ---- the store ----

    @Override
    public CompletableFuture<Map<String, ContainerRecord>> loadRecords() {
        return call("loadRecords", inner::loadRecords);
    }

    @Override
    public CompletableFuture<Void> saveRecords(Map<String, ContainerRecord> records) {
        return call("saveRecords", () -> inner.saveRecords(records));
    }

    @Override
    public CompletableFuture<Void> recordAccess(Map<String, Duration> ages) {
        return call("recordAccess", () -> {
            accessWrites.incrementAndGet();
            return inner.recordAccess(ages);
        });
    }

    @Override
    public CompletableFuture<Map<String, Duration>> loadAccessAges() {
        return call("loadAccessAges", inner::loadAccessAges);
    }

    @Override
    public CompletableFuture<Boolean> tryAcquireLease(String name, String owner, Duration ttl) {
        return call("tryAcquireLease", () -> inner.tryAcquireLease(name, owner, ttl));
    }

    @Override
    public CompletableFuture<Boolean> renewLease(String name, String owner, Duration ttl) {
        return call("renewLease", () -> inner.renewLease(name, owner, ttl));
    }

    @Override
    public CompletableFuture<Void> releaseLease(String name, String owner) {
        return call("releaseLease", () -> inner.releaseLease(name, owner));
    }

    @Override
    public CompletableFuture<List<Cordon>> heartbeat(String instanceId, Map<String, Integer> inUse,
                                                     Map<String, Integer> acks, Duration ttl) {
        return call("heartbeat", () -> inner.heartbeat(instanceId, inUse, acks, ttl));
    }

    @Override
    public CompletableFuture<Map<String, Peer>> loadPeers(String excludingInstance) {
        return call("loadPeers", () -> inner.loadPeers(excludingInstance));
    }

    @Override
    public CompletableFuture<Void> leave(String instanceId) {
        return call("leave", () -> inner.leave(instanceId));
    }

    @Override
    public CompletableFuture<Void> putCordons(Map<String, String> cordonIds, String owner, Duration ttl) {
        return call("putCordons", () -> inner.putCordons(cordonIds, owner, ttl));
    }

    @Override
    public CompletableFuture<Void> liftCordon(String container, String cordonId) {
        return call("liftCordon", () -> inner.liftCordon(container, cordonId));
    }

    @Override
    public boolean isShared() {
        return shared;
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

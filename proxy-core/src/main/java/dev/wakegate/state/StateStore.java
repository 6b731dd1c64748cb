package dev.wakegate.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * State shared between proxy instances: container records, last access, leases and per-instance
 * usage. {@code RedisStateStore} (proxy-server) and {@link InMemoryStateStore} implement it.
 *
 * <p>Every method returns at once and never throws; when the backing store is unreachable the
 * futures complete exceptionally (fast) and callers keep deciding from memory. No method is
 * called per request: last access is batched by the caller.
 */
public interface StateStore extends AutoCloseable {

    /** All container records (the {@code container_states} hash). */
    CompletableFuture<Map<String, ContainerRecord>> loadRecords();

    /** Writes (replaces) these containers' records. */
    CompletableFuture<Void> saveRecords(Map<String, ContainerRecord> records);

    /** Raises each container's shared last access to at least the given instant. */
    CompletableFuture<Void> recordAccess(Map<String, Instant> lastAccess);

    /** Shared last access per container (max over all instances). */
    CompletableFuture<Map<String, Instant>> loadAccess();

    /** Takes lease {@code name} for {@code owner} if free (SET NX PX); true when taken. */
    CompletableFuture<Boolean> tryAcquireLease(String name, String owner, Duration ttl);

    /** Gives lease {@code name} back if {@code owner} still holds it. */
    CompletableFuture<Void> releaseLease(String name, String owner);

    /**
     * Publishes this instance's in-use counts (in-flight requests + open connections per container),
     * expiring after {@code ttl} unless published again (a crashed instance's counts go away).
     */
    CompletableFuture<Void> publishUsage(String instanceId, Map<String, Integer> inUse, Duration ttl);

    /** Sum of the in-use counts published by live instances other than {@code excludingInstance}. */
    CompletableFuture<Map<String, Integer>> loadUsage(String excludingInstance);

    /** True while the store is reachable (always true in memory). */
    boolean isAvailable();

    /**
     * Runs {@code listener} each time the store becomes reachable again (and on the first
     * connection if it was created while unreachable), so the owner can write back the state it
     * kept in memory meanwhile. The listener runs on the store's own thread and must not block.
     * Stores that are never unreachable (in memory) never call it.
     */
    default void onAvailable(Runnable listener) {
    }

    /** Short description for logs and /health/automation: "redis://127.0.0.1:6379" or "in-memory". */
    String describe();

    @Override
    default void close() {
    }
}

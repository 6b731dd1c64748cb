package dev.wakegate.state;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * State shared between proxy instances: container records, last access, leases, membership with
 * per-instance usage, and stop cordons. {@code RedisStateStore} (proxy-server) and
 * {@link InMemoryStateStore} implement it; docs/redis.md describes the protocol built on it.
 *
 * <p>Every method returns at once and never throws; when the backing store is unreachable the
 * futures complete exceptionally (fast). No method is called per request: last access is batched
 * by the caller.
 *
 * <p>Time: no instance's wall clock is ever compared with another's. What crosses instances is
 * an <em>age</em> ("accessed 1.5 s ago", "silent for 4 s"), turned into and out of absolute time
 * by the store's one clock (Redis {@code TIME}), so hosts whose clocks disagree still agree on
 * how long a container has been idle.
 */
public interface StateStore extends AutoCloseable {

    // ---------------------------------------------------------------- records and last access

    /** All container records (the {@code container_states} hash). */
    CompletableFuture<Map<String, ContainerRecord>> loadRecords();

    /**
     * Writes (replaces) these containers' records. Their {@code last_access} is the shared one
     * (see {@link #recordAccess}); whatever the record says is ignored, so a record built from a
     * stale view or on a host with a wrong clock cannot move it.
     */
    CompletableFuture<Void> saveRecords(Map<String, ContainerRecord> records);

    /**
     * Raises each container's shared last access to at least "the store's now minus this age".
     * A stored value in the future (written by an older version on a host whose clock ran fast)
     * is replaced.
     */
    CompletableFuture<Void> recordAccess(Map<String, Duration> ages);

    /**
     * How long ago each container was last accessed through any instance, by the store's clock.
     * A stored last access in the future is refused: the container is left out.
     */
    CompletableFuture<Map<String, Duration>> loadAccessAges();

    // ---------------------------------------------------------------- leases

    /**
     * Takes lease {@code name} for {@code owner} when it is free, or extends it when {@code owner}
     * holds it already (so a reply lost after the lease was set is repaired by asking again);
     * true when {@code owner} holds it for {@code ttl} from now.
     */
    CompletableFuture<Boolean> tryAcquireLease(String name, String owner, Duration ttl);

    /** Extends lease {@code name} to {@code ttl} from now if {@code owner} still holds it; false when it does not. */
    CompletableFuture<Boolean> renewLease(String name, String owner, Duration ttl);

    /** Gives lease {@code name} back if {@code owner} still holds it. */
    CompletableFuture<Void> releaseLease(String name, String owner);

    // ---------------------------------------------------------------- membership, usage, cordons

    /**
     * This instance's heartbeat: records it as a member (last seen = now, by the store's clock),
     * replaces its published usage (in-flight requests + open connections per container, zeros
     * may be left out) and its cordon acknowledgements (cordon id → its in-use count for that
     * container when it acknowledged), both expiring after {@code ttl} unless published again,
     * and returns the cordons in force.
     */
    CompletableFuture<List<Cordon>> heartbeat(String instanceId, Map<String, Integer> inUse, Map<String, Integer> acks,
                                              Duration ttl);

    /**
     * Every member other than {@code excludingInstance}: how long it has been silent, and, while its
     * last heartbeat has not expired, what it published. A member whose usage cannot be read is
     * reported {@link Presence#SILENT}, never as using nothing; an instance that left (or was
     * forgotten) recently is reported {@link Presence#LEFT}.
     */
    CompletableFuture<Map<String, Peer>> loadPeers(String excludingInstance);

    /**
     * Removes an instance's membership and usage and marks it as gone: on a clean shutdown (its
     * own), or when it has been silent so long that it is presumed dead (another's). Instances that
     * remember it then forget it at once instead of waiting for it.
     */
    CompletableFuture<Void> leave(String instanceId);

    /**
     * Publishes "stopping" cordons (container → cordon id) by {@code owner}, in force for {@code ttl}
     * unless lifted before. Every instance that sees one stops forwarding to that container and
     * acknowledges it in its next heartbeat.
     */
    CompletableFuture<Void> putCordons(Map<String, String> cordonIds, String owner, Duration ttl);

    /** Lifts the cordon on {@code container} if it is still the one with {@code cordonId}. */
    CompletableFuture<Void> liftCordon(String container, String cordonId);

    // ---------------------------------------------------------------- the store itself

    /**
     * True when other instances may share this store (Redis), so what this instance sees alone is
     * not the whole truth; false for the embedded in-memory store.
     */
    boolean isShared();

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

    /**
     * A stop cordon in force: {@code owner} is about to stop {@code container}; {@code remaining}
     * is how long the cordon lasts unless lifted (so a crashed owner's cordon goes away by itself).
     */
    record Cordon(String container, String id, String owner, Duration remaining) {
    }

    /** Where another instance stands, as far as the store knows. */
    enum Presence {
        /** Its last heartbeat has not expired: what it published is current. */
        LIVE,
        /** A member whose heartbeat expired: crashed, or cut off from the store; its usage is unknown. */
        SILENT,
        /** It left cleanly, or was presumed dead and forgotten. */
        LEFT
    }

    /**
     * What the store knows of another instance.
     *
     * @param silentFor how long since its last heartbeat, by the store's clock (zero when it left)
     * @param usage     container → in-use count (absent = 0); empty unless {@link Presence#LIVE}
     * @param acks      cordon id → its in-use count when it acknowledged; empty unless {@link Presence#LIVE}
     */
    record Peer(Presence presence, Duration silentFor, Map<String, Integer> usage, Map<String, Integer> acks) {
        public Peer {
            usage = Map.copyOf(usage);
            acks = Map.copyOf(acks);
        }

        public boolean live() {
            return presence == Presence.LIVE;
        }
    }
}

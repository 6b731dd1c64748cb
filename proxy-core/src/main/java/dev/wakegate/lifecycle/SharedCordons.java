package dev.wakegate.lifecycle;

import dev.wakegate.state.StateStore.Cordon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The follower's side of a shared stop cordon (docs/redis.md, "Cordon"). Every heartbeat returns
 * the cordons in force; a cordon another instance put on a container this one manages makes it
 * not ready here (new requests park, exactly as for a stop of this instance's own), and this
 * instance acknowledges it in its heartbeats with its in-use count for that container and the
 * containers that depend on it, counted after the cordon took effect. The leader stops the
 * container only when every live instance has acknowledged with zero.
 *
 * <p>When the cordon goes away (the leader lifts it after the stop or when it calls the stop off,
 * or it lapses because its owner died), requests parked meanwhile go on: they start the container
 * afresh when it was stopped, or are forwarded when it was not. A cordon also lapses here at the
 * end of its time when no heartbeat reaches the store. Lane only.
 */
final class SharedCordons {
    private static final Logger log = LoggerFactory.getLogger(SharedCordons.class);

    private final ContainerRegistry registry;
    private final Clock clock;
    private final String instanceId;
    private final Consumer<ManagedContainer> recheck;

    /** @param recheck asks the engine where a container stands once its cordon is gone (it may have been stopped) */
    SharedCordons(ContainerRegistry registry, Clock clock, String instanceId, Consumer<ManagedContainer> recheck) {
        this.registry = registry;
        this.clock = clock;
        this.instanceId = instanceId;
        this.recheck = recheck;
    }

    /**
     * Applies the cordons a heartbeat returned: new ones take effect, those no longer there are
     * lifted. True when one is new, so the caller acknowledges at once rather than at the next beat.
     */
    boolean apply(List<Cordon> inForce) {
        long now = clock.millis();
        boolean fresh = false;
        Set<String> present = new HashSet<>();
        for (Cordon k : inForce) {
            ManagedContainer c = registry.get(k.container());
            if (c == null || k.owner().equals(instanceId)) {
                continue; // not ours to honour, or our own stop (cordoned locally)
            }
            present.add(c.name);
            c.remoteCordonUntilMillis = now + k.remaining().toMillis();
            if (!k.id().equals(c.remoteCordon)) {
                if (c.remoteCordonLifted == null) {
                    c.remoteCordonLifted = new CompletableFuture<>();
                }
                c.remoteCordon = k.id();
                c.recomputeReady();
                fresh = true;
                log.info("{} cordoned by instance {}: it is about to stop it; new requests wait", c.name, k.owner());
            }
        }
        for (ManagedContainer c : registry.all()) {
            if (c.remoteCordon != null && !present.contains(c.name)) {
                lift(c, "lifted");
            }
        }
        return fresh;
    }

    /** Lifts cordons whose time ran out without a heartbeat to confirm them (store or owner gone). */
    void expire() {
        long now = clock.millis();
        for (ManagedContainer c : registry.all()) {
            if (c.remoteCordon != null && now >= c.remoteCordonUntilMillis) {
                lift(c, "lapsed");
            }
        }
    }

    /** Cordon id → in-use count here of its container and everything depending on it. */
    Map<String, Integer> acknowledgements() {
        Map<String, Integer> acks = new HashMap<>();
        for (ManagedContainer c : registry.all()) {
            String id = c.remoteCordon;
            if (id != null) {
                acks.put(id, (int) Math.min(Integer.MAX_VALUE, c.inUseWithDependants()));
            }
        }
        return acks;
    }

    /** Completes when the remote cordon on {@code c} goes away (at once when there is none). */
    CompletableFuture<Void> lifted(ManagedContainer c) {
        if (c.remoteCordon == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (c.remoteCordonLifted == null) {
            c.remoteCordonLifted = new CompletableFuture<>();
        }
        return c.remoteCordonLifted;
    }

    private void lift(ManagedContainer c, String how) {
        c.remoteCordon = null;
        c.recomputeReady();
        CompletableFuture<Void> waiters = c.remoteCordonLifted;
        c.remoteCordonLifted = null;
        log.info("{}: cordon {}", c.name, how);
        recheck.accept(c);
        if (waiters != null) {
            waiters.complete(null);
        }
    }
}

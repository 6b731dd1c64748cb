package dev.wakegate.lifecycle;

import dev.wakegate.config.Durations;
import dev.wakegate.state.StateStore;
import dev.wakegate.state.StateStore.Peer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The other instances sharing the store, as far as this one knows: every instance it has seen
 * live, remembered in memory (so a store that restarts empty does not make them vanish), and the
 * members the store lists. Lane only.
 *
 * <p>The rule it serves (docs/redis.md, "Membership"): an instance that is known but whose usage
 * cannot be read is <em>unaccounted for</em>, and while any instance is, nothing is stopped,
 * because it may be serving anything. An instance stops being known when it leaves cleanly, or
 * when it has been silent for {@code instanceTimeout}: then it is presumed dead (crashed, or cut
 * off from the store that long) and forgotten, here and in the store.
 */
final class Membership {
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final StateStore store;
    private final Clock clock;
    private final Duration instanceTimeout;
    /** Peer → when this instance last saw it live, by this host's clock. */
    private final Map<String, Long> lastSeenLive = new HashMap<>();

    Membership(StateStore store, Clock clock, Duration instanceTimeout) {
        this.store = store;
        this.clock = clock;
        this.instanceTimeout = instanceTimeout;
    }

    /**
     * Takes a fresh read of the peers and returns those unaccounted for, each with how long it has
     * been silent ("wakegate-b (silent 12s)"); empty when every known peer is live. Peers silent
     * past the instance timeout are forgotten on the way.
     */
    List<String> unaccounted(Map<String, Peer> peers) {
        long now = clock.millis();
        Set<String> known = new LinkedHashSet<>(lastSeenLive.keySet());
        known.addAll(peers.keySet());
        List<String> out = new ArrayList<>();
        for (String id : known) {
            Peer p = peers.get(id);
            if (p != null && p.live()) {
                lastSeenLive.put(id, now);
                continue;
            }
            if (p != null && p.presence() == StateStore.Presence.LEFT) {
                if (lastSeenLive.remove(id) != null) {
                    log.info("instance {} has left", id);
                }
                continue;
            }
            long silent = Long.MAX_VALUE;
            if (p != null) {
                silent = p.silentFor().toMillis();
            }
            Long seen = lastSeenLive.get(id);
            if (seen != null) {
                silent = Math.min(silent, now - seen);
            }
            if (silent >= instanceTimeout.toMillis()) {
                lastSeenLive.remove(id);
                log.warn("instance {} silent for {}s (instance_timeout {}): presumed dead, forgetting it",
                        id, silent / 1000, Durations.approx(instanceTimeout));
                store.leave(id);
            } else {
                out.add(id + " (silent " + Durations.approx(Duration.ofMillis(silent)) + ")");
            }
        }
        return out;
    }

    /** How many peers this instance remembers (for tests and snapshots). */
    int known() {
        return lastSeenLive.size();
    }
}

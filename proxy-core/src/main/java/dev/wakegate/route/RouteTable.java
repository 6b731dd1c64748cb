package dev.wakegate.route;

import java.util.Objects;

/**
 * The routes in use now: one {@link HostRouter}, replaced whole when the routes change (label
 * discovery), read once per request by the data path and by the {@code /health/services}
 * document. A request sees one consistent table: the one current when its head was parsed.
 * Thread-safe; reading costs one volatile read.
 */
public final class RouteTable {
    private volatile HostRouter current;

    public RouteTable(HostRouter initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    /** The routes of requests whose head is parsed from now on. */
    public HostRouter current() {
        return current;
    }

    /** Replaces the routes; requests whose head is parsed after this call use {@code next}. */
    public void replace(HostRouter next) {
        current = Objects.requireNonNull(next, "next");
    }
}

package dev.wakegate.relay;

import dev.wakegate.config.Limits;
import io.netty.channel.ChannelHandlerContext;

import java.util.ArrayDeque;

/**
 * The {@link RequestKit}s of one event loop's HTTP client connections (one instance per loop and
 * {@link DataPath}, like its {@link UpstreamPool}): lent while a connection has a request in hand,
 * kept here between requests. At most {@link #MAX} are kept, about the connections of a loop that
 * are busy at one time; the rest, and any made before a reload changed the limits, are left to
 * the GC (one that comes back after a reload is not kept; the ones kept before it are dropped as
 * they are taken). A kept kit holds nothing of the connection it served last: a late callback
 * meant for it finds a kit bound to no connection, or to another one, and a request id or attempt
 * that is not its own. Event loop only.
 */
final class RequestKits {
    /** Kits kept per loop. */
    static final int MAX = 256;

    private final DataPath dp;
    private final UpstreamPool pool;
    private final ArrayDeque<RequestKit> free = new ArrayDeque<>();

    RequestKits(DataPath dp, UpstreamPool pool) {
        this.dp = dp;
        this.pool = pool;
    }

    /** A kit for the connection of {@code ctx}, bound to it ({@link RequestKit#bind}). */
    RequestKit take(ChannelHandlerContext ctx, HttpFrontHandler front, ClientClock clock, HttpsPolicy https) {
        Limits limits = dp.limits;
        RequestKit k = free.pollLast();
        while (k != null && !k.limits.equals(limits)) {
            k = free.pollLast(); // made before a reload: its parser has the old limits
        }
        if (k == null) {
            k = new RequestKit(dp, pool, limits);
        }
        k.bind(ctx, front, clock, https);
        return k;
    }

    /** Takes {@code k} back: its connection has no request in hand and nothing buffered, or is gone. */
    void give(RequestKit k) {
        k.clear();
        if (free.size() < MAX && k.limits.equals(dp.limits)) {
            free.addLast(k);
        }
    }

    /** Kits kept now: for tests. */
    int kept() {
        return free.size();
    }
}

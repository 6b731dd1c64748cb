package dev.wakegate.relay;

import dev.wakegate.config.Limits;
import io.netty.channel.ChannelHandlerContext;

import java.util.ArrayDeque;

/**
 * The {@link RequestKit}s of one event loop's HTTP client connections (one instance per loop and
 * {@link DataPath}, like its {@link UpstreamPool}): lent while a connection has a request in hand,
 * kept here between requests. At most {@link #MAX} are kept, about the connections of a loop that
 * are busy at one time; the rest, and any made before a reload changed the limits, are left to
 * the GC. A kept kit still points at the last connection it served until it is lent again: a late
 * callback finds that connection without a kit, and at most {@link #MAX} closed connections are
 * held that way. Event loop only.
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
        while (k != null && k.limits != limits) {
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
        if (free.size() < MAX) {
            free.addLast(k);
        }
    }

    /** Kits kept now: for tests. */
    int kept() {
        return free.size();
    }
}

package dev.wakegate.relay;

import dev.wakegate.accesslog.AccessLog;
import dev.wakegate.admin.LocalEndpoints;
import dev.wakegate.net.CidrSet;
import dev.wakegate.config.Limits;
import dev.wakegate.config.Timeouts;
import dev.wakegate.lifecycle.ContainerGate;
import dev.wakegate.park.ParkingLot;
import dev.wakegate.route.RouteTable;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What every connection handler of one {@link FrontServer} shares: the current routes (a
 * {@link RouteTable}, replaced whole), the lifecycle gate, local endpoints, metrics, limits and the {@link ReadPolicy}
 * made of them, the parking lot, what the listeners do about HTTPS, and one {@link UpstreamPool}
 * and one {@link RequestKits} per event loop. Thread-safe; the pools
 * themselves are loop-confined.
 */
final class DataPath {
    final RouteTable routes;
    final ContainerGate gate;
    final LocalEndpoints endpoints;
    final ProxyMetrics metrics;
    // replaced whole by a reload (apply); a connection reads them when it needs them, so new
    // connections and requests get the new values and nothing in flight is touched
    volatile Timeouts timeouts;
    volatile Limits limits;
    volatile ReadPolicy readPolicy;
    final ParkingLot parkingLot;
    final Duration parkDeadline;
    final Transport transport;
    final @Nullable AddressResolverGroup<? extends SocketAddress> resolver; // null: Netty's default resolver (detached handlers)
    /** Redirect and HSTS of {@code tls:}; replaced by a reload, read once per request. */
    volatile HttpsPolicy https;
    /** Where completed requests are logged; replaced by {@link FrontServer#accessLog}, read once per request. */
    volatile AccessLog accessLog = new AccessLog();
    /** Peers whose X-Forwarded-For names the client ({@code trusted_proxies}); read once per request. */
    volatile CidrSet trustedProxies = CidrSet.EMPTY;
    private final ConcurrentHashMap<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<EventLoop, RequestKits> kits = new ConcurrentHashMap<>();
    private final Function<EventLoop, UpstreamConnector> connectors;

    DataPath(RouteTable routes, ContainerGate gate, LocalEndpoints endpoints, ProxyMetrics metrics,
             Timeouts timeouts, Limits limits, Duration parkDeadline, Transport transport,
             @Nullable AddressResolverGroup<? extends SocketAddress> resolver, @Nullable Function<EventLoop, UpstreamConnector> connectors,
             HttpsPolicy https) {
        this.routes = routes;
        this.gate = gate;
        this.endpoints = endpoints;
        this.metrics = metrics;
        this.timeouts = timeouts;
        this.limits = limits;
        this.readPolicy = new ReadPolicy(limits);
        this.parkingLot = new ParkingLot(limits.maxParked(), metrics);
        this.parkDeadline = parkDeadline;
        this.transport = transport;
        this.resolver = resolver;
        this.https = https;
        this.connectors = connectors != null ? connectors
                : loop -> UpstreamPool.bootstrapConnector(loop, transport, resolver, () -> this.timeouts);
    }

    /** New timeouts and limits for the connections and requests that begin from now on (a reload). */
    void apply(Timeouts t, Limits l) {
        timeouts = t;
        limits = l;
        readPolicy = new ReadPolicy(l);
        parkingLot.capacity(l.maxParked());
        for (UpstreamPool p : pools.values()) {
            p.settings(t, l);
        }
    }

    /** The pool of {@code loop}, made on first use. */
    UpstreamPool pool(EventLoop loop) {
        UpstreamPool p = pools.get(loop);
        return p != null ? p : pools.computeIfAbsent(loop, l -> new UpstreamPool(l, connectors.apply(l), timeouts, limits));
    }

    /** The request kits of {@code loop}'s HTTP connections, made on first use. */
    RequestKits kits(EventLoop loop) {
        RequestKits k = kits.get(loop);
        return k != null ? k : kits.computeIfAbsent(loop, l -> new RequestKits(this, pool(l)));
    }

    Iterable<UpstreamPool> pools() {
        return pools.values();
    }
}

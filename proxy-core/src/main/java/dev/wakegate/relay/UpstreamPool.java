package dev.wakegate.relay;

import dev.wakegate.config.HostPort;
import dev.wakegate.config.Limits;
import dev.wakegate.config.Timeouts;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolverGroup;
import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive upstream connections of one event loop, per upstream address, reused LIFO (the
 * most recently used connection is the least likely to have been closed by the upstream). Only
 * the owning event loop touches it, so there are no locks. New connections are made on the same
 * loop with the same transport; host names are resolved by Netty's asynchronous DNS resolver,
 * IP literals are used as they are.
 */
final class UpstreamPool {
    static final String IDLE = "upstream-idle";
    static final String RESPONSE = "upstream-response";
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 128 * 1024);

    private final EventLoop loop;
    private final UpstreamConnector connector;
    private final Map<HostPort, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
    private volatile Timeouts timeouts;       // replaced by a reload: read when a connection is made
    private volatile Limits limits;
    private boolean closed;

    UpstreamPool(EventLoop loop, UpstreamConnector connector, Timeouts timeouts, Limits limits) {
        this.loop = loop;
        this.connector = connector;
        this.timeouts = timeouts;
        this.limits = limits;
    }

    /** New timeouts and limits for the connections made from now on. */
    void settings(Timeouts t, Limits l) {
        timeouts = t;
        limits = l;
    }

    /** The front server's connector: a Bootstrap on {@code loop}, same transport, async DNS. */
    static UpstreamConnector bootstrapConnector(EventLoop loop, Transport transport,
                                                @Nullable AddressResolverGroup<? extends SocketAddress> resolver,
                                                Supplier<Timeouts> timeouts) {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(resolver)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
        Map<HostPort, SocketAddress> addresses = new HashMap<>();
        return (address, initializer) -> bootstrap.clone().handler(initializer)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, timeouts.get().upstreamConnect().toMillis()))
                .connect(addresses.computeIfAbsent(address, UpstreamAddresses::of));
    }

    EventLoop loop() {
        return loop;
    }

    /** The most recently pooled live connection to {@code address}, or null. */
    @Nullable UpstreamConnection poll(HostPort address) {
        assert loop.inEventLoop();
        ArrayDeque<UpstreamConnection> q = idle.get(address);
        if (q == null) {
            return null;
        }
        UpstreamConnection c;
        while ((c = q.pollLast()) != null) {
            if (c.channel().isActive()) {
                return c;
            }
        }
        return null;
    }

    /** Opens a new connection; the future's channel has an {@link UpstreamConnection} as last handler. */
    ChannelFuture connect(HostPort address) {
        assert loop.inEventLoop();
        UpstreamConnection handler = new UpstreamConnection(this, address, limits.maxHeadSize());
        long idleMillis = timeouts.upstreamIdle().toMillis();
        return connector.connect(address, new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                // reader idle, not all idle: a pooled connection's last I/O is reading its
                                // last response, and write tracking would cost a promise and a listener per write
                                .addLast(IDLE, new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS))
                                .addLast(RESPONSE, handler);
                    }
                });
    }

    /** Returns a connection whose exchange completed cleanly; closes it when the pool is closed. */
    void release(UpstreamConnection c) {
        assert loop.inEventLoop();
        if (closed || !c.channel().isActive()) {
            c.detach();
            c.channel().close();
            return;
        }
        c.pooled();
        idle.computeIfAbsent(c.address(), a -> new ArrayDeque<>()).addLast(c);
    }

    void remove(UpstreamConnection c) {
        ArrayDeque<UpstreamConnection> q = idle.get(c.address());
        if (q != null) {
            q.remove(c);
        }
    }

    /** Closes every idle connection and refuses further ones; runs on the loop. */
    void close() {
        assert loop.inEventLoop();
        closed = true;
        List<UpstreamConnection> all = new ArrayList<>();
        idle.values().forEach(all::addAll);
        idle.clear();
        for (UpstreamConnection c : all) {
            c.channel().close();
        }
    }
}

package dev.wakegate.relay;

import dev.wakegate.config.HostPort;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;

/**
 * How an {@link UpstreamPool} opens a new upstream channel. The front server's connector uses a
 * {@code Bootstrap} on the client's event loop with the same transport and Netty's asynchronous
 * DNS resolver; benchmarks and handler tests plug in {@code EmbeddedChannel}s.
 */
@FunctionalInterface
public interface UpstreamConnector {
    /**
     * Opens a channel to {@code address}, registered on the calling event loop, with
     * {@code initializer} as its only handler; the future completes when it is connected.
     */
    ChannelFuture connect(HostPort address, ChannelHandler initializer);
}

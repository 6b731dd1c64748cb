package dev.wakegate.relay;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The channel classes that go with an event-loop group: native epoll when the group runs on
 * epoll, NIO otherwise. Listeners, upstream connections and the DNS resolver all use the same
 * transport so an upstream channel can be registered on its client's event loop.
 */
public record Transport(Class<? extends ServerSocketChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel,
                        Class<? extends DatagramChannel> datagramChannel) {

    static final Transport EPOLL = new Transport(EpollServerSocketChannel.class, EpollSocketChannel.class,
            EpollDatagramChannel.class);
    static final Transport NIO = new Transport(NioServerSocketChannel.class, NioSocketChannel.class,
            NioDatagramChannel.class);

    /**
     * A group of {@code threads} event loops on epoll when it is available (Netty's, patched:
     * {@link PatchedEpollIoHandler}), else on NIO.
     */
    public static EventLoopGroup newEventLoopGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads,
                Epoll.isAvailable() ? PatchedEpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** The transport matching {@code group}'s I/O type. */
    public static Transport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io && Epoll.isAvailable() && io.isIoType(PatchedEpollIoHandler.class)) {
            return EPOLL;
        }
        return NIO;
    }
}

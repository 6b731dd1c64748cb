package dev.wakegate.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real TCP echo server on 127.0.0.1: writes back every byte it reads; when the client shuts its
 * output down, it finishes writing and shuts its own output down (half-close), then closes. One
 * made with {@link #answeringAfterHalfClose()} holds what it reads and writes it all back only once
 * the client has shut its output down (a protocol whose answer follows the end of the request).
 */
public final class TcpEchoServer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();

    public TcpEchoServer() {
        this(false);
    }

    /** An echo that answers everything at once after the client's half-close. */
    public static TcpEchoServer answeringAfterHalfClose() {
        return new TcpEchoServer(true);
    }

    private TcpEchoServer(boolean afterHalfClose) {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new HttpTestServer.ByteCounter(bytesIn), new Echo(afterHalfClose));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public long bytesReceived() {
        return bytesIn.get();
    }

    public int connectionsAccepted() {
        return connections.get();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class Echo extends ChannelInboundHandlerAdapter {
        private final boolean afterHalfClose;
        private final List<Object> held = new ArrayList<>();

        Echo(boolean afterHalfClose) {
            this.afterHalfClose = afterHalfClose;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (afterHalfClose) {
                held.add(msg);
            } else {
                ctx.write(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                held.forEach(ctx::write);
                held.clear();
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ((DuplexChannel) ctx.channel()).shutdownOutput()
                        .addListener(x -> ctx.close()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

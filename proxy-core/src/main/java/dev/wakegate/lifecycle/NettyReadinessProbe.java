package dev.wakegate.lifecycle;

import dev.wakegate.config.HostPort;
import dev.wakegate.relay.DnsResolvers;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.util.CharsetUtil;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Readiness probes over Netty, never blocking: a TCP connect, or an HTTP/1.1 {@code GET} whose
 * status line is read (2xx/3xx is ready) before the connection is closed. Host names are
 * resolved with the given (non-blocking) resolver, not the JDK's.
 *
 * <p>Runs on the given group, which should not be the client-facing one when probes are many (a
 * cold start polls every 5–250 ms); the lifecycle scheduler's loop is a good home.
 */
public final class NettyReadinessProbe implements ReadinessProbe {
    /** The status line must arrive within this many bytes. */
    private static final int MAX_STATUS_LINE = 1024;

    private final Bootstrap bootstrap;

    public NettyReadinessProbe(EventLoopGroup group, Class<? extends SocketChannel> channelType,
                               AddressResolverGroup<InetSocketAddress> resolver) {
        this.bootstrap = new Bootstrap().group(group).channel(channelType).resolver(resolver)
                .option(ChannelOption.SO_KEEPALIVE, false).option(ChannelOption.TCP_NODELAY, true);
    }

    /** NIO transport with Netty's DNS resolver: for an NIO event loop group. */
    public static NettyReadinessProbe nio(EventLoopGroup group) {
        DnsAddressResolverGroup resolver = DnsResolvers.create(NioDatagramChannel.class, Duration.ofSeconds(5));
        return new NettyReadinessProbe(group, NioSocketChannel.class, resolver);
    }

    @Override
    public CompletableFuture<Boolean> tcp(HostPort target, Duration timeout) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        connect(target, timeout, null).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                result.complete(true);
                f.channel().close();
            } else {
                connectFailed(result, target, f.cause(), false);
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<Boolean> http(HostPort target, String path, Duration timeout) {
        return status(target, path, timeout).thenApply(code -> code >= 200 && code < 400);
    }

    @Override
    public CompletableFuture<Integer> status(HostPort target, String path, Duration timeout) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        StatusLineReader reader = new StatusLineReader(result);
        ChannelFuture connect = connect(target, timeout, reader);
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                connectFailed(result, target, f.cause(), 0);
                return;
            }
            Channel ch = f.channel();
            // Whatever happens, the probe ends by the deadline.
            io.netty.util.concurrent.Future<?> deadline = ch.eventLoop().schedule(() -> {
                result.complete(0);
                ch.close();
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
            ch.closeFuture().addListener(x -> deadline.cancel(false));
            String request = "GET " + (path == null || path.isEmpty() ? "/" : path) + " HTTP/1.1\r\n"
                    + "Host: " + target + "\r\n"
                    + "User-Agent: wakegate-probe\r\n"
                    + "Accept: */*\r\n"
                    + "Connection: close\r\n\r\n";
            ch.writeAndFlush(ch.alloc().buffer(request.length()).writeBytes(request.getBytes(CharsetUtil.US_ASCII)))
                    .addListener((ChannelFutureListener) w -> {
                        if (!w.isSuccess()) {
                            result.complete(0);
                            ch.close();
                        }
                    });
        });
        return result;
    }

    /** Not ready; or, when the name did not resolve, an {@link UnknownHostException} saying which. */
    private static <T> void connectFailed(CompletableFuture<T> result, HostPort target, Throwable cause, T none) {
        if (cause instanceof UnknownHostException || (cause != null && cause.getCause() instanceof UnknownHostException)) {
            result.completeExceptionally(new UnknownHostException("cannot resolve " + target.host()));
        } else {
            result.complete(none);
        }
    }

    private ChannelFuture connect(HostPort target, Duration timeout, @Nullable StatusLineReader reader) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Bootstrap b = bootstrap.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (reader != null) {
                            ch.pipeline().addLast(reader);
                        }
                    }
                });
        return b.connect(InetSocketAddress.createUnresolved(target.host(), target.port()));
    }

    /** Reads up to the first CRLF, takes the status code, closes. Releases every buffer it gets. */
    private static final class StatusLineReader extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<Integer> result;
        private final StringBuilder line = new StringBuilder(32);

        StatusLineReader(CompletableFuture<Integer> result) {
            this.result = result;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof ByteBuf buf && !result.isDone()) {
                    while (buf.isReadable()) {
                        char ch = (char) (buf.readByte() & 0xFF);
                        if (ch == '\n' || line.length() >= MAX_STATUS_LINE) {
                            result.complete(code(line));
                            ctx.close();
                            return;
                        }
                        line.append(ch);
                    }
                }
            } finally {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            result.complete(code(line));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            result.complete(0);
            ctx.close();
        }

        /** "HTTP/1.1 204 No Content" → 204; 0 when the line is no status line. */
        static int code(CharSequence statusLine) {
            String s = statusLine.toString().trim();
            if (!s.startsWith("HTTP/") || s.length() < 12) {
                return 0;
            }
            int sp = s.indexOf(' ');
            if (sp < 0 || sp + 4 > s.length()) {
                return 0;
            }
            char a = s.charAt(sp + 1);
            char b = s.charAt(sp + 2);
            char c = s.charAt(sp + 3);
            if (a < '1' || a > '5' || !Character.isDigit(b) || !Character.isDigit(c)
                    || (sp + 4 < s.length() && s.charAt(sp + 4) != ' ')) {
                return 0;
            }
            return (a - '0') * 100 + (b - '0') * 10 + (c - '0');
        }
    }
}

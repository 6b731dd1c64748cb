package dev.wakegate.relay;

import dev.wakegate.config.TcpSpec;
import dev.wakegate.lifecycle.ContainerGate;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.log.ChannelLog;
import dev.wakegate.park.ParkedRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * First handler of a TCP-listener connection: when the listener names a container that is not
 * ready, holds the connection (reads nothing) as a {@link ParkedRequest} until the gate says it
 * is, then connects to the upstream on the same event loop and replaces itself with a
 * {@link ByteRelay} (both channels with ALLOW_HALF_CLOSURE, so one-way shutdowns pass through). A
 * start failure, a full parking lot or an upstream that refuses closes the connection, with a
 * debug line saying why ({@link ChannelLog}). {@code gate.connectionOpened/Closed} bracket the whole client connection, and the
 * open is counted before the readiness check: an idle stop cordons and then re-reads the counts,
 * so either it sees this connection or this connection sees the cordon (see {@code LifecycleGate}).
 *
 * <p>Nothing asks for reads before the relay, but on a TLS listener the TLS handler reads by itself
 * to finish the handshake and may pass on what the client sent right after it: those bytes are
 * held (at most one read's worth, after which the TLS handler stops reading) and go upstream first.
 */
final class TcpFrontHandler extends ChannelInboundHandlerAdapter {
    private static final ChannelLog log = ChannelLog.of(TcpFrontHandler.class);
    private final TcpSpec spec;
    private final DataPath dp;
    private final List<String> containers;
    private final ParkingSpot parking = new ParkingSpot(); // its place while the containers start
    private @Nullable ByteBuf early;     // client bytes that arrived before the relay (TLS listeners only)

    TcpFrontHandler(TcpSpec spec, DataPath dp) {
        this.spec = spec;
        this.dp = dp;
        this.containers = spec.container().map(List::of).orElse(List.of());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ContainerGate gate = dp.gate;
        ByteRelay.countOpen(gate, ctx.channel(), containers);
        if (spec.tls()) {
            ctx.read(); // the TLS handshake runs while the connection waits for the upstream (its own timeout applies)
        }
        if (containers.isEmpty() || gate.isReady(containers)) {
            connect(ctx);
        } else if (!parking.park(dp, ctx.channel().eventLoop(), null, containers, (done, failure) -> onUnparked(ctx, failure))) {
            log.debug(ctx.channel(), "closing: too many connections wait for containers to start");
            ctx.close();
        }
        ctx.fireChannelActive();
    }

    private void onUnparked(ChannelHandlerContext ctx, @Nullable StartFailure failure) {
        parking.left();
        if (failure != null) {
            log.debug(ctx.channel(), "closing: not ready (" + failure.kind() + "): " + failure.reason());
            ctx.close();
        } else if (ctx.channel().isActive()) {
            connect(ctx);
        }
    }

    private void connect(ChannelHandlerContext ctx) {
        assert ctx.channel().eventLoop().inEventLoop();
        Channel client = ctx.channel();
        ChannelFuture f = new Bootstrap()
                .group(client.eventLoop())
                .channel(dp.transport.socketChannel())
                .resolver(dp.resolver)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, UpstreamPool.WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) dp.timeouts.upstreamConnect().toMillis())
                .handler(new ByteRelay(client))
                .connect(UpstreamAddresses.of(spec.upstream()));
        f.addListener(x -> {
            if (!f.isSuccess()) {
                dp.metrics.upstreamError(spec.upstream().toString(), UpstreamFailure.CONNECT_REFUSED);
                log.debug(client, "closing: cannot connect to " + spec.upstream(), f.cause());
                client.close();
                return;
            }
            Channel up = f.channel();
            if (!client.isActive()) {
                up.close();
                return;
            }
            client.closeFuture().addListener(c -> up.close());
            ByteBuf pending = early;
            early = null;
            if (pending != null) {
                up.writeAndFlush(pending, up.voidPromise());
            }
            ctx.pipeline().replace(this, HttpFrontHandler.RELAY, new ByteRelay(up));
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b && ctx.channel().isActive()) {
            early = early == null ? b : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), early, b);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        parking.abandon();
        releaseEarly();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseEarly();
    }

    private void releaseEarly() {
        if (early != null) {
            early.release();
            early = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug(ctx.channel(), "closing before the relay started", cause);
        ctx.close();
    }
}

package dev.wakegate.relay;

import dev.wakegate.config.TcpSpec;
import dev.wakegate.lifecycle.ContainerGate;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * First handler of a TCP-listener connection: when the listener names a container that is not
 * ready, holds the connection (reads nothing) until the gate says it is, then connects to the
 * upstream on the same event loop and replaces itself with a {@link ByteRelay} (both channels
 * with ALLOW_HALF_CLOSURE, so one-way shutdowns pass through). A start failure closes the
 * connection. {@code gate.connectionOpened/Closed} bracket the whole client connection, and the
 * open is counted before the readiness check: an idle stop cordons and then re-reads the counts,
 * so either it sees this connection or this connection sees the cordon (see {@code LifecycleGate}).
 */
final class TcpFrontHandler extends ChannelInboundHandlerAdapter {
    private final TcpSpec spec;
    private final DataPath dp;
    private final List<String> containers;
    private boolean parked;

    TcpFrontHandler(TcpSpec spec, DataPath dp) {
        this.spec = spec;
        this.dp = dp;
        this.containers = spec.container().map(List::of).orElse(List.of());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ContainerGate gate = dp.gate;
        if (!containers.isEmpty()) {
            gate.connectionOpened(containers);
            ctx.channel().closeFuture().addListener(f -> gate.connectionClosed(containers));
        }
        if (containers.isEmpty() || gate.isReady(containers)) {
            connect(ctx);
        } else if (!dp.parkingLot.tryEnter()) {
            ctx.close();
        } else {
            parked = true;
            CompletableFuture<Void> ready;
            try {
                ready = gate.awaitReady(containers);
            } catch (RuntimeException e) {
                ready = CompletableFuture.failedFuture(e);
            }
            ready.whenComplete((v, e) -> {
                try {
                    ctx.executor().execute(() -> {
                        unpark();
                        if (e != null || !ctx.channel().isActive()) {
                            ctx.close();
                        } else {
                            connect(ctx);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    // the loop is gone, and the connection with it
                }
            });
        }
        ctx.fireChannelActive();
    }

    private void unpark() {
        if (parked) {
            parked = false;
            dp.parkingLot.leave();
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
                client.close();
                return;
            }
            Channel up = f.channel();
            if (!client.isActive()) {
                up.close();
                return;
            }
            client.closeFuture().addListener(c -> up.close());
            ctx.pipeline().replace(this, HttpFrontHandler.RELAY, new ByteRelay(up));
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // nothing is read before the relay takes over
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        unpark();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}

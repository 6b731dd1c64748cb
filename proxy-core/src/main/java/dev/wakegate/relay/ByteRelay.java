package dev.wakegate.relay;

import dev.wakegate.lifecycle.ContainerGate;
import dev.wakegate.log.ChannelLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One direction of a raw byte relay (TCP listeners, upgraded WebSocket connections): everything
 * read from this channel is written to {@code peer}. Auto-read is off; this side reads again only
 * while the peer is writable, and the peer's writability change resumes it. A one-way shutdown
 * (with ALLOW_HALF_CLOSURE) is passed on as a shutdown of the peer's output (over TLS after a
 * close_notify, so the client sees a clean end of the stream, not a truncation); a close closes
 * the peer once its pending writes are flushed. An exception closes both, logged at debug
 * ({@link ChannelLog}).
 */
final class ByteRelay extends ChannelInboundHandlerAdapter {
    private static final ChannelLog log = ChannelLog.of(ByteRelay.class);
    private final Channel peer;

    ByteRelay(Channel peer) {
        this.peer = peer;
    }

    /**
     * Turns an HTTP connection whose upstream accepted an upgrade into a relay pair: the 101
     * ({@code switchingHead}) and the upstream's bytes after it ({@code leftover}, may be null) go
     * to the client, the upstream's response handlers leave its pipeline, {@code early} (client
     * bytes read past the upgrade request, may be null) goes upstream or is released, and
     * {@code front} leaves the client's pipeline. Every buffer is handed over.
     */
    static void upgrade(ChannelHandlerContext frontCtx, ChannelHandler front, UpstreamConnection upstream,
                        ByteBuf switchingHead, @Nullable ByteBuf leftover, @Nullable ByteBuf early) {
        frontCtx.write(switchingHead, frontCtx.voidPromise());
        if (leftover != null) {
            frontCtx.write(leftover, frontCtx.voidPromise());
        }
        frontCtx.flush();
        Channel client = frontCtx.channel();
        Channel up = upstream.channel();
        up.pipeline().remove(UpstreamPool.IDLE);
        up.pipeline().remove(upstream);
        up.pipeline().addLast(HttpFrontHandler.RELAY, new ByteRelay(client));
        if (early != null && early.isReadable()) {
            up.writeAndFlush(early, up.voidPromise());
        } else if (early != null) {
            early.release();
        }
        frontCtx.pipeline().addLast(HttpFrontHandler.RELAY, new ByteRelay(up));
        frontCtx.pipeline().remove(front);
    }

    /**
     * Counts {@code client}'s connection as open for {@code containers} until it closes: a relay
     * keeps its containers in use for as long as it lasts (none is stopped under it).
     */
    static void countOpen(ContainerGate gate, Channel client, List<String> containers) {
        gate.connectionOpened(containers);
        client.closeFuture().addListener(f -> gate.connectionClosed(containers));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            ctx.read();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (peer.isActive()) {
            peer.write(msg, peer.voidPromise());
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        if (peer.isWritable()) {
            ctx.read();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // this side drained: the peer may read (and write to us) again
        if (ctx.channel().isWritable()) {
            peer.read();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            if (peer instanceof DuplexChannel duplex && peer.isActive()) {
                peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> shutdownOutput(duplex));
            } else {
                peer.close();
            }
            if (ctx.channel() instanceof DuplexChannel self && self.isOutputShutdown()) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Ends the peer's output, with a TLS close_notify first when the peer speaks TLS; closes it when both ways are done. */
    private static void shutdownOutput(DuplexChannel duplex) {
        SslHandler tls = duplex.pipeline().get(SslHandler.class);
        if (tls == null) {
            finishShutdown(duplex);
        } else {
            tls.closeOutbound().addListener(f -> finishShutdown(duplex));
        }
    }

    private static void finishShutdown(DuplexChannel duplex) {
        duplex.shutdownOutput();
        if (duplex.isInputShutdown()) {
            duplex.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug(ctx.channel(), "closing the relay to " + peer.remoteAddress(), cause); // channelInactive closes the peer
        ctx.close();
    }
}

package dev.wakegate.relay;

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

/**
 * One direction of a raw byte relay (TCP listeners, upgraded WebSocket connections): everything
 * read from this channel is written to {@code peer}. Auto-read is off; this side reads again only
 * while the peer is writable, and the peer's writability change resumes it. A one-way shutdown
 * (with ALLOW_HALF_CLOSURE) is passed on as a shutdown of the peer's output (over TLS after a
 * close_notify, so the client sees a clean end of the stream, not a truncation); a close closes
 * the peer once its pending writes are flushed.
 */
final class ByteRelay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    ByteRelay(Channel peer) {
        this.peer = peer;
    }

    /**
     * Turns an HTTP connection whose upstream accepted an upgrade (the 101 already written to the
     * client) into a relay pair: the upstream's response handlers leave its pipeline, {@code early}
     * (client bytes read past the upgrade request, may be null) goes upstream or is released, and
     * {@code front} leaves the client's pipeline.
     */
    static void splice(ChannelHandlerContext frontCtx, ChannelHandler front, UpstreamConnection upstream, ByteBuf early) {
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
        ctx.close();
    }
}

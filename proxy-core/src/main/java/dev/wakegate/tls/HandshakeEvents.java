package dev.wakegate.tls;

import dev.wakegate.log.ChannelLog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Sits behind the TLS handlers until the handshake ends: a failed one (garbage, a protocol or
 * cipher the client and the listener do not share, a ClientHello that never came) is logged at
 * debug with the channel, rate-limited ({@link ChannelLog}), then the handler leaves the pipeline.
 * Stateless, shared.
 */
@ChannelHandler.Sharable
final class HandshakeEvents extends ChannelInboundHandlerAdapter {
    static final HandshakeEvents INSTANCE = new HandshakeEvents();
    private static final ChannelLog log = ChannelLog.of(HandshakeEvents.class);

    private HandshakeEvents() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SniCompletionEvent sni && !sni.isSuccess()) {
            log.debug(ctx.channel(), "TLS ClientHello failed", sni.cause());
        } else if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                log.debug(ctx.channel(), "TLS handshake failed", done.cause());
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }
}

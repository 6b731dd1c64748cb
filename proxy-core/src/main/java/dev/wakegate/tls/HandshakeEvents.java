package dev.wakegate.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits behind the TLS handlers until the handshake ends: a failed one (garbage, a protocol or
 * cipher the client and the listener do not share, a ClientHello that never came) is logged at
 * debug with the channel, then the handler leaves the pipeline. Stateless, shared.
 */
@ChannelHandler.Sharable
final class HandshakeEvents extends ChannelInboundHandlerAdapter {
    static final HandshakeEvents INSTANCE = new HandshakeEvents();
    private static final Logger log = LoggerFactory.getLogger(HandshakeEvents.class);

    private HandshakeEvents() {
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SniCompletionEvent sni && !sni.isSuccess()) {
            log.debug("{} TLS ClientHello failed: {}", ctx.channel(), String.valueOf(sni.cause()));
        } else if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                log.debug("{} TLS handshake failed: {}", ctx.channel(), String.valueOf(done.cause()));
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireUserEventTriggered(evt);
    }
}

package dev.wakegate.relay;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import org.jspecify.annotations.Nullable;

/**
 * The PROXY protocol (v1 text or v2 binary, as HAProxy, AWS NLB and others send it) on a listener
 * with {@code proxy_protocol: true}: the first handlers of each connection, before TLS.
 * {@link HAProxyMessageDecoder} reads the header (a connection that does not start with one is
 * closed) and removes itself; {@link #HEADER} turns the message into a {@link Source} event for the
 * front handler (the client the header names, for {@code PROXY} over TCP; a {@code LOCAL} header,
 * a load balancer's own health check, names none: {@link Source#NONE}) and removes itself, so nothing after it ever
 * sees the header and the bytes that follow it pass on as they came.
 */
final class ProxyProtocol {
    static final String DECODER = "proxy-protocol";
    static final String HEADER_NAME = "proxy-protocol-header";
    static final ChannelHandler HEADER = new Header();

    /** A PROXY header was read: the client it names, or a null address when it names none ({@code LOCAL}, {@code UNKNOWN}). */
    record Source(@Nullable String address, int port) {
        static final Source NONE = new Source(null, 0);
    }

    private ProxyProtocol() {
    }

    /** Adds the decoder and the header handler at the end of {@code p} (call first, before TLS). */
    static void addHandlers(ChannelPipeline p) {
        p.addLast(DECODER, new HAProxyMessageDecoder());
        p.addLast(HEADER_NAME, HEADER);
    }

    @ChannelHandler.Sharable
    private static final class Header extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof HAProxyMessage m)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                ctx.pipeline().remove(this);
                boolean names = m.command() == HAProxyCommand.PROXY && m.sourceAddress() != null
                        && (m.proxiedProtocol() == HAProxyProxiedProtocol.TCP4
                        || m.proxiedProtocol() == HAProxyProxiedProtocol.TCP6);
                ctx.fireUserEventTriggered(names ? new Source(m.sourceAddress(), m.sourcePort()) : Source.NONE);
            } finally {
                m.release();
            }
        }
    }
}

package dev.wakegate.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import org.jspecify.annotations.Nullable;

/**
 * First TLS handler of a connection: reads the ClientHello's server name, picks the context from
 * the {@link CertificateStore}, records the name on the channel ({@link TlsTermination#SERVER_NAME},
 * null when the client sent none) for the Host check, and replaces itself with the {@code SslHandler}.
 * A ClientHello that does not arrive within the handshake timeout closes the connection.
 */
final class SniSelector extends SniHandler {

    SniSelector(Mapping<String, SslContext> store, long handshakeTimeoutMillis) {
        super(store, handshakeTimeoutMillis);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, @Nullable String hostname, SslContext sslContext) throws Exception {
        ctx.channel().attr(TlsTermination.SERVER_NAME).set(hostname);
        super.replaceHandler(ctx, hostname, sslContext);
    }
}

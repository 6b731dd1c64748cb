package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;

import java.util.concurrent.TimeUnit;

/**
 * How the proxy closes a connection after a last response it wrote itself (a 400, 408, 503):
 * "lingering", as RFC 9112 section 9.6 asks: the output is shut down once the response is out,
 * and what the client still sends is read and dropped for a moment before the close, so the
 * client reads the response instead of a reset caused by its unread bytes. The handler that
 * calls it drops whatever it reads from then on.
 */
public final class LingeringClose {
    private LingeringClose() {
    }

    /** Writes {@code lastResponse} (handed over), shuts the output down, reads on, and closes after {@code lingerMillis}. */
    public static void after(ChannelHandlerContext ctx, ByteBuf lastResponse, long lingerMillis) {
        Channel ch = ctx.channel();
        ctx.writeAndFlush(lastResponse).addListener(f -> {
            if (!f.isSuccess() || !(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
                ch.close();
                return;
            }
            duplex.shutdownOutput();
            ch.config().setAutoRead(true);
            ch.eventLoop().schedule(() -> ch.close(), lingerMillis, TimeUnit.MILLISECONDS);
        });
    }
}

package dev.wakegate.tls;

import dev.wakegate.http1.ProblemResponses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * First handler of an HTTPS connection: looks at the first byte. A TLS handshake record (0x16)
 * passes, and this handler leaves the pipeline. Plain HTTP (a method's first letter) gets a 400
 * that says so, as nginx answers, and the connection closes after a short linger so the client
 * reads it; anything else is closed at once. Nothing of a refused connection reaches the rest of
 * the pipeline, and the bytes read are released by the decoder.
 */
final class PlainHttpRejector extends ByteToMessageDecoder {
    private static final int TLS_HANDSHAKE = 0x16;
    private static final long LINGER_MILLIS = 1000;

    private boolean refused;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!in.isReadable()) {
            return;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        if (first == TLS_HANDSHAKE) {
            ctx.pipeline().remove(this); // the bytes read so far go on to the SNI handler
            return;
        }
        refused = true;
        in.skipBytes(in.readableBytes());
        if (first < 'A' || first > 'Z') {
            ctx.close();
            return;
        }
        ByteBuf response = ProblemResponses.problem(ctx.alloc(), 400, null,
                "the plain HTTP request was sent to the HTTPS port", true, "Cache-Control", "no-store");
        Channel ch = ctx.channel();
        ctx.writeAndFlush(response).addListener(f -> {
            if (!f.isSuccess() || !(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
                ch.close();
                return;
            }
            // linger: the client's unread request bytes must not turn the answer into a reset
            duplex.shutdownOutput();
            ch.config().setAutoRead(true);
            ch.eventLoop().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }
}

package dev.wakegate.tls;

import dev.wakegate.http1.Connection;
import dev.wakegate.http1.LingeringClose;
import dev.wakegate.http1.ProblemResponses;
import dev.wakegate.log.ChannelLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;
import java.util.Map;

/**
 * First handler of an HTTPS connection: looks at the first byte. A TLS handshake record (0x16)
 * passes, and this handler leaves the pipeline. Plain HTTP (a method's first letter) gets a 400
 * that says so, as nginx answers, and the connection closes after a short linger so the client
 * reads it; anything else is closed at once, with a debug line ({@link ChannelLog}). Nothing of a
 * refused connection reaches the rest of the pipeline, and the bytes read are released by the
 * decoder.
 */
final class PlainHttpRejector extends ByteToMessageDecoder {
    private static final ChannelLog log = ChannelLog.of(PlainHttpRejector.class);
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
            log.debug(ctx.channel(), String.format("closing: neither TLS nor HTTP (first byte 0x%02x)", first));
            ctx.close();
            return;
        }
        ByteBuf response = ProblemResponses.problem(ctx.alloc(), 400, "the plain HTTP request was sent to the HTTPS port",
                Map.of(), Connection.CLOSE, "Cache-Control", "no-store");
        LingeringClose.after(ctx, response, LINGER_MILLIS); // what the client still sends is skipped above
    }
}

package dev.wakegate.http1;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's own {@link HttpRequestDecoder} (default, strict 4.2 settings and the same limits as
 * {@link Feeding}) as an oracle: the outcome of decoding a head, in a form comparable with ours.
 */
final class NettyOracle {
    private NettyOracle() {
    }

    /** "OK method uri host cl chunked keepAlive", "REJECT cause", or "INCOMPLETE". */
    static String decode(byte[] input) {
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(Feeding.MAX_REQUEST_LINE)
                .setMaxHeaderSize(Feeding.MAX_HEAD_SIZE)
                .setValidateHeaders(true);
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder(config));
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(input));
            Object first = ch.readInbound();
            if (first == null) {
                return "INCOMPLETE";
            }
            try {
                HttpObject msg = (HttpObject) first;
                if (msg.decoderResult().isFailure()) {
                    return "REJECT " + msg.decoderResult().cause();
                }
                if (!(msg instanceof HttpRequest request)) {
                    return "REJECT unexpected " + msg;
                }
                // what framing Netty settled on (it may have rewritten the headers)
                return "OK " + request.method().name() + " " + request.uri() + " host=" + request.headers().get(HttpHeaderNames.HOST)
                        + " cl=" + HttpUtil.getContentLength(request, -1L) + " chunked=" + HttpUtil.isTransferEncodingChunked(request)
                        + " keepAlive=" + HttpUtil.isKeepAlive(request);
            } finally {
                ReferenceCountUtil.release(first);
            }
        } catch (RuntimeException e) {
            return "REJECT thrown " + e;
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    /** Our outcome in the same shape. */
    static String ours(byte[] input) {
        RequestHeadParser parser = Feeding.requestParser();
        RequestHead head = new RequestHead();
        io.netty.buffer.ByteBuf buf = Unpooled.wrappedBuffer(input);
        try {
            int r = parser.parse(buf, head);
            if (r == RequestHead.NEED_MORE) {
                return "INCOMPLETE";
            }
            if (r == RequestHead.ERROR) {
                return "REJECT " + head.errorStatus() + " " + head.errorReason();
            }
            return "OK " + head.method() + " " + head.uri() + " host=" + head.host() + " cl=" + head.contentLength()
                    + " chunked=" + head.isChunked() + " keepAlive=" + head.keepAlive();
        } finally {
            buf.release();
        }
    }
}

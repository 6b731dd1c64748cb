package dev.wakegate.relay;

import dev.wakegate.config.HostPort;
import dev.wakegate.http1.BodyFramer;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.http1.ResponseHead;
import dev.wakegate.http1.ResponseHeadParser;
import dev.wakegate.log.ChannelLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * The last handler of an upstream channel: reads response heads with {@link ResponseHeadParser},
 * frames their bodies with {@link BodyFramer}, and hands the original bytes (retained slices, no
 * copies) to the {@link Listener} of the current exchange, i.e. the client connection's
 * {@link UpstreamExchange}. Between exchanges it sits idle in its {@link UpstreamPool}, where a
 * close by the upstream or an idle timeout removes it.
 *
 * <p>Runs on the client's event loop (the pool's loop); never touched from another thread.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {
    private static final ChannelLog log = ChannelLog.of(UpstreamConnection.class);

    /** The exchange using this connection; every callback runs on the event loop. */
    interface Listener {
        /** A 1xx (other than an accepted 101) to relay before the final response. */
        void upstreamInformational(ByteBuf head);

        /**
         * The final response head: relay it, then the body that follows. {@code head} holds the
         * head's bytes and, when they arrived with it, the first body bytes (in the common small
         * response, the whole body), so they go on as one buffer.
         */
        void upstreamResponseHead(ByteBuf head, ResponseHead parsed, BodyFramer.Mode mode);

        void upstreamBody(ByteBuf chunk);

        /** End of a read batch: flush toward the client, and call {@link #read()} to continue. */
        void upstreamReadComplete();

        /** The response ended; {@code reusable} when the connection may carry another request. */
        void upstreamResponseComplete(boolean reusable);

        /** 101 to an upgrade request: from here on raw bytes; {@code leftover} may be null. */
        void upstreamSwitched(ByteBuf head, @Nullable ByteBuf leftover);

        /** The response is malformed (bad head, bad chunked framing). */
        void upstreamFailed(String reason);

        /**
         * The connection closed while the exchange was using it (before its response completed);
         * {@code responseBytesSeen} when any byte of a response had arrived on it by then.
         */
        void upstreamClosed(boolean responseBytesSeen);

        void upstreamWritabilityChanged();
    }

    private enum Phase { POOLED, AWAITING_HEAD, BODY, DONE }

    private final UpstreamPool pool;
    private final HostPort address;
    private final ResponseHeadParser parser;
    private final ResponseHead head = new ResponseHead();
    private final BodyFramer framer = new BodyFramer();
    @SuppressWarnings("NullAway.Init") // set in handlerAdded, which Netty calls before any other method of the handler
    private Channel channel;
    private @Nullable ByteBuf cumulation;
    private @Nullable Listener listener;
    private Phase phase = Phase.POOLED;
    private boolean headRequest;
    private boolean upgradeRequested;
    private boolean used;
    private boolean bytesSeen; // any byte arrived during the current exchange

    UpstreamConnection(UpstreamPool pool, HostPort address, int maxHeadSize) {
        this.pool = pool;
        this.address = address;
        this.parser = new ResponseHeadParser(maxHeadSize);
    }

    Channel channel() {
        return channel;
    }

    HostPort address() {
        return address;
    }

    /** Whether it carried an exchange before (a reused connection may have gone stale). */
    boolean wasUsed() {
        return used;
    }

    /** Takes the connection for one exchange. */
    void begin(Listener l, boolean isHeadRequest, boolean isUpgrade) {
        assert channel.eventLoop().inEventLoop();
        listener = l;
        headRequest = isHeadRequest;
        upgradeRequested = isUpgrade;
        phase = Phase.AWAITING_HEAD;
        head.reset();
        parser.reset();
        used = true;
        bytesSeen = false;
        channel.read();
    }

    /** Lets go of the exchange without closing (the caller pools or closes the channel). */
    void detach() {
        listener = null;
        phase = Phase.POOLED;
        releaseCumulation();
    }

    void read() {
        channel.read();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseCumulation();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf empty && !empty.isReadable()) {
            empty.release();
            return;
        }
        if (!(msg instanceof ByteBuf in) || listener == null || phase == Phase.DONE || phase == Phase.POOLED) {
            // bytes nobody asked for: the connection cannot be trusted any more
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        bytesSeen = true;
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        process();
    }

    private void process() {
        while (listener != null && cumulation != null && cumulation.isReadable()) {
            if (phase == Phase.AWAITING_HEAD) {
                int n = parser.parse(cumulation, head);
                if (n == RequestHead.NEED_MORE) {
                    return;
                }
                if (n == RequestHead.ERROR) {
                    fail(head.errorReason() != null ? head.errorReason() : "malformed response head");
                    return;
                }
                if (parser.sawBareLf()) {
                    // Lines ended by a bare LF: forward the head as CRLF lines, as read here.
                    ByteBuf normalized = ResponseHeadParser.withCrLf(channel.alloc(), cumulation, n);
                    cumulation.release();
                    cumulation = normalized;
                    parser.reset();
                    n = parser.parse(cumulation, head);
                }
                if (head.status() == 101 && upgradeRequested) {
                    ByteBuf headBytes = cumulation.readRetainedSlice(n);
                    ByteBuf leftover = cumulation.isReadable() ? cumulation.readRetainedSlice(cumulation.readableBytes()) : null;
                    releaseCumulation();
                    Listener l = listener;
                    listener = null;
                    phase = Phase.DONE;
                    l.upstreamSwitched(headBytes, leftover);
                    return;
                }
                if (head.isInformational()) {
                    parser.reset();
                    head.reset();
                    listener.upstreamInformational(take(n));
                    continue;
                }
                BodyFramer.Mode mode = head.bodyMode(headRequest);
                framer.reset(mode, head.contentLength());
                phase = Phase.BODY;
                int k = 0;
                if (mode != BodyFramer.Mode.NONE) {
                    cumulation.skipBytes(n);
                    k = framer.scan(cumulation);
                    cumulation.readerIndex(cumulation.readerIndex() - n);
                }
                listener.upstreamResponseHead(take(n + k), head, mode);
                if (framer.error() != null) {
                    fail("bad response body framing: " + framer.error());
                    return;
                }
                if (mode == BodyFramer.Mode.NONE || framer.isComplete()) {
                    complete();
                    return;
                }
            } else if (phase == Phase.BODY) {
                int k = framer.scan(cumulation);
                if (k > 0) {
                    listener.upstreamBody(take(k));
                }
                if (framer.error() != null) {
                    fail("bad response body framing: " + framer.error());
                    return;
                }
                if (framer.isComplete()) {
                    complete();
                    return;
                }
                break;
            } else {
                break;
            }
        }
        if (cumulation != null && !cumulation.isReadable()) {
            releaseCumulation();
        }
    }

    /**
     * The next {@code length} bytes to pass on: the cumulation itself when that is all of it (the
     * usual case of one response per read; saves a slice object), else a retained slice.
     */
    private ByteBuf take(int length) {
        ByteBuf c = Objects.requireNonNull(cumulation, "bytes to pass on are in the cumulation");
        if (length == c.readableBytes()) {
            cumulation = null;
            return c;
        }
        return c.readRetainedSlice(length);
    }

    private void complete() {
        phase = Phase.DONE;
        boolean reusable = head.keepAlive() && (cumulation == null || !cumulation.isReadable()) && channel.isActive();
        releaseCumulation();
        Listener l = Objects.requireNonNull(listener, "a response completes within an exchange");
        listener = null;
        l.upstreamResponseComplete(reusable);
    }

    private void fail(String reason) {
        releaseCumulation();
        Listener l = Objects.requireNonNull(listener, "a response fails within an exchange");
        listener = null;
        phase = Phase.DONE;
        channel.close();
        l.upstreamFailed(reason);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.upstreamReadComplete();
        } else if (phase == Phase.POOLED) {
            ctx.read(); // keep watching for the upstream closing an idle connection
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.upstreamWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.remove(this);
        Listener l = listener;
        listener = null;
        if (l != null) {
            if (phase == Phase.BODY && framer.mode() == BodyFramer.Mode.UNTIL_CLOSE) {
                if (cumulation != null && cumulation.isReadable()) {
                    l.upstreamBody(cumulation.readRetainedSlice(cumulation.readableBytes()));
                }
                releaseCumulation();
                phase = Phase.DONE;
                l.upstreamResponseComplete(false);
            } else {
                releaseCumulation();
                phase = Phase.DONE;
                l.upstreamClosed(bytesSeen);
            }
        }
        releaseCumulation();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && phase == Phase.POOLED) {
            ctx.close();
            return;
        }
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // connection reset and the like: channelInactive follows and tells the listener
        log.debug(ctx.channel(), "closing the upstream connection (" + phase + ")", cause);
        ctx.close();
    }

    /** Called by the pool when the connection goes back to idle. */
    void pooled() {
        listener = null;
        phase = Phase.POOLED;
        releaseCumulation();
        channel.read();
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }
}

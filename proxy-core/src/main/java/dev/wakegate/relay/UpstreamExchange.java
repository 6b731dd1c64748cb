package dev.wakegate.relay;

import dev.wakegate.config.HostPort;
import dev.wakegate.http1.BodyFramer;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.http1.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;

import java.net.UnknownHostException;

/**
 * One request/response of an {@link HttpFrontHandler} through an upstream, one at a time per
 * client connection: takes a connection from the loop's {@link UpstreamPool} (or opens one),
 * writes the rewritten head and then the body bytes the handler passes on, relays the response
 * it gets as the connection's {@link UpstreamConnection.Listener} to the client, and at the end
 * pools or closes the connection. It maps failures to 502/504 (connect refused or timed out, DNS,
 * malformed or reset response, no response head within the upstream-response timeout), and sends
 * a bodiless request once more when a reused keep-alive connection closes before answering.
 *
 * <p>The connection's state stays the handler's: the exchange reports through {@link Front},
 * whose implementation makes every state transition. Every buffer it takes is written or released
 * (the pending head on {@link #dispose()}). Event loop only, like the handler that owns it.
 */
final class UpstreamExchange implements UpstreamConnection.Listener {

    /** What the exchange tells the client connection; every call runs on the event loop. */
    interface Front {
        /** Whether the connection still waits for this exchange's upstream (state CONNECTING). */
        boolean awaitingUpstream();

        /** Whether request and response flow through this exchange (state PROXYING). */
        boolean proxying();

        /** A connection was taken: from now on the request body goes upstream. */
        void upstreamAttached();

        /** A reused connection died before answering: the request is sent again on a new one. */
        void upstreamRetrying();

        /** A 1xx went to the client: the response has started. */
        void responseStarted();

        /** The final response head goes to the client; {@code upstreamKeepAlive} when its framing allows reuse. */
        void responseHead(int status, boolean upstreamKeepAlive);

        /** The response ended; {@code reusable} when the upstream connection may carry another request. */
        void responseEnded(boolean reusable);

        /** No usable response will come; the connection is closed and the heads released. */
        void upstreamFailed(int status, String detail);

        /** 101 to an upgrade request: hand both channels to a raw relay. */
        void upgraded(UpstreamConnection c, ByteBuf switchingHead, ByteBuf leftover);

        /** Moves whatever can move now. */
        void pump();
    }

    private final DataPath dp;
    private final UpstreamPool pool;
    private final ChannelHandlerContext ctx;
    private final Front front;
    private final DeadlineTimer responseTimer; // request sent, no response head yet (504)
    private final HttpsPolicy https;           // HSTS on response heads over HTTPS; NONE on plain HTTP

    private long generation;                   // one per exchange: a late connect belongs to an old one
    private HostPort address;
    private boolean headRequest;
    private boolean upgrading;
    private boolean hasBody;
    private boolean expectContinue;
    private boolean responseStarted;
    private boolean responseHeadSeen;
    private ByteBuf outHead;                   // rewritten head waiting to be sent upstream
    private ByteBuf retryHead;                 // kept for the one retry of a bodiless request on a reused connection
    private int retryHeadStart;
    private boolean retried;
    private boolean upstreamReused;
    private UpstreamConnection upstream;

    UpstreamExchange(DataPath dp, UpstreamPool pool, ChannelHandlerContext ctx, Front front, HttpsPolicy https) {
        this.https = https;
        this.dp = dp;
        this.pool = pool;
        this.ctx = ctx;
        this.front = front;
        this.responseTimer = new DeadlineTimer(ctx.executor(), this::onResponseTimeout);
    }

    // ---------------------------------------------------------------- the handler's side

    /** Takes what the exchange needs of a new request's head (called for every request). */
    void reset(RequestHead head) {
        headRequest = "HEAD".equals(head.method());
        upgrading = head.upgrade() != null;
        hasBody = head.hasBody();
        expectContinue = head.expectContinue();
        responseStarted = false;
        responseHeadSeen = false;
        retried = false;
    }

    /**
     * Sends the current request, whose rewritten head is {@code head} (handed over), to
     * {@code upstreamAddress}; the front has just entered CONNECTING.
     */
    void open(HostPort upstreamAddress, ByteBuf head) {
        generation++;
        address = upstreamAddress;
        outHead = head;
        acquire();
    }

    /** Whether an upstream connection is attached and can take body bytes now. */
    boolean canTakeBody() {
        return upstream != null && upstream.channel().isWritable() && outHead == null;
    }

    /** Whether the head still waits to be sent (for the first chunk size of a chunked body). */
    boolean headPending() {
        return outHead != null;
    }

    /**
     * Sends the head when it may go, then the checked body bytes while the upstream is writable.
     * False while the head is held back for the first chunk size: a bad one must not reach the upstream.
     */
    boolean forward(ByteBuf cumulation, RequestBody body) {
        if (outHead != null) {
            if (!expectContinue && body.awaitingFirstChunk()) {
                return false;
            }
            sendHead();
        }
        Channel up = upstream.channel();
        if (body.ready() > 0 && up.isWritable()) {
            up.write(body.take(cumulation), up.voidPromise());
        }
        up.flush();
        return true;
    }

    /** The whole request went upstream: the response clock runs until its head arrives. */
    void requestSent() {
        if (!responseHeadSeen) {
            responseTimer.arm(dp.timeouts.upstreamResponse().toNanos());
        }
    }

    void flush() {
        if (upstream != null) {
            upstream.channel().flush();
        }
    }

    /** The client became writable: read more of the response. */
    void resume() {
        if (upstream != null) {
            upstream.read();
        }
    }

    /** The exchange is over: pools the connection when {@code reusable}, else closes it. */
    void end(boolean reusable) {
        if (upstream != null) {
            UpstreamConnection c = upstream;
            upstream = null;
            if (reusable) {
                pool.release(c);
            } else {
                c.detach();
                c.channel().close();
            }
        }
        cancelResponseTimer();
        releaseHeads();
    }

    /** Closes the upstream connection, if any, without telling the front. */
    void closeUpstream() {
        if (upstream != null) {
            UpstreamConnection c = upstream;
            upstream = null;
            c.detach();
            c.channel().close();
        }
    }

    /** The client connection is gone or upgraded: nothing may outlive it. */
    void dispose() {
        responseTimer.stop();
        closeUpstream();
        releaseHeads();
    }

    /** The head of a request that never reaches an upstream (the handler gives up on it). */
    void releaseHeads() {
        if (outHead != null) {
            outHead.release();
            outHead = null;
        }
        if (retryHead != null) {
            retryHead.release();
            retryHead = null;
        }
    }

    // ---------------------------------------------------------------- connecting

    private void acquire() {
        UpstreamConnection c = retried ? null : pool.poll(address);
        if (c != null) {
            attach(c, true);
            return;
        }
        long id = generation;
        ChannelFuture f = pool.connect(address);
        if (f.isDone()) {
            onConnected(id, f);
        } else {
            f.addListener(x -> onConnected(id, f));
        }
    }

    private void onConnected(long id, ChannelFuture f) {
        UpstreamConnection c = f.isSuccess() ? f.channel().pipeline().get(UpstreamConnection.class) : null;
        if (id != generation || !front.awaitingUpstream()) {
            if (c != null) {
                pool.release(c); // fresh and unused: good for the next request
            }
            return;
        }
        if (c == null) {
            Throwable cause = f.cause();
            String up = address.toString();
            if (cause instanceof UnknownHostException || (cause != null && cause.getCause() instanceof UnknownHostException)) {
                fail(502, "dns", "cannot resolve " + address.host());
            } else if (cause instanceof ConnectTimeoutException) {
                fail(504, "connect_timeout", "cannot connect to " + up + " within "
                        + dp.timeouts.upstreamConnect().toMillis() + "ms");
            } else {
                fail(502, "connect_refused", "cannot connect to " + up);
            }
            front.pump();
            return;
        }
        attach(c, false);
        front.pump();
    }

    private void attach(UpstreamConnection c, boolean reused) {
        front.upstreamAttached();
        upstream = c;
        upstreamReused = reused;
        c.begin(this, headRequest, upgrading);
        front.pump();
    }

    private void sendHead() {
        ByteBuf h = outHead;
        outHead = null;
        if (upstreamReused && !hasBody && !retried) {
            // the same buffer, retained: a write leaves its bytes alone and only moves the reader
            // index of a partly written buffer, which the retry puts back (no duplicate per request)
            retryHead = h.retain();
            retryHeadStart = h.readerIndex();
        }
        upstream.channel().write(h, upstream.channel().voidPromise());
        if (expectContinue) {
            responseTimer.arm(dp.timeouts.upstreamResponse().toNanos()); // the upstream should at least say 100 Continue
        }
    }

    // ---------------------------------------------------------------- failures

    /** The upstream could not produce a response: the front answers 502/504 while nothing was sent, else closes. */
    private void fail(int status, String metricReason, String detail) {
        dp.metrics.upstreamError(address.toString(), metricReason);
        closeUpstream();
        cancelResponseTimer();
        releaseHeads();
        front.upstreamFailed(status, detail);
    }

    private void cancelResponseTimer() {
        responseTimer.disarm(); // disarmed at the end of every exchange, so an expiry is always the current one's
    }

    private void onResponseTimeout() {
        if (front.proxying() && !responseHeadSeen) {
            fail(504, "response_timeout", "no response from " + address + " within "
                    + dp.timeouts.upstreamResponse().toMillis() + "ms");
            front.pump();
        }
    }

    // ---------------------------------------------------------------- UpstreamConnection.Listener

    @Override
    public void upstreamInformational(ByteBuf informational) {
        cancelResponseTimer();
        responseStarted = true;
        front.responseStarted();
        ctx.write(informational, ctx.voidPromise());
    }

    @Override
    public void upstreamResponseHead(ByteBuf responseHead, ResponseHead parsed, BodyFramer.Mode mode) {
        cancelResponseTimer();
        releaseHeads();
        responseHeadSeen = true;
        responseStarted = true;
        front.responseHead(parsed.status(), parsed.keepAlive() && mode != BodyFramer.Mode.UNTIL_CLOSE);
        https.writeResponseHead(ctx, responseHead, parsed);
    }

    @Override
    public void upstreamBody(ByteBuf chunk) {
        ctx.write(chunk, ctx.voidPromise());
    }

    @Override
    public void upstreamReadComplete() {
        ctx.flush();
        if (front.proxying() && upstream != null && ctx.channel().isWritable()) {
            upstream.read();
        }
    }

    @Override
    public void upstreamResponseComplete(boolean reusable) {
        ctx.flush();
        front.responseEnded(reusable);
    }

    @Override
    public void upstreamFailed(String reason) {
        upstream = null; // the connection closes itself
        fail(502, "bad_response", reason);
        front.pump();
    }

    @Override
    public void upstreamClosed() {
        UpstreamConnection dead = upstream;
        upstream = null;
        if (dead == null || !front.proxying()) {
            return;
        }
        if (retryHead != null && !responseStarted && !retried) {
            // a reused keep-alive connection was closed under us before any answer: try once more
            retried = true;
            cancelResponseTimer();
            outHead = retryHead.readerIndex(retryHeadStart);
            retryHead = null;
            front.upstreamRetrying();
            acquire();
            front.pump();
            return;
        }
        fail(502, "reset", "upstream " + address + " closed the connection before the response ended");
        front.pump();
    }

    @Override
    public void upstreamWritabilityChanged() {
        if (upstream != null && upstream.channel().isWritable()) {
            front.pump();
        }
    }

    @Override
    public void upstreamSwitched(ByteBuf switchingHead, ByteBuf leftover) {
        cancelResponseTimer();
        releaseHeads();
        UpstreamConnection c = upstream;
        upstream = null;
        responseStarted = true;
        front.upgraded(c, switchingHead, leftover);
    }
}

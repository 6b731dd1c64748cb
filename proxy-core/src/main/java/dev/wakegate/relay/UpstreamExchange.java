package dev.wakegate.relay;

import dev.wakegate.config.HostPort;
import dev.wakegate.http1.BodyFramer;
import dev.wakegate.http1.ResponseHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import org.jspecify.annotations.Nullable;

import java.net.UnknownHostException;
import java.util.Objects;

/**
 * One request/response of an {@link HttpFrontHandler} through an upstream, one at a time per
 * client connection: takes a connection from the loop's {@link UpstreamPool} (or opens one),
 * writes the rewritten head and then the body bytes the handler passes on, relays the response it
 * gets as the connection's {@link UpstreamConnection.Listener} to the client, and at the end pools
 * or closes the connection. Failures are {@link UpstreamFailure}s, which carry their 502/504 and
 * metric tag (connect refused or timed out, DNS, malformed or reset response, a body the upstream
 * takes none of for {@code upstream_send}, no response head within {@code upstream_response}, a
 * response that stalls for {@code upstream_read}); each is a lazy {@link DeadlineTimer} that the
 * client connection's {@link ClientClock} carries, and runs only while the exchange waits on the
 * upstream, never while it is paused for the client. One that may be the reused-connection race
 * sends the request once more on a new connection when its {@link UpstreamFailure.Retry} allows it
 * (idempotent method, no body, no byte of the response seen).
 *
 * <p>The connection's and the request's state stay the handler's: the exchange reads the request's
 * {@link HttpExchange} (its method, body, and how far request and response have got) and reports
 * through {@link Front}, whose implementation makes every state transition. What it keeps itself
 * is the upstream attempt: the connection, the head still to send, the one retry. Every buffer it
 * takes is written or released (the pending head on {@link #dispose()}). Part of a
 * {@link RequestKit}: it serves one connection at a time, the one it is bound to ({@link #bind}),
 * or none while the kit is kept ({@link #unbind}); a late connect of an earlier attempt or
 * connection finds a newer generation or a front that does not wait for it. Event loop only.
 */
final class UpstreamExchange implements UpstreamConnection.Listener, ReadPolicy.Upstream {

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
        void interimResponse();

        /** The final response head goes to the client; {@code upstreamKeepAlive} when its framing allows reuse. */
        void responseHead(int status, boolean upstreamKeepAlive);

        /** The response ended; {@code reusable} when the upstream connection may carry another request. */
        void responseEnded(boolean reusable);

        /** No usable response will come; the connection is closed and the heads released. */
        void upstreamFailed(UpstreamFailure failure, String detail);

        /** 101 to an upgrade request: hand both channels to a raw relay. */
        void upgraded(UpstreamConnection c, ByteBuf switchingHead, @Nullable ByteBuf leftover);

        /** Moves whatever can move now. */
        void pump();

        /** Response bytes go to the client, {@code body} of them body bytes (for the access log). */
        void responseBytes(int total, int body);
    }

    private final DataPath dp;
    private final UpstreamPool pool;
    private final HttpExchange request;        // the kit's: read here, changed through front
    // request sent, no response head yet (504)
    private final DeadlineTimer responseTimer = new DeadlineTimer(this::onResponseTimeout);
    // response body: between two reads from the upstream
    private final DeadlineTimer readTimer = new DeadlineTimer(this::onReadTimeout);
    // request body: the upstream takes none of it (stays unwritable)
    private final DeadlineTimer sendTimer = new DeadlineTimer(this::onSendTimeout);
    private final DeadlineTimer[] timers = {responseTimer, readTimer, sendTimer};
    private final WriteProgress upstreamWrites = new WriteProgress();

    // the client connection that holds the kit now (bind), none while the kit is kept (unbind)
    private Front front = Unbound.FRONT;
    private @Nullable ChannelHandlerContext ctx;
    private @Nullable ClientClock clock;       // the connection's: the upstream timeouts run on its task
    private HttpsPolicy https = HttpsPolicy.NONE; // HSTS on response heads over HTTPS; NONE on plain HTTP

    private long generation;                   // one per attempt: a late connect belongs to an old one
    private @Nullable HostPort address;
    private @Nullable ByteBuf outHead;                   // rewritten head waiting to be sent upstream
    private @Nullable ByteBuf retryHead;                 // kept for the one retry of a bodiless request on a reused connection
    private int retryHeadStart;
    private boolean retried;
    private boolean upstreamReused;
    private @Nullable UpstreamConnection upstream;

    UpstreamExchange(DataPath dp, UpstreamPool pool, HttpExchange request) {
        this.dp = dp;
        this.pool = pool;
        this.request = request;
    }

    /**
     * Serves the client connection of {@code ctx} from now on (its {@link RequestKit} was lent to
     * it): its front, its clock, which carries the upstream timeouts, and its listener's
     * {@code https} policy ({@link HttpsPolicy#NONE} on plain HTTP).
     */
    void bind(ChannelHandlerContext ctx, Front front, ClientClock clock, HttpsPolicy https) {
        this.ctx = ctx;
        this.front = front;
        this.clock = clock;
        this.https = https;
        clock.carry(timers);
    }

    /**
     * Serves no connection from now on (the kit is kept): nothing of the last one is held, and a
     * late connect of one of its attempts finds a front that waits for nothing, and the
     * connection's clock carries its timers no longer. The exchange has ended or was disposed of.
     */
    void unbind() {
        if (clock != null) {
            clock.carry(ClientClock.NO_TIMERS);
        }
        front = Unbound.FRONT;
        ctx = null;
        clock = null;
        https = HttpsPolicy.NONE;
        address = null;
    }

    // ---------------------------------------------------------------- the handler's side

    /**
     * Sends the current request, whose rewritten head is {@code head} (handed over), to
     * {@code upstreamAddress}; the front has just entered CONNECTING.
     */
    void open(HostPort upstreamAddress, ByteBuf head) {
        generation++;
        address = upstreamAddress;
        outHead = head;
        retried = false;
        acquire();
    }

    /** Whether an upstream connection is attached and can take body bytes now. */
    @Override
    public boolean canTakeBody() {
        return upstream != null && upstream.channel().isWritable() && outHead == null;
    }

    /**
     * Whether the front holds request body bytes back because the upstream connection takes no
     * more for now (unwritable): that wait is the upstream's, timed by {@code upstream_send}.
     */
    void awaitingUpstreamWritable(boolean waiting) {
        if (!waiting || upstream == null) {
            sendTimer.disarm();
        } else if (!sendTimer.isArmed()) {
            upstreamWrites.mark(upstream.channel());
            sendTimer.arm(clock(), dp.timeouts.upstreamSend().toNanos());
        }
    }

    /** Whether the head still waits to be sent (for the first chunk size of a chunked body). */
    @Override
    public boolean headPending() {
        return outHead != null;
    }

    /**
     * Sends the head when it may go, then the checked body bytes while the upstream is writable.
     * False while the head is held back for the first chunk size: a bad one must not reach the upstream.
     */
    boolean forward(@Nullable ByteBuf cumulation) {
        RequestBody body = request.body();
        if (outHead != null) {
            if (!request.expectContinue() && body.awaitingFirstChunk()) {
                return false;
            }
            sendHead();
        }
        Channel up = attached().channel();
        if (body.ready() > 0 && up.isWritable()) {
            up.write(body.take(Objects.requireNonNull(cumulation, "ready bytes are in it")), up.voidPromise());
        }
        up.flush();
        return true;
    }

    /** The whole request went upstream: the response clock runs until its head arrives. */
    void requestSent() {
        if (!request.finalHeadWritten()) {
            responseTimer.arm(clock(), dp.timeouts.upstreamResponse().toNanos());
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
            readUpstream();
        }
    }

    /** Asks the upstream for more; after the response head, the wait for it is timed ({@code upstream_read}). */
    private void readUpstream() {
        if (request.finalHeadWritten()) {
            readTimer.arm(clock(), dp.timeouts.upstreamRead().toNanos());
        }
        attached().read();
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
        readTimer.disarm();
        sendTimer.disarm();
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
        readTimer.stop();
        sendTimer.stop();
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

    /** The connection of the current attempt: set from attach until the exchange ends, the only time it is asked for. */
    private UpstreamConnection attached() {
        return Objects.requireNonNull(upstream, "attached");
    }

    /** Where the current request goes: set by {@link #open} before anything asks. */
    private HostPort address() {
        return Objects.requireNonNull(address, "opened");
    }

    // ---------------------------------------------------------------- connecting

    private void acquire() {
        UpstreamConnection c = retried ? null : pool.poll(address());
        if (c != null) {
            attach(c, true);
            return;
        }
        long id = generation;
        ChannelFuture f = pool.connect(address());
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
            String up = address().toString();
            if (cause instanceof UnknownHostException || (cause != null && cause.getCause() instanceof UnknownHostException)) {
                fail(UpstreamFailure.DNS, "cannot resolve " + address().host());
            } else if (cause instanceof ConnectTimeoutException) {
                fail(UpstreamFailure.CONNECT_TIMEOUT, "cannot connect to " + up + " within "
                        + dp.timeouts.upstreamConnect().toMillis() + "ms");
            } else {
                fail(UpstreamFailure.CONNECT_REFUSED, "cannot connect to " + up);
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
        c.begin(this, request.headRequest(), request.upgrade());
        front.pump();
    }

    private void sendHead() {
        ByteBuf h = Objects.requireNonNull(outHead, "called while a head waits");
        outHead = null;
        if (mayRetry(UpstreamFailure.RESET, false)) {
            // kept only for a request that a retry may send again; the same buffer, retained: a
            // write leaves its bytes alone and only moves the reader index of a partly written
            // buffer, which the retry puts back (no duplicate per request)
            retryHead = h.retain();
            retryHeadStart = h.readerIndex();
        }
        Channel up = attached().channel();
        up.write(h, up.voidPromise());
        if (request.expectContinue()) {
            responseTimer.arm(clock(), dp.timeouts.upstreamResponse().toNanos()); // the upstream should at least say 100 Continue
        }
    }

    // ---------------------------------------------------------------- failures

    /**
     * Whether the request may go once more on a new connection after {@code failure}: only once,
     * only for a failure that the stale-connection race causes, on a reused connection before any
     * byte of the response ({@code responseBytesSeen}), and only a request that can be sent again.
     */
    private boolean mayRetry(UpstreamFailure failure, boolean responseBytesSeen) {
        return failure.retry() == UpstreamFailure.Retry.REUSED_ONLY && !retried && upstreamReused
                && !responseBytesSeen && request.replayable();
    }

    /** The upstream could not produce a response: the front answers 502/504 while nothing was sent, else closes. */
    private void fail(UpstreamFailure failure, String detail) {
        dp.metrics.upstreamError(address().toString(), failure);
        closeUpstream();
        cancelResponseTimer();
        readTimer.disarm();
        sendTimer.disarm();
        releaseHeads();
        front.upstreamFailed(failure, detail);
    }

    private void cancelResponseTimer() {
        responseTimer.disarm(); // disarmed at the end of every exchange, so an expiry is always the current one's
    }

    private void onResponseTimeout() {
        if (front.proxying() && !request.finalHeadWritten()) {
            fail(UpstreamFailure.RESPONSE_TIMEOUT, "no response from " + address + " within "
                    + dp.timeouts.upstreamResponse().toMillis() + "ms");
            front.pump();
        }
    }

    private void onSendTimeout() {
        if (!front.proxying() || upstream == null || upstream.channel().isWritable()) {
            return;
        }
        if (upstreamWrites.advanced(upstream.channel())) {
            sendTimer.arm(clock(), dp.timeouts.upstreamSend().toNanos()); // slow but taking bytes: another period
            return;
        }
        fail(UpstreamFailure.SEND_TIMEOUT, "upstream " + address + " took no more of the request body for "
                + dp.timeouts.upstreamSend().toMillis() + "ms");
        front.pump();
    }

    private void onReadTimeout() {
        if (front.proxying() && request.finalHeadWritten() && upstream != null) {
            // the response has started: the front can only close, and a half-read connection is not reused
            fail(UpstreamFailure.READ_TIMEOUT, "upstream " + address + " sent nothing for "
                    + dp.timeouts.upstreamRead().toMillis() + "ms in the middle of a response");
            front.pump();
        }
    }

    // ---------------------------------------------------------------- UpstreamConnection.Listener

    @Override
    public void upstreamInformational(ByteBuf informational) {
        if (request.requestDone()) {
            // an interim response (103 Early Hints) is no final one: the upstream still owes it
            responseTimer.arm(clock(), dp.timeouts.upstreamResponse().toNanos());
        } else {
            cancelResponseTimer(); // 100 Continue: the client's body comes next, timed by body_read
        }
        front.interimResponse();
        front.responseBytes(informational.readableBytes(), 0);
        ChannelHandlerContext client = client();
        client.write(informational, client.voidPromise());
    }

    @Override
    public void upstreamResponseHead(ByteBuf responseHead, ResponseHead parsed, BodyFramer.Mode mode) {
        cancelResponseTimer();
        releaseHeads();
        front.responseHead(parsed.status(), parsed.keepAlive() && mode != BodyFramer.Mode.UNTIL_CLOSE);
        int total = responseHead.readableBytes(); // the head, and the first body bytes when they came with it
        front.responseBytes(total, total - parsed.headLength());
        https.writeResponseHead(client(), responseHead, parsed);
    }

    @Override
    public void upstreamBody(ByteBuf chunk) {
        int n = chunk.readableBytes();
        front.responseBytes(n, n);
        ChannelHandlerContext client = client();
        client.write(chunk, client.voidPromise());
    }

    @Override
    public void upstreamReadComplete() {
        ChannelHandlerContext client = client();
        client.flush();
        if (front.proxying() && upstream != null && client.channel().isWritable()) {
            readUpstream();
        } else {
            readTimer.disarm(); // paused for the client (backpressure): the upstream is not late
        }
    }

    @Override
    public void upstreamResponseComplete(boolean reusable) {
        readTimer.disarm();
        client().flush();
        front.responseEnded(reusable);
    }

    @Override
    public void upstreamFailed(String reason) {
        upstream = null; // the connection closes itself
        fail(UpstreamFailure.BAD_RESPONSE, reason);
        front.pump();
    }

    @Override
    public void upstreamClosed(boolean responseBytesSeen) {
        UpstreamConnection dead = upstream;
        upstream = null;
        if (dead == null || !front.proxying()) {
            return;
        }
        if (retryHead != null && mayRetry(UpstreamFailure.RESET, request.responseStarted() || responseBytesSeen)) {
            // a reused keep-alive connection was closed under us before any answer, so the upstream
            // most likely never saw the request; the method allows sending it again: once
            retried = true;
            cancelResponseTimer();
            outHead = retryHead.readerIndex(retryHeadStart);
            retryHead = null;
            front.upstreamRetrying();
            acquire();
            front.pump();
            return;
        }
        fail(UpstreamFailure.RESET, "upstream " + address + " closed the connection before the response ended");
        front.pump();
    }

    @Override
    public void upstreamWritabilityChanged() {
        if (upstream != null && upstream.channel().isWritable()) {
            front.pump();
        }
    }

    @Override
    public void upstreamSwitched(ByteBuf switchingHead, @Nullable ByteBuf leftover) {
        cancelResponseTimer();
        readTimer.disarm();
        releaseHeads();
        UpstreamConnection c = attached();
        upstream = null;
        front.upgraded(c, switchingHead, leftover);
    }

    // ---------------------------------------------------------------- the bound connection

    /** The client connection's context: asked for only while the exchange serves one. */
    private ChannelHandlerContext client() {
        return Objects.requireNonNull(ctx, "bound to a connection");
    }

    private ClientClock clock() {
        return Objects.requireNonNull(clock, "bound to a connection");
    }

    /** The front of an exchange that serves no connection: it waits for nothing, and nothing else may reach it. */
    private static final class Unbound implements Front {
        static final Front FRONT = new Unbound();

        @Override
        public boolean awaitingUpstream() {
            return false;
        }

        @Override
        public boolean proxying() {
            return false;
        }

        @Override
        public void upstreamAttached() {
            throw unbound();
        }

        @Override
        public void upstreamRetrying() {
            throw unbound();
        }

        @Override
        public void interimResponse() {
            throw unbound();
        }

        @Override
        public void responseHead(int status, boolean upstreamKeepAlive) {
            throw unbound();
        }

        @Override
        public void responseEnded(boolean reusable) {
            throw unbound();
        }

        @Override
        public void upstreamFailed(UpstreamFailure failure, String detail) {
            throw unbound();
        }

        @Override
        public void upgraded(UpstreamConnection c, ByteBuf switchingHead, @Nullable ByteBuf leftover) {
            throw unbound();
        }

        @Override
        public void pump() {
        }

        @Override
        public void responseBytes(int total, int body) {
            throw unbound();
        }

        private static IllegalStateException unbound() {
            return new IllegalStateException("an upstream exchange that serves no connection was called");
        }
    }
}

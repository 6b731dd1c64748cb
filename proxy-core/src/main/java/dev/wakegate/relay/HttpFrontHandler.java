package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints.LocalResponse;
import dev.wakegate.http1.BodyFramer;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.http1.RequestHeadParser;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.park.BrowserNavigation;
import dev.wakegate.park.ParkedRequest;
import dev.wakegate.route.HostNames;
import dev.wakegate.route.Route;
import dev.wakegate.tls.TlsTermination;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The only handler of an HTTP client connection, and its {@link FrontState} machine: reads request
 * heads into a bounded cumulation, routes each request on its own, and then answers locally, parks
 * it, or forwards it through its {@link UpstreamExchange}, which owns the upstream side (connection
 * from the loop's {@link UpstreamPool}, response relay, 502/504, retry, reuse). Bodies stream both
 * ways, framed by {@link BodyFramer} (the request's through {@link RequestBody}), never aggregated.
 * Requests pipelined behind the one in flight stay in the cumulation and are taken in order when
 * its response has ended. On a 101 it hands both channels to a {@link ByteRelay} pair and removes
 * itself.
 *
 * <p>Invariants: every request that was routed gets exactly one {@code gate.requestEnded}
 * ({@link #endRequest}), and {@code gate.requestStarted} comes before {@code gate.isReady}; every
 * ByteBuf read is forwarded or released; all methods run on the channel's event loop; state
 * changes happen here only (the exchange reports through {@link UpstreamExchange.Front}) and go
 * through {@link FrontState#check}; the client side reads only while the upstream is writable and
 * the upstream side only while the client is writable.
 */
final class HttpFrontHandler extends ChannelInboundHandlerAdapter implements UpstreamExchange.Front {
    /** User event fired by {@link FrontServer#close()}: finish the current exchange, then close. */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "DRAIN";
        }
    };
    /**
     * User event fired by {@link FrontServer#close()} when the drain deadline has passed: a request
     * whose response has not started gets a 503 with {@code Connection: close} rather than an empty
     * reply; anything else is closed.
     */
    static final Object DRAIN_EXPIRED = new Object() {
        @Override
        public String toString() {
            return "DRAIN_EXPIRED";
        }
    };
    static final String RELAY = "relay";
    private static final long LINGER_MILLIS = 2000;

    private enum BodySink { HOLD, FORWARD, DISCARD }

    private final DataPath dp;
    private final UpstreamPool pool;
    private final Scheme scheme;
    private final RequestHeadParser parser;
    private final RequestHead head = new RequestHead();
    private final RequestBody body = new RequestBody();
    private final WriteProgress clientWrites = new WriteProgress();

    private ChannelHandlerContext ctx;
    private FrontState state = FrontState.READ_HEAD;
    private ByteBuf cumulation;
    private String clientIp = "unknown";
    private DeadlineTimer headTimer;        // slow-loris: a started head must complete in time (408)
    private DeadlineTimer idleTimer;        // idle keep-alive between requests (silent close)
    private DeadlineTimer bodyTimer;        // request body: between two reads (408, or a close once the response started)
    private DeadlineTimer sendTimer;        // the client takes none of what is written to it (close)
    private boolean draining;
    private boolean started;
    private boolean pumping;
    private boolean pumpAgain;

    // the current request
    private long exchangeId;
    private Route route;
    private List<String> openContainers;   // non-null between requestStarted and requestEnded
    private boolean metricsPending;
    private String method;
    private boolean headRequest;
    private boolean expectContinue;
    private boolean clientKeepAlive;
    private BodySink sink = BodySink.DISCARD;
    private boolean requestComplete;        // body received and passed on (upstream) or discarded (local answer)
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean keepAliveAfter;
    private boolean upstreamReusable;
    private int status;
    private UpstreamExchange exchange;      // the upstream side of the requests that are forwarded
    private ParkedRequest parked;

    HttpFrontHandler(DataPath dp, UpstreamPool pool) {
        this(dp, pool, Scheme.HTTP);
    }

    /** @param scheme the listener: HTTPS adds the Host-SNI check, HSTS and {@code X-Forwarded-Proto: https} */
    HttpFrontHandler(DataPath dp, UpstreamPool pool, Scheme scheme) {
        this.dp = dp;
        this.pool = pool;
        this.scheme = scheme;
        this.parser = new RequestHeadParser(dp.limits.maxRequestLine(), dp.limits.maxHeadSize(), dp.limits.maxHeaders());
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        headTimer = new DeadlineTimer(ctx.executor(), this::onHeadTimeout);
        idleTimer = new DeadlineTimer(ctx.executor(), this::onIdleTimeout);
        bodyTimer = new DeadlineTimer(ctx.executor(), this::onBodyTimeout);
        sendTimer = new DeadlineTimer(ctx.executor(), this::onSendTimeout);
        exchange = new UpstreamExchange(dp, pool, ctx, this, scheme == Scheme.HTTPS ? dp.https : HttpsPolicy.NONE);
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        SocketAddress remote = ctx.channel().remoteAddress();
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            clientIp = inet.getAddress().getHostAddress();
        }
        parser.reset();
        head.reset();
        armHeadTimer(false);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || state == FrontState.CLOSING || state == FrontState.CLOSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        if (state == FrontState.READ_HEAD && idleTimer.isArmed()) {
            armHeadTimer(false); // a new head started: slow-loris clock
        }
        bodyTimer.disarm(); // bytes came: this wait is over; requestRead arms the next one
        pump();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == FrontState.CLOSING) {
            ctx.read(); // lingering close: drain and drop
        }
        exchange.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            sendTimer.disarm();
            if (state == FrontState.PROXYING) {
                exchange.resume();
            }
        } else if (!sendTimer.isArmed()) {
            // above the high-water mark: the upstream is paused for the client until it takes more
            clientWrites.mark(ctx.channel());
            sendTimer.arm(dp.timeouts.clientSend().toNanos());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DRAIN) {
            draining = true;
            if (state == FrontState.READ_HEAD && (cumulation == null || !cumulation.isReadable())) {
                closeNow();
            }
            return;
        }
        if (evt == DRAIN_EXPIRED) {
            onDrainExpired();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state != FrontState.CLOSED) {
            state = state.check(FrontState.CLOSED);
        }
        releaseEverything();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (state != FrontState.UPGRADED) {
            releaseEverything();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    // ---------------------------------------------------------------- the pump

    /** Moves whatever can move now; re-entrant calls are folded into the running one. */
    @Override
    public void pump() {
        assert ctx.channel().eventLoop().inEventLoop();
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                switch (state) {
                    case READ_HEAD -> readHead();
                    case LOCAL, PARKED, CONNECTING, PROXYING -> {
                        moveBody();
                        if (!pumpAgain) {
                            requestRead();
                        }
                    }
                    default -> {
                    }
                }
            } while (pumpAgain);
            trimCumulation();
        } finally {
            pumping = false;
        }
    }

    private void readHead() {
        if (draining && (cumulation == null || !cumulation.isReadable())) {
            closeNow();
            return;
        }
        if (cumulation == null || !cumulation.isReadable()) {
            ctx.read();
            return;
        }
        int n = parser.parse(cumulation, head);
        if (n == RequestHead.NEED_MORE) {
            ctx.read();
            return;
        }
        cancelHeadTimer();
        if (n == RequestHead.ERROR) {
            int s = head.errorStatus() == 0 ? 400 : head.errorStatus();
            status = s;
            metricsPending = true;
            closeWith(ProxyResponses.problem(ctx.alloc(), s, head.errorReason(), null, true, false));
            return;
        }
        dispatch(n);
        pumpAgain = true;
    }

    private void requestRead() {
        int buffered = cumulation == null ? 0 : cumulation.readableBytes();
        boolean read;
        switch (state) {
            case LOCAL -> read = !body.scanned() || buffered < dp.limits.maxHeadSize();
            case PARKED, CONNECTING -> read = buffered < dp.limits.parkBufferBytes();
            case PROXYING -> {
                if (body.scanned()) {
                    read = buffered < dp.limits.maxHeadSize(); // pipelined heads (bounded), and notice a client that goes away
                } else if (exchange.canTakeBody()) {
                    read = true;
                    exchange.awaitingUpstreamWritable(false);
                } else if (exchange.headPending()) {
                    read = buffered < dp.limits.parkBufferBytes(); // waiting for the first chunk before sending the head
                } else {
                    read = false;
                    exchange.awaitingUpstreamWritable(true); // the upstream takes no more for now: its time, not the client's
                }
            }
            default -> read = false;
        }
        if (read) {
            ctx.read();
        }
        // body_read times the client only while the proxy waits for its body: not while reads are
        // paused for backpressure, nor while it waits for a 100 Continue it asked for
        if (read && !body.scanned() && !(expectContinue && !responseStarted)) {
            if (!bodyTimer.isArmed()) {
                bodyTimer.arm(dp.timeouts.bodyRead().toNanos());
            }
        } else {
            bodyTimer.disarm();
        }
    }

    // ---------------------------------------------------------------- a new request

    private void dispatch(int headLength) {
        exchangeId++;
        method = head.method();
        headRequest = "HEAD".equals(method);
        expectContinue = head.expectContinue();
        clientKeepAlive = head.keepAlive() && !draining;
        body.reset(head);
        exchange.reset(head);
        requestComplete = false;
        responseStarted = false;
        responseComplete = false;
        keepAliveAfter = false;
        upstreamReusable = false;
        status = 0;
        metricsPending = true;
        route = null;

        String path = head.path();
        if (scheme == Scheme.HTTPS && !hostMatchesServerName()) {
            cumulation.skipBytes(headLength);
            answerLocally(421, "the Host header names another host than the TLS server name (SNI)", null, false, false);
            return;
        }
        if (dp.endpoints.handles(path)) {
            cumulation.skipBytes(headLength);
            startLocalEndpoint(path);
            return;
        }
        if (scheme == Scheme.HTTP && dp.https.redirects(path)) {
            cumulation.skipBytes(headLength);
            redirectToHttps();
            return;
        }
        Route r = dp.routes.get().find(head.host(), path);
        if (r == null) {
            cumulation.skipBytes(headLength);
            answerLocally(404, "no route for " + path, null, false, false);
            return;
        }
        route = r;
        openContainers = r.containers();
        dp.gate.requestStarted(openContainers);
        if (dp.gate.isReady(openContainers)) {
            connect(rewriteHead(headLength));
            return;
        }
        if (r.waitingPage() && BrowserNavigation.test(method, head.accept())) {
            cumulation.skipBytes(headLength);
            try {
                dp.gate.awaitReady(openContainers); // start now; the browser comes back by itself
            } catch (RuntimeException ignored) {
                // the page is shown either way; the next visit reports the failure
            }
            boolean close = !clientKeepAlive || draining;
            enterLocal();
            writeLocal(ProxyResponses.waitingPage(ctx.alloc(), headRequest, close), 503, close);
            return;
        }
        park(rewriteHead(headLength));
    }

    private ByteBuf rewriteHead(int headLength) {
        ByteBuf out = ctx.alloc().buffer(headLength + 160);
        HeadRewriter.rewrite(cumulation, cumulation.readerIndex(), head, clientIp, scheme, out);
        cumulation.skipBytes(headLength);
        return out;
    }

    // ---------------------------------------------------------------- bodies

    private void moveBody() {
        switch (sink) {
            case DISCARD -> {
                if (!body.discard(cumulation)) {
                    badRequestBody();
                    return;
                }
                if (body.scanned() && !requestComplete) {
                    requestComplete = true;
                    maybeFinish();
                }
            }
            case HOLD -> {
                if (!body.scanAhead(cumulation)) {
                    badRequestBody();
                }
            }
            case FORWARD -> {
                if (!body.scanAhead(cumulation)) {
                    badRequestBody();
                    return;
                }
                if (!exchange.forward(cumulation, body)) {
                    return;
                }
                if (body.scanned() && body.ready() == 0 && !requestComplete) {
                    requestComplete = true;
                    exchange.requestSent();
                    maybeFinish();
                }
            }
        }
    }

    private void badRequestBody() {
        String reason = "malformed chunked body: " + body.error();
        exchange.closeUpstream();
        if (responseStarted) {
            closeNow();
            return;
        }
        status = 400;
        closeWith(ProxyResponses.problem(ctx.alloc(), 400, reason, null, true, false));
    }

    // ---------------------------------------------------------------- local answers

    private void startLocalEndpoint(String path) {
        enterLocal();
        long id = exchangeId;
        CompletableFuture<LocalResponse> f;
        try {
            f = dp.endpoints.handle(method, path, head.authorization(), ctx.channel().remoteAddress());
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((r, e) -> {
            if (ctx.executor().inEventLoop()) {
                onLocalResponse(id, r, e);
            } else {
                ctx.executor().execute(() -> onLocalResponse(id, r, e));
            }
        });
    }

    private void onLocalResponse(long id, LocalResponse r, Throwable e) {
        if (id != exchangeId || state != FrontState.LOCAL || responseStarted) {
            return;
        }
        boolean close = !clientKeepAlive || draining;
        if (e != null || r == null) {
            writeLocal(ProxyResponses.problem(ctx.alloc(), 500, "local endpoint failed: " + (e == null ? "no response" : e.getMessage()),
                    null, close, false), 500, close);
        } else {
            writeLocal(ProxyResponses.local(ctx.alloc(), r.status(), r.contentType(), r.body(), close, r.headers()),
                    r.status(), close);
        }
        pump();
    }

    /** Answers with a problem+json response; the connection stays open when the client allows it. */
    private void answerLocally(int s, String detail, String container, boolean retryAfter, boolean forceClose) {
        boolean close = forceClose || !clientKeepAlive || draining;
        if (state != FrontState.LOCAL) {
            enterLocal();
        }
        writeLocal(ProxyResponses.problem(ctx.alloc(), s, detail, container, close, retryAfter), s, close);
    }

    private void enterLocal() {
        state = state.check(FrontState.LOCAL);
        body.skipReady(cumulation); // already checked, never forwarded
        sink = BodySink.DISCARD;
    }

    private void writeLocal(ByteBuf response, int s, boolean close) {
        responseStarted = true;
        status = s;
        if (close) {
            closeWith(response);
            return;
        }
        ctx.writeAndFlush(response, ctx.voidPromise());
        responseComplete = true;
        keepAliveAfter = true;
        maybeFinish();
    }

    // ---------------------------------------------------------------- HTTPS

    /** Over TLS: the Host header names the host of the ClientHello's server name (when the client sent one, and a Host). */
    private boolean hostMatchesServerName() {
        String serverName = TlsTermination.serverName(ctx.channel());
        return serverName == null || head.host() == null || HostNames.sameHost(serverName, head.host());
    }

    /** {@code tls.redirect_http}: a 308 to the same URL over https. */
    private void redirectToHttps() {
        boolean close = !clientKeepAlive || draining;
        ByteBuf redirect = dp.https.redirect(ctx.alloc(), head.host(), head.uri(), close);
        if (redirect == null) {
            answerLocally(400, "this listener redirects to https, which needs a Host header and a path", null, false, false);
            return;
        }
        enterLocal();
        writeLocal(redirect, 308, close);
    }

    // ---------------------------------------------------------------- parking

    private void park(ByteBuf h) {
        state = state.check(FrontState.PARKED);
        sink = BodySink.HOLD;
        long id = exchangeId;
        List<String> containers = route.containers();
        ParkedRequest p = ParkedRequest.park(dp.parkingLot, ctx.channel().eventLoop(), h, dp.gate, containers,
                dp.parkDeadline, (pr, failure) -> onUnparked(id, pr, failure));
        if (p == null) {
            h.release();
            answerLocally(503, "too many requests are waiting for containers to start",
                    containers.isEmpty() ? null : containers.get(0), true, false);
            return;
        }
        if (!p.isDone()) {
            parked = p;
        }
    }

    private void onUnparked(long id, ParkedRequest p, StartFailure failure) {
        if (id != exchangeId || state != FrontState.PARKED) {
            return; // the head is released by the ParkedRequest
        }
        parked = null;
        if (failure != null) {
            answerLocally(503, failure.reason(), failure.container(), true, false);
        } else {
            connect(p.takeHead());
        }
        pump();
    }

    // ---------------------------------------------------------------- upstream (UpstreamExchange.Front)

    /** Sends the request, whose rewritten head is {@code requestHead} (handed over), upstream. */
    private void connect(ByteBuf requestHead) {
        enterConnecting();
        exchange.open(route.upstream(), requestHead);
    }

    private void enterConnecting() {
        state = state.check(FrontState.CONNECTING);
        sink = BodySink.HOLD;
    }

    @Override
    public boolean awaitingUpstream() {
        return state == FrontState.CONNECTING;
    }

    @Override
    public boolean proxying() {
        return state == FrontState.PROXYING;
    }

    @Override
    public void upstreamAttached() {
        state = state.check(FrontState.PROXYING);
        sink = BodySink.FORWARD;
    }

    @Override
    public void upstreamRetrying() {
        requestComplete = false;
        enterConnecting();
    }

    @Override
    public void responseStarted() {
        responseStarted = true;
    }

    @Override
    public void responseHead(int responseStatus, boolean upstreamKeepAlive) {
        responseStarted = true;
        status = responseStatus;
        keepAliveAfter = clientKeepAlive && upstreamKeepAlive && !draining;
    }

    @Override
    public void responseEnded(boolean reusable) {
        responseComplete = true;
        upstreamReusable = reusable;
        if (!requestComplete) {
            // answered before the request was passed on: neither side can be reused
            keepAliveAfter = false;
            upstreamReusable = false;
            finishExchange();
        } else {
            maybeFinish();
        }
        pump();
    }

    @Override
    public void upstreamFailed(UpstreamFailure failure, String detail) {
        if (responseStarted) {
            closeNow();
            return;
        }
        boolean safe = body.scanned();
        answerLocally(failure.status(), detail, null, false, !safe);
    }

    @Override
    public void upgraded(UpstreamConnection c, ByteBuf switchingHead, ByteBuf leftover) {
        status = 101;
        responseStarted = true;
        List<String> containers = openContainers == null ? List.of() : openContainers;
        endRequest();
        state = state.check(FrontState.UPGRADED);
        headTimer.stop();
        idleTimer.stop();
        bodyTimer.stop();
        sendTimer.stop();
        exchange.dispose();

        dp.gate.connectionOpened(containers);
        ctx.channel().closeFuture().addListener(f -> dp.gate.connectionClosed(containers));

        ctx.write(switchingHead, ctx.voidPromise());
        if (leftover != null) {
            ctx.write(leftover, ctx.voidPromise());
        }
        ctx.flush();
        ByteBuf early = cumulation;
        cumulation = null;
        ByteRelay.splice(ctx, this, c, early);
    }

    // ---------------------------------------------------------------- ending

    private void maybeFinish() {
        if (requestComplete && responseComplete) {
            finishExchange();
        }
    }

    private void finishExchange() {
        bodyTimer.disarm();
        endRequest();
        exchange.end(upstreamReusable);
        route = null;
        if (!keepAliveAfter || draining) {
            state = state.check(FrontState.CLOSING);
            releaseCumulation();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        state = state.check(FrontState.READ_HEAD);
        parser.reset();
        head.reset();
        armHeadTimer(cumulation == null || !cumulation.isReadable());
        pumpAgain = true;
    }

    /** Reports the end of the current request to the gate (exactly once) and to metrics. */
    private void endRequest() {
        if (openContainers != null) {
            List<String> c = openContainers;
            openContainers = null;
            dp.gate.requestEnded(c);
        }
        if (metricsPending && status != 0) {
            metricsPending = false;
            dp.metrics.requestCompleted(route == null ? null : route.name(), status);
        }
    }

    /**
     * Writes a last response, then closes "lingering": output shut down first and input drained
     * for a moment, so the client reads the response instead of a reset caused by its unread bytes.
     */
    private void closeWith(ByteBuf lastResponse) {
        state = state.check(FrontState.CLOSING);
        endRequest();
        releaseCumulation();
        ctx.writeAndFlush(lastResponse).addListener(f -> {
            Channel ch = ctx.channel();
            if (!f.isSuccess() || !(ch instanceof DuplexChannel duplex) || !ch.isActive()) {
                ch.close();
                return;
            }
            duplex.shutdownOutput();
            ctx.read();
            ctx.executor().schedule(() -> ch.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }

    private void closeNow() {
        if (state != FrontState.CLOSING && state != FrontState.CLOSED) {
            state = state.check(FrontState.CLOSING);
        }
        endRequest();
        releaseCumulation();
        ctx.close();
    }

    private void releaseEverything() {
        if (headTimer != null) {
            headTimer.stop();
            idleTimer.stop();
            bodyTimer.stop();
            sendTimer.stop();
        }
        if (parked != null) {
            parked.destroy();
            parked = null;
        }
        if (exchange != null) {
            exchange.dispose();
        }
        releaseCumulation();
        endRequest();
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        body.forgetReady();
    }

    private void trimCumulation() {
        if (cumulation != null && !cumulation.isReadable()) {
            releaseCumulation();
        } else if (cumulation != null && cumulation.refCnt() == 1) {
            cumulation.discardSomeReadBytes();
        }
    }

    // ---------------------------------------------------------------- head timers

    /** In READ_HEAD exactly one of the two runs: idle before the first byte of a head, header-read after. */
    private void armHeadTimer(boolean idle) {
        if (idle) {
            headTimer.disarm();
            idleTimer.arm(dp.timeouts.idleKeepAlive().toNanos());
        } else {
            idleTimer.disarm();
            headTimer.arm(dp.timeouts.headerRead().toNanos());
        }
    }

    private void cancelHeadTimer() {
        headTimer.disarm();
        idleTimer.disarm();
    }

    /**
     * The client stopped sending its request body ({@code body_read} between two reads): 408 and a
     * close while no response has started, else just a close. The upstream connection, which got
     * part of the body, is closed either way; a parked request gives up its place.
     */
    private void onBodyTimeout() {
        if (body.scanned() || !(state == FrontState.LOCAL || state == FrontState.PARKED
                || state == FrontState.CONNECTING || state == FrontState.PROXYING)) {
            return;
        }
        abandonRequest();
        if (responseStarted) {
            closeNow();
            return;
        }
        status = 408;
        closeWith(ProxyResponses.problem(ctx.alloc(), 408, "request body not received: nothing for "
                + dp.timeouts.bodyRead().toMillis() + "ms", null, true, false));
    }

    /**
     * {@code client_send} passed with the channel above its high-water mark: if the client took
     * nothing at all meanwhile, close it (the upstream connection, paused for it, goes too); a
     * client that reads slowly but reads gets another period.
     */
    private void onSendTimeout() {
        if (state == FrontState.CLOSED || ctx.channel().isWritable()) {
            return;
        }
        if (clientWrites.advanced(ctx.channel())) {
            sendTimer.arm(dp.timeouts.clientSend().toNanos());
            return;
        }
        closeNow();
    }

    /** The drain deadline passed with this connection still busy. */
    private void onDrainExpired() {
        switch (state) {
            case LOCAL, PARKED, CONNECTING, PROXYING -> {
                if (responseStarted) {
                    closeNow(); // cut mid-response: the client sees the framing end early
                    return;
                }
                abandonRequest();
                status = 503;
                closeWith(ProxyResponses.problem(ctx.alloc(), 503, "the proxy is shutting down", null, true, true));
            }
            case READ_HEAD -> closeNow(); // at most part of a head: no request to answer yet
            default -> {
                // CLOSING: a last response is on its way; the server closes what is left right after
            }
        }
    }

    /** Lets go of the upstream side of the current request (parked place, upstream connection). */
    private void abandonRequest() {
        if (parked != null) {
            parked.destroy();
            parked = null;
        }
        exchange.dispose();
    }

    private void onIdleTimeout() {
        if (state == FrontState.READ_HEAD) {
            closeNow(); // idle keep-alive connection: close silently
        }
    }

    private void onHeadTimeout() {
        if (state != FrontState.READ_HEAD) {
            return;
        }
        if (cumulation != null && cumulation.isReadable()) {
            status = 408;
            metricsPending = true;
            closeWith(ProxyResponses.problem(ctx.alloc(), 408, "request head not received within "
                    + dp.timeouts.headerRead().toMillis() + "ms", null, true, false));
        } else {
            closeNow(); // idle keep-alive connection: close silently
        }
    }
}

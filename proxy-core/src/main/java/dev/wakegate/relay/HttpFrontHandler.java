package dev.wakegate.relay;

import dev.wakegate.http1.BodyFramer;
import dev.wakegate.http1.Connection;
import dev.wakegate.http1.LingeringClose;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.log.ChannelLog;
import dev.wakegate.park.BrowserNavigation;
import dev.wakegate.park.ParkedRequest;
import dev.wakegate.relay.HttpExchange.RequestPhase;
import dev.wakegate.route.NoWakeRule;
import dev.wakegate.route.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Objects;

/**
 * The only handler of an HTTP client connection, and its {@link FrontState} machine: reads request
 * heads into a bounded {@link Cumulation}, routes each request on its own, and then answers it
 * itself ({@link LocalAnswers}), parks it ({@link ParkingSpot}), or forwards it through its
 * {@link UpstreamExchange}, which owns the upstream side (connection from the loop's
 * {@link UpstreamPool}, response relay, 502/504, retry, reuse). The request in hand is one
 * {@link HttpExchange}, begun in {@link #dispatch} for each request; cumulation, head, exchange and
 * both answering sides are a {@link RequestKit}, lent by the loop's {@link RequestKits} from the
 * first byte of a request until the connection waits for the next one with nothing buffered (or
 * goes), so an idle keep-alive connection holds none of them. When to read is the
 * {@link ReadPolicy}'s, and the client's timeouts run on its {@link ClientClock}. Bodies stream
 * both ways, framed by {@link BodyFramer}, never aggregated.
 * Requests pipelined behind the one in flight stay in the cumulation and are taken in order when
 * its response has ended. On a 101 it hands both channels to a {@link ByteRelay} pair and removes
 * itself. An exception closes the connection, with a debug line saying why ({@link ChannelLog}).
 * Each request's client is the peer (or the client a PROXY protocol header named), or, from a
 * trusted proxy, the right-most untrusted X-Forwarded-For address ({@link ClientAddress});
 * {@link Admission} decides, before anything goes upstream, whether a request goes on (the
 * handler acts on its verdict), and the access-log line is made from the parsed head
 * ({@code accesslog.AccessEntry}).
 *
 * <p>Invariants: every request that was routed gets exactly one {@code gate.requestEnded}
 * ({@link HttpExchange#report}), and {@code gate.requestStarted} comes before {@code gate.isReady};
 * every ByteBuf read is forwarded or released; all methods run on the channel's event loop; state
 * changes (the connection's and the exchange's) happen here only (the upstream side and the local
 * answers report through their {@code Front}) and go through {@link FrontState#check}; the client
 * side reads only while the upstream is writable and the upstream side only while the client is
 * writable.
 */
final class HttpFrontHandler extends ChannelInboundHandlerAdapter implements UpstreamExchange.Front, LocalAnswers.Front,
        ClientClock.Expiries {
    static final String RELAY = "relay";
    private static final long LINGER_MILLIS = 2000;
    private static final ChannelLog log = ChannelLog.of(HttpFrontHandler.class);

    private final DataPath dp;
    private final RequestKits kits;
    private final Scheme scheme;
    // the cumulation, head, parser, exchange, upstream side and local answers of the request in
    // hand, lent by the loop's kits from the first byte of a request until the connection waits
    // for the next one with nothing buffered: null while it is idle
    private @Nullable RequestKit kit;

    // ctx and clock are set in handlerAdded, which Netty calls before any other method of the
    // handler: NullAway cannot see that lifecycle, hence NullAway.Init on them
    @SuppressWarnings("NullAway.Init")
    private ChannelHandlerContext ctx;
    private FrontState state = FrontState.READ_HEAD;
    private final ClientAddress client = new ClientAddress();
    @SuppressWarnings("NullAway.Init")
    private ClientClock clock;
    private boolean draining;
    private boolean started;
    private boolean pumping;
    private boolean pumpAgain;
    private final ParkingSpot parking = new ParkingSpot(); // the current request's place while its containers start

    HttpFrontHandler(DataPath dp, RequestKits kits) {
        this(dp, kits, Scheme.HTTP);
    }

    /**
     * @param kits   the connection's event loop's
     * @param scheme the listener: HTTPS adds the Host-SNI check, HSTS and {@code X-Forwarded-Proto: https}
     */
    HttpFrontHandler(DataPath dp, RequestKits kits, Scheme scheme) {
        this.dp = dp;
        this.kits = kits;
        this.scheme = scheme;
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        clock = new ClientClock(ctx, dp.timeouts, this);
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
        client.connected(ctx.channel().remoteAddress());
        clock.awaitHead(true); // slow loris: the first head runs on header_read from the accept
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || state == FrontState.CLOSING || state == FrontState.CLOSED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        RequestKit k = kit;
        if (k == null) {
            k = takeKit();
        }
        k.cumulation.add(ctx.alloc(), in);
        clock.bytesArrived(state == FrontState.READ_HEAD);
        pump();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == FrontState.CLOSING) {
            ctx.read(); // lingering close: drain and drop
        }
        if (kit != null) {
            kit.upstream.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        clock.writabilityChanged();
        if (ctx.channel().isWritable() && state == FrontState.PROXYING) {
            kit().upstream.resume(); // below the low-water mark: the upstream, paused for the client, goes on
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Drain.STARTED) {
            draining = true;
            if (state == FrontState.READ_HEAD && !buffered()) {
                closeNow();
            }
            return;
        }
        if (evt == Drain.EXPIRED) {
            onDrainExpired();
            return;
        }
        if (evt instanceof ProxyProtocol.Source source) {
            onProxyHeader(source);
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
        log.debug(ctx.channel(), "closing in state " + state, cause);
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
                if (state == FrontState.READ_HEAD) {
                    readHead();
                } else if (state.hasRequest()) {
                    moveBody();
                    if (!pumpAgain) {
                        requestRead();
                    }
                }
            } while (pumpAgain);
            RequestKit k = kit;
            if (k != null) {
                k.cumulation.trim();
                if (state == FrontState.READ_HEAD && !k.cumulation.buffered()) {
                    giveKitBack(); // between requests: an idle connection holds no kit
                }
            }
        } finally {
            pumping = false;
        }
    }

    private void readHead() {
        RequestKit k = kit;
        ByteBuf in = k == null ? null : k.cumulation.buf();
        if (k == null || in == null || !in.isReadable()) {
            if (draining) {
                closeNow();
            } else {
                ctx.read();
            }
            return;
        }
        int n = k.parser.parse(in, k.head);
        if (n == RequestHead.NEED_MORE) {
            ctx.read();
            return;
        }
        clock.headDone();
        if (n == RequestHead.ERROR) {
            int s = k.head.errorStatus() == 0 ? 400 : k.head.errorStatus();
            String reason = k.head.errorReason();
            k.ex.refuseHead(s, dp.accessLog, client.ip());
            closeWithProblem(s, reason != null ? reason : "malformed request head");
            return;
        }
        dispatch(k, in, n);
        pumpAgain = true;
    }

    /** Asks the client for more when the {@link ReadPolicy} says so, and runs the {@code body_read} clock by it. */
    private void requestRead() {
        RequestKit k = kit();
        HttpExchange ex = k.ex;
        ReadPolicy.Verdict verdict = dp.readPolicy.decide(state, k.cumulation.readableBytes(), ex.received(), k.upstream);
        if (state == FrontState.PROXYING && !ex.received()) {
            k.upstream.awaitingUpstreamWritable(verdict == ReadPolicy.Verdict.UPSTREAM_FULL);
        }
        if (verdict == ReadPolicy.Verdict.READ) {
            ctx.read();
        }
        clock.bodyClock(ReadPolicy.bodyClockRuns(verdict, ex.received(), ex.awaitingContinue()));
    }

    // ---------------------------------------------------------------- a new request

    /** Begins the request whose head is the first {@code headLength} bytes of {@code in}: {@link Admission} decides, this acts. */
    private void dispatch(RequestKit k, ByteBuf in, int headLength) {
        RequestHead head = k.head;
        HttpExchange ex = k.ex;
        ex.begin(head, draining);
        client.resolve(head, in, in.readerIndex(), dp.trustedProxies);
        ex.logTo(dp.accessLog, in, in.readerIndex(), head, client.ip());
        String path = Objects.requireNonNull(head.path(), "a parsed head has a path");
        Route r = dp.routes.current().find(head.host(), path);
        long maxBody = Admission.maxBody(r, dp.limits);
        Admission.Verdict v = Admission.check(dp, scheme, ctx.channel(), head, path, r, client, maxBody);
        if (v != Admission.Verdict.ADMITTED || r == null) { // r is null only with a verdict that turns away
            in.skipBytes(headLength); // the body still on its way is dropped, or drained by the lingering close
            turnAway(k, v, path, r, maxBody);
            return;
        }
        ex.body().limitChunked(maxBody);
        NoWakeRule.Reason noWake = Admission.noWake(r, ex.method(), path, head);
        ex.routed(r, dp.gate, noWake == null);
        if (dp.gate.isReady(ex.containers())) {
            if (noWake != null) {
                dp.metrics.notWoken(noWake, true);
            }
            connect(HeadRewriter.rewrite(ctx.alloc(), in, headLength, head, client, scheme));
            return;
        }
        if (noWake != null) {
            in.skipBytes(headLength);
            k.local.notWoken(noWake);
            return;
        }
        if (r.waitingPage() && BrowserNavigation.test(ex.method(), head.accept())) {
            in.skipBytes(headLength);
            k.local.waitingPage();
            return;
        }
        park(HeadRewriter.rewrite(ctx.alloc(), in, headLength, head, client, scheme));
    }

    /** Answers a request {@link Admission} turned away; its head is consumed, nothing went upstream. */
    private void turnAway(RequestKit k, Admission.Verdict v, String path, @Nullable Route r, long maxBody) {
        RequestHead head = k.head;
        switch (v) {
            case LOCAL_ENDPOINT -> {
                enterLocal();
                k.local.endpoint(path, head.authorization(), client.socketAddress());
            }
            case REDIRECT -> k.local.redirectToHttps(head.host(), Objects.requireNonNull(head.uri(), "a parsed head has a target"));
            case TOO_LARGE -> closeWithProblem(v.status, Admission.detail(v, path, r, head.contentLength(), maxBody));
            default -> k.local.problem(v.status, Admission.detail(v, path, r, head.contentLength(), maxBody));
        }
    }

    // ---------------------------------------------------------------- bodies

    /** The body goes where the state says: dropped for a local answer, held while parked or connecting, else upstream. */
    private void moveBody() {
        RequestKit k = kit();
        HttpExchange ex = k.ex;
        ByteBuf buf = k.cumulation.buf();
        switch (state) {
            case LOCAL -> {
                if (!ex.discardBody(buf)) {
                    badRequestBody();
                } else if (ex.requestPhase() == RequestPhase.RECEIVED) {
                    ex.requestPassedOn();
                    maybeFinish();
                }
            }
            case PARKED, CONNECTING -> {
                if (!ex.scanBody(buf)) {
                    badRequestBody();
                }
            }
            case PROXYING -> {
                if (!ex.scanBody(buf)) {
                    badRequestBody();
                } else if (k.upstream.forward(buf)
                        && ex.requestPhase() == RequestPhase.RECEIVED && ex.body().ready() == 0) {
                    ex.requestPassedOn();
                    k.upstream.requestSent();
                    maybeFinish();
                }
            }
            default -> {
            }
        }
    }

    /** A chunked body that is malformed (400) or passed {@code max_body} (413): cut off from the upstream. */
    private void badRequestBody() {
        RequestKit k = kit();
        k.upstream.closeUpstream();
        parking.abandon();
        if (k.ex.responseStarted()) {
            closeNow();
            return;
        }
        closeWithProblem(k.ex.body().failureStatus(), k.ex.body().failureDetail());
    }

    // ---------------------------------------------------------------- the client's address

    /** The PROXY protocol header came: it names the peer ({@link ClientAddress#proxied}); then the request. */
    private void onProxyHeader(ProxyProtocol.Source source) {
        client.proxied(source);
        if (state == FrontState.READ_HEAD && !buffered()) {
            ctx.read(); // the header came alone: now the request
        }
    }

    // ---------------------------------------------------------------- local answers (LocalAnswers.Front)

    @Override
    public void writeAnswer(int s, ByteBuf response, Connection after) {
        if (state != FrontState.LOCAL) {
            enterLocal();
        }
        HttpExchange ex = kit().ex;
        ex.answered(s, after);
        if (after.closes()) {
            closeWith(response);
            return;
        }
        ex.sentWhole(response);
        ctx.writeAndFlush(response, ctx.voidPromise());
        maybeFinish(); // else when the rest of the body has been dropped
    }

    @Override
    public boolean awaitsLocalAnswer(HttpExchange exchange, long id) {
        return kit != null && kit.ex == exchange && id == exchange.id() && state == FrontState.LOCAL
                && !exchange.responseStarted();
    }

    @Override
    public boolean draining() {
        return draining;
    }

    private void enterLocal() {
        state = state.check(FrontState.LOCAL);
        RequestKit k = kit();
        k.ex.body().skipReady(k.cumulation.buf()); // already checked, never forwarded
    }

    // ---------------------------------------------------------------- parking

    private void park(ByteBuf h) {
        state = state.check(FrontState.PARKED);
        RequestKit k = kit();
        long id = k.ex.id();
        List<String> containers = k.ex.containers();
        if (!parking.park(dp, ctx.channel().eventLoop(), h, containers, (pr, failure) -> onUnparked(k, id, pr, failure))) {
            k.local.parkingFull(containers);
        }
    }

    private void onUnparked(RequestKit k, long id, ParkedRequest p, @Nullable StartFailure failure) {
        if (k != kit || id != k.ex.id() || state != FrontState.PARKED) {
            return; // the head is released by the ParkedRequest
        }
        parking.left();
        k.ex.waited(p.waitedNanos());
        if (failure != null) {
            k.local.startFailed(failure);
        } else {
            connect(Objects.requireNonNull(p.takeHead(), "a parked request that is done still holds its head"));
        }
        pump();
    }

    // ---------------------------------------------------------------- upstream (UpstreamExchange.Front)

    /** Sends the request, whose rewritten head is {@code requestHead} (handed over), upstream. */
    private void connect(ByteBuf requestHead) {
        state = state.check(FrontState.CONNECTING);
        RequestKit k = kit();
        k.upstream.open(Objects.requireNonNull(k.ex.route(), "a request goes upstream once routed").upstream(), requestHead);
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
    }

    @Override
    public void upstreamRetrying() {
        kit().ex.resend();
        state = state.check(FrontState.CONNECTING);
    }

    @Override
    public void interimResponse() {
        kit().ex.interimWritten();
    }

    @Override
    public void responseHead(int responseStatus, boolean upstreamKeepAlive) {
        HttpExchange ex = kit().ex;
        ex.writingFinalHead(responseStatus, Connection.closeIf(!(ex.clientKeepAlive() && upstreamKeepAlive && !draining)));
    }

    @Override
    public void responseBytes(int total, int body) {
        kit().ex.sent(total, body);
    }

    @Override
    public void responseEnded(boolean reusable) {
        kit().ex.responseEnded(reusable); // before the request was passed on in full: neither side is reused
        finishExchange();
        pump();
    }

    @Override
    public void upstreamFailed(UpstreamFailure failure, String detail) {
        RequestKit k = kit();
        if (k.ex.responseStarted()) {
            closeNow();
            return;
        }
        k.local.upstreamFailed(failure, detail);
    }

    @Override
    public void upgraded(UpstreamConnection c, ByteBuf switchingHead, @Nullable ByteBuf leftover) {
        RequestKit k = kit();
        HttpExchange ex = k.ex;
        ex.upgraded();
        List<String> containers = ex.containers();
        ex.report(dp.gate, dp.metrics, dp.accessLog);
        state = state.check(FrontState.UPGRADED);
        clock.stop();
        k.upstream.dispose();

        ByteRelay.countOpen(dp.gate, ctx.channel(), containers);
        ByteBuf unread = k.cumulation.take();
        giveKitBack(); // the relay takes the channels over: the kit is done here
        ByteRelay.upgrade(ctx, this, c, switchingHead, leftover, unread);
    }

    // ---------------------------------------------------------------- ending

    private void maybeFinish() {
        if (kit().ex.complete()) {
            finishExchange();
        }
    }

    private void finishExchange() {
        RequestKit k = kit();
        HttpExchange ex = k.ex;
        clock.bodyClock(false);
        ex.report(dp.gate, dp.metrics, dp.accessLog);
        k.upstream.end(ex.upstreamReusable());
        if (!ex.keepAlive() || draining) {
            state = state.check(FrontState.CLOSING);
            k.cumulation.release();
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        state = state.check(FrontState.READ_HEAD);
        k.parser.reset();
        k.head.reset();
        clock.awaitHead(k.cumulation.buffered());
        pumpAgain = true;
    }

    /** A last answer: a problem+json with {@code Connection: close}, then a lingering close. */
    private void closeWithProblem(int s, String detail) {
        kit().ex.answered(s, Connection.CLOSE);
        closeWith(ProxyResponses.problem(ctx.alloc(), s, detail, Connection.CLOSE));
    }

    /** Writes a last response, then closes lingering ({@link LingeringClose}); what the client still sends is dropped. */
    private void closeWith(ByteBuf lastResponse) {
        RequestKit k = kit();
        k.ex.sentWhole(lastResponse);
        state = state.check(FrontState.CLOSING);
        k.ex.report(dp.gate, dp.metrics, dp.accessLog);
        k.cumulation.release();
        LingeringClose.after(ctx, lastResponse, LINGER_MILLIS);
    }

    private void closeNow() {
        if (state != FrontState.CLOSING && state != FrontState.CLOSED) {
            state = state.check(FrontState.CLOSING);
        }
        RequestKit k = kit;
        if (k != null) {
            k.ex.report(dp.gate, dp.metrics, dp.accessLog);
            k.cumulation.release();
        }
        ctx.close();
    }

    private void releaseEverything() {
        if (clock != null) {
            clock.stop();
        }
        abandonRequest();
        RequestKit k = kit;
        if (k != null) {
            k.cumulation.release();
            k.ex.clientGone(dp.accessLog);
            k.ex.report(dp.gate, dp.metrics, dp.accessLog);
            giveKitBack();
        }
    }

    /** Lets go of the upstream side of the current request (parked place, upstream connection). */
    private void abandonRequest() {
        parking.abandon();
        if (kit != null) {
            kit.upstream.dispose();
        }
    }

    // ---------------------------------------------------------------- the request kit

    /** The kit of the request in hand: asked for only while there is one. */
    private RequestKit kit() {
        return Objects.requireNonNull(kit, "a request is in hand");
    }

    /** Whether bytes of a next request (or the rest of this one) are buffered. */
    private boolean buffered() {
        return kit != null && kit.cumulation.buffered();
    }

    private RequestKit takeKit() {
        RequestKit k = kits.take(ctx, this, clock, scheme == Scheme.HTTPS ? dp.https : HttpsPolicy.NONE);
        kit = k;
        return k;
    }

    /** Gives the kit back: the request is over (reported, its upstream side ended or disposed of) and nothing is buffered. */
    private void giveKitBack() {
        RequestKit k = kit();
        kit = null;
        kits.give(k);
    }

    // ---------------------------------------------------------------- expiries of the ClientClock

    /**
     * The client stopped sending its request body ({@code body_read} between two reads): 408 and a
     * close while no response has started, else just a close. The upstream connection, which got
     * part of the body, is closed either way; a parked request gives up its place.
     */
    @Override
    public void onBodyTimeout() {
        if (!state.hasRequest() || kit().ex.received()) {
            return;
        }
        abandonRequest();
        if (kit().ex.responseStarted()) {
            closeNow();
            return;
        }
        closeWithProblem(408, "request body not received: nothing for " + dp.timeouts.bodyRead().toMillis() + "ms");
    }

    /** {@code client_send} passed and the client took none of its response meanwhile: close (the paused upstream goes too). */
    @Override
    public void onClientStuck() {
        if (state != FrontState.CLOSED) {
            log.debug(ctx.channel(), "closing: took none of its response for " + dp.timeouts.clientSend().toMillis() + "ms");
            closeNow();
        }
    }

    /** The drain deadline passed with this connection still busy. */
    private void onDrainExpired() {
        if (state.hasRequest()) {
            if (kit().ex.responseStarted()) {
                closeNow(); // cut mid-response: the client sees the framing end early
                return;
            }
            abandonRequest();
            kit().ex.answered(503, Connection.CLOSE);
            closeWith(ProxyResponses.unavailable(ctx.alloc(), "the proxy is shutting down", null, Connection.CLOSE));
        } else if (state == FrontState.READ_HEAD) {
            closeNow(); // at most part of a head: no request to answer yet
        }
        // CLOSING: a last response is on its way; the server closes what is left right after
    }

    @Override
    public void onIdleTimeout() {
        if (state == FrontState.READ_HEAD) {
            closeNow(); // idle keep-alive connection: close silently
        }
    }

    @Override
    public void onHeadTimeout() {
        if (state != FrontState.READ_HEAD) {
            return;
        }
        RequestKit k = kit;
        if (k != null && k.cumulation.buffered()) {
            k.ex.refuseHead(408, dp.accessLog, client.ip());
            closeWithProblem(408, "request head not received within " + dp.timeouts.headerRead().toMillis() + "ms");
        } else {
            closeNow(); // idle keep-alive connection: close silently
        }
    }
}

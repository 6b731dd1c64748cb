package dev.wakegate.relay;

import dev.wakegate.admin.LocalEndpoints.LocalResponse;
import dev.wakegate.http1.Connection;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.park.WaitingPage;
import dev.wakegate.route.NoWakeRule;
import dev.wakegate.route.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;

import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The answers the proxy gives itself to a request of an {@link HttpFrontHandler}, as
 * {@link UpstreamExchange} is the upstream's: problem+json errors (421, 404, 502/504 when an
 * upstream fails before its response), the 308 to https, the waiting page, the 503s of a full
 * parking lot and of a failed start, and the answers of the local endpoints ({@code /health/*}),
 * which may complete on another thread and are taken back to the event loop. Each answer is built
 * once it is known whether the connection stays open after it (when the client allows it and the
 * server is not draining), carries its head alone to a HEAD request, and goes to the handler's one
 * write point, {@link Front#writeAnswer}, which makes the state transitions. Part of a
 * {@link RequestKit}: it answers for the connection it was last bound to ({@link #bind}); event loop only.
 */
final class LocalAnswers {

    /** What the answers need of the client connection; every call runs on the event loop. */
    interface Front {
        /** Writes {@code response}, an answer of the proxy's own, whole; the connection closes after it when {@code after} says so. */
        void writeAnswer(int status, ByteBuf response, Connection after);

        /**
         * Whether the connection still waits for the local endpoint's answer to request {@code id}
         * of {@code exchange} (a kit's exchange may serve another connection by the time it comes).
         */
        boolean awaitsLocalAnswer(HttpExchange exchange, long id);

        /** The server is shutting down: every answer closes its connection. */
        boolean draining();

        /** Moves whatever can move now. */
        void pump();
    }

    /** Makes an answer once it is known whether the connection closes after it. */
    @FunctionalInterface
    private interface Builder {
        ByteBuf build(ByteBufAllocator alloc, Connection after);
    }

    private final DataPath dp;
    private final HttpExchange request;        // the kit's: read here
    // the client connection that holds the kit now (bind), none while the kit is kept (unbind)
    private Front front = Unbound.FRONT;
    private @Nullable ChannelHandlerContext ctx;

    LocalAnswers(DataPath dp, HttpExchange request) {
        this.dp = dp;
        this.request = request;
    }

    /** Answers for the client connection of {@code ctx} from now on (its {@link RequestKit} was lent to it). */
    void bind(ChannelHandlerContext ctx, Front front) {
        this.ctx = ctx;
        this.front = front;
    }

    /** Answers for no connection from now on (the kit is kept): a late endpoint answer finds a front that waits for none. */
    void unbind() {
        front = Unbound.FRONT;
        ctx = null;
    }

    /** A problem+json answer with {@code detail}. */
    void problem(int status, String detail) {
        answer(status, (alloc, after) -> ProxyResponses.problem(alloc, status, detail, after));
    }

    /**
     * The upstream produced no response and none has started: its 502 or 504. A request whose body
     * has not arrived in full closes the connection after it, since the rest of that body could not
     * be told from a next request.
     */
    void upstreamFailed(UpstreamFailure failure, String detail) {
        Builder problem = (alloc, after) -> ProxyResponses.problem(alloc, failure.status(), detail, after);
        answer(failure.status(), problem, request.received() ? keepAliveOrClose() : Connection.CLOSE);
    }

    /** {@code tls.redirect_http}: a 308 to the same URL over https, or a 400 when the request gives nothing to redirect to. */
    void redirectToHttps(@Nullable String host, String target) {
        if (!HttpsPolicy.canRedirect(host, target)) {
            problem(400, "this listener redirects to https, which needs a Host header and a path");
            return;
        }
        answer(308, (alloc, after) -> Objects.requireNonNull(dp.https.redirect(alloc, host, target, after), "checked by canRedirect"));
    }

    /**
     * The 503 waiting page for a browser navigation: the route's containers start now (the browser
     * comes back by itself), and the page shows them as the gate knows them (cold path: it renders a page).
     */
    void waitingPage() {
        List<String> containers = request.containers();
        try {
            dp.gate.awaitReady(containers);
        } catch (RuntimeException ignored) {
            // the page is shown either way; the next visit reports the failure
        }
        byte[] page = WaitingPage.render(templateOf(request.route()), containers,
                dp.gate.wakeProgress(containers), System.currentTimeMillis());
        answer(503, (alloc, after) -> ProxyResponses.waitingPage(alloc, page, after));
    }

    private static String templateOf(@Nullable Route route) {
        String t = route == null ? null : route.waitingTemplate();
        return t != null ? t : WaitingPage.DEFAULT_TEMPLATE;
    }

    /**
     * A {@code no_wake} request to containers that sleep (counted): a 503 with {@code Retry-After}, naming the
     * first of them and the rule that matched; nothing is started.
     */
    void notWoken(NoWakeRule.Reason reason) {
        dp.metrics.notWoken(reason, false);
        List<String> containers = request.containers();
        String container = containers.isEmpty() ? null : containers.get(0);
        answer(503, (alloc, after) -> ProxyResponses.unavailable(alloc,
                "asleep, and this request does not wake it (no_wake: " + reason.tag() + ")", container, after));
    }

    /** The parking lot is full: a 503 to retry later, naming the first of the route's containers. */
    void parkingFull(List<String> containers) {
        String container = containers.isEmpty() ? null : containers.get(0);
        answer(503, (alloc, after) -> ProxyResponses.unavailable(alloc,
                "too many requests are waiting for containers to start", container, after));
    }

    /** The route's containers did not become ready: a 503 with the failure's reason and container. */
    void startFailed(StartFailure failure) {
        answer(503, (alloc, after) -> ProxyResponses.startFailed(alloc, failure, after));
    }

    /**
     * Asks the local endpoints for the answer to the current request (the handler is in LOCAL and
     * drops its body meanwhile); the answer is written when it comes, unless the connection has
     * moved on. An endpoint that fails is a 500.
     */
    void endpoint(String path, @Nullable String authorization, @Nullable SocketAddress client) {
        long id = request.id();
        CompletableFuture<LocalResponse> f;
        try {
            f = dp.endpoints.handle(request.method(), path, authorization, client);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        EventExecutor loop = client().executor(); // read here: the kit may serve another connection (of this loop) by then
        f.whenComplete((r, e) -> {
            if (loop.inEventLoop()) {
                onEndpointAnswer(id, r, e);
            } else {
                loop.execute(() -> onEndpointAnswer(id, r, e));
            }
        });
    }

    private void onEndpointAnswer(long id, LocalResponse r, Throwable e) {
        if (!front.awaitsLocalAnswer(request, id)) {
            return;
        }
        if (e != null || r == null) {
            problem(500, "local endpoint failed: " + (e == null ? "no response" : e.getMessage()));
        } else {
            answer(r.status(), (alloc, after) -> ProxyResponses.local(alloc, r.status(), r.contentType(), r.body(),
                    r.headers(), after));
        }
        front.pump();
    }

    private Connection keepAliveOrClose() {
        return Connection.closeIf(!request.clientKeepAlive() || front.draining());
    }

    private void answer(int status, Builder response) {
        answer(status, response, keepAliveOrClose());
    }

    private void answer(int status, Builder response, Connection after) {
        ByteBuf bytes = response.build(client().alloc(), after);
        if (request.headRequest()) {
            ProxyResponses.dropBody(bytes);
        }
        front.writeAnswer(status, bytes, after);
    }

    /** The client connection's context: asked for only while the answers serve one. */
    private ChannelHandlerContext client() {
        return Objects.requireNonNull(ctx, "bound to a connection");
    }

    /** The front of answers that serve no connection: it waits for no answer, and nothing else may reach it. */
    private static final class Unbound implements Front {
        static final Front FRONT = new Unbound();

        @Override
        public void writeAnswer(int status, ByteBuf response, Connection after) {
            response.release();
            throw new IllegalStateException("local answers that serve no connection were asked to write");
        }

        @Override
        public boolean awaitsLocalAnswer(HttpExchange exchange, long id) {
            return false;
        }

        @Override
        public boolean draining() {
            return false;
        }

        @Override
        public void pump() {
        }
    }
}

package dev.wakegate.relay;

import dev.wakegate.accesslog.AccessEntry;
import dev.wakegate.accesslog.AccessLog;
import dev.wakegate.http1.Connection;
import dev.wakegate.http1.Methods;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.lifecycle.ContainerGate;
import dev.wakegate.route.Route;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Objects;

/**
 * One request and its response on an HTTP client connection: what the request's head said, how
 * far each side has got ({@link RequestPhase}, {@link ResponsePhase}), where the connection goes
 * after it, its route, and the gate's and the metrics' bookkeeping. It holds no buffer and no
 * channel; the cumulation and the upstream connection stay with their owners.
 *
 * <p>Part of a {@link RequestKit}, lent to one connection at a time; its {@link HttpFrontHandler}
 * makes every change and starts each request with {@link #begin} (the one place where a request's
 * state is reset; the id only grows, across the connections the kit serves).
 * {@link UpstreamExchange} and the parking code read it. Event loop only.
 *
 * <p>Invariant: a request that was {@link #routed} gets exactly one {@code gate.requestEnded},
 * and a request that was begun (or refused before its head was complete) at most one completed
 * request in the metrics, both through {@link #report}.
 */
final class HttpExchange {

    /** How far the request has come from the client. */
    enum RequestPhase {
        /** Body bytes are still to come. */
        RECEIVING,
        /** The whole request is here and checked; body bytes may still wait to be passed on. */
        RECEIVED,
        /** Passed on in full to the upstream, or dropped because the proxy answers itself. */
        DONE
    }

    /** How far the response has gone to the client. */
    enum ResponsePhase {
        /** Nothing yet: a 4xx/5xx of the proxy's own may still take its place. */
        WAITING,
        /** An interim 1xx went out; the final response is still owed. */
        INTERIM,
        /** The final head went out; its body follows. */
        BODY,
        /** The response has ended (or was cut off by a close). */
        DONE
    }

    private final RequestBody body = new RequestBody();

    private long id;                       // one per request: a late callback of an earlier one is ignored
    private String method = "";            // the current request's; none before the first
    private boolean headRequest;
    private boolean idempotent;
    private boolean upgrade;
    private boolean hasBody;
    private boolean expectContinue;
    private boolean clientKeepAlive;
    private RequestPhase request = RequestPhase.DONE;
    private ResponsePhase response = ResponsePhase.DONE;
    private int status;
    private boolean keepAlive;             // the connection may carry another request afterwards
    private boolean upstreamReusable;
    private @Nullable Route route;
    private @Nullable List<String> openContainers;   // non-null between requestStarted and requestEnded
    private boolean quiet;                 // a no_wake match: in use, but not activity
    private boolean metricsPending;
    private @Nullable AccessEntry logEntry;          // non-null while the access log is on and the line is not written
    private long bodyBytes;                // response body bytes that went to the client
    private long bytesSent;                // response bytes (head and body) that went to the client
    private long coldStartNanos;           // how long the request waited for its containers, -1: it did not

    /**
     * Starts the request whose head is {@code head}: everything of the previous one is forgotten.
     *
     * @param draining the server is shutting down: the client's connection ends with this request
     */
    void begin(RequestHead head, boolean draining) {
        assert openContainers == null : "the previous request was not reported";
        id++;
        method = Objects.requireNonNull(head.method(), "a request begins with a parsed head");
        headRequest = Methods.HEAD.equals(method);
        idempotent = Methods.isIdempotent(method);
        upgrade = head.upgrade() != null;
        hasBody = head.hasBody();
        expectContinue = head.expectContinue();
        clientKeepAlive = head.keepAlive() && !draining;
        body.reset(head);
        request = body.scanned() ? RequestPhase.RECEIVED : RequestPhase.RECEIVING;
        response = ResponsePhase.WAITING;
        status = 0;
        keepAlive = false;
        upstreamReusable = false;
        route = null;
        metricsPending = true;
        logEntry = null;
        bodyBytes = 0;
        bytesSent = 0;
        coldStartNanos = -1;
    }

    /**
     * A head that was refused (malformed, or not complete in time) is answered with
     * {@code refusalStatus} and the connection closes: counted as a request without a route, and
     * logged without a request line when {@code accessLog} is on.
     */
    void refuseHead(int refusalStatus, AccessLog accessLog, String clientIp) {
        assert openContainers == null : "the previous request was not reported";
        id++;
        route = null;
        status = refusalStatus;
        keepAlive = false;
        metricsPending = true;
        request = RequestPhase.DONE;
        response = ResponsePhase.DONE;
        logEntry = accessLog.enabled() ? accessLog.refusedEntry(clientIp, System.nanoTime()) : null;
        bodyBytes = 0;
        bytesSent = 0;
        coldStartNanos = -1;
    }

    /**
     * When {@code accessLog} is on, starts this request's line from its head (the first bytes of
     * {@code in} from {@code base}); {@link #report} completes it and hands it on.
     */
    void logTo(AccessLog accessLog, ByteBuf in, int base, RequestHead head, String clientIp) {
        if (accessLog.enabled()) {
            logEntry = accessLog.entry(in, base, head, clientIp, System.nanoTime());
        }
    }

    /** The request goes to {@code r}'s containers: counted as in use until {@link #report}, and as activity. */
    void routed(Route r, ContainerGate gate) {
        routed(r, gate, true);
    }

    /**
     * The request goes to {@code r}'s containers: counted as in use until {@link #report}; as
     * activity (refreshing their idle clocks) unless {@code activity} is false (a {@code no_wake} match).
     */
    void routed(Route r, ContainerGate gate, boolean activity) {
        route = r;
        openContainers = r.containers();
        quiet = !activity;
        gate.requestStarted(openContainers, activity);
    }

    /**
     * Reports the end of the request to the gate (exactly once) and to the metrics (once, when a
     * status was given). Safe to call again; later calls do nothing.
     */
    void report(ContainerGate gate, ProxyMetrics metrics) {
        report(gate, metrics, null);
    }

    /**
     * As {@link #report(ContainerGate, ProxyMetrics)}, and hands the access-log line (if any) to
     * {@code accessLog} once the status is known.
     */
    void report(ContainerGate gate, ProxyMetrics metrics, @Nullable AccessLog accessLog) {
        List<String> c = openContainers;
        if (c != null) {
            openContainers = null;
            gate.requestEnded(c, !quiet);
        }
        if (metricsPending && status != 0) {
            metricsPending = false;
            metrics.requestCompleted(route == null ? null : route.name(), status);
            AccessEntry e = logEntry;
            if (e != null && accessLog != null) {
                writeLog(accessLog, e, status, c);
            }
        }
    }

    /**
     * The client went away before any response was given: nginx's 499 in the access log (not in
     * the metrics, which count responses).
     */
    void clientGone(@Nullable AccessLog accessLog) {
        AccessEntry e = logEntry;
        if (metricsPending && status == 0 && e != null && accessLog != null) {
            metricsPending = false;
            writeLog(accessLog, e, 499, openContainers);
        }
    }

    private void writeLog(AccessLog accessLog, AccessEntry e, int s, @Nullable List<String> containers) {
        logEntry = null;
        accessLog.submit(e.complete(s, bodyBytes, bytesSent, System.nanoTime(),
                route == null ? null : route.name(), route == null ? null : route.upstreamText(),
                coldStartNanos, containers == null ? (route == null ? List.of() : route.containers()) : containers));
    }

    /** An answer of the proxy's own went to the client whole: its bytes, and its body's, for the access log. */
    void sentWhole(ByteBuf response) {
        int total = response.readableBytes();
        sent(total, total - ProxyResponses.headLength(response));
    }

    /** Response bytes went to the client: {@code body} of them body bytes. */
    void sent(int total, int body) {
        bytesSent += total;
        bodyBytes += body;
    }

    /** The request waited {@code nanos} for its containers. */
    void waited(long nanos) {
        coldStartNanos = nanos;
    }

    // ---------------------------------------------------------------- the request side

    long id() {
        return id;
    }

    String method() {
        return method;
    }

    boolean headRequest() {
        return headRequest;
    }

    /**
     * The request can be sent once more as it is, should a reused upstream connection die under
     * it: no body (a body was streamed, not kept) and an idempotent method (RFC 9110 9.2.2).
     */
    boolean replayable() {
        return !hasBody && idempotent;
    }

    /** The request asks for a protocol upgrade (Connection: upgrade with an Upgrade header). */
    boolean upgrade() {
        return upgrade;
    }

    boolean expectContinue() {
        return expectContinue;
    }

    /** The client allows another request on the connection, and the server is not draining. */
    boolean clientKeepAlive() {
        return clientKeepAlive;
    }

    /** The route the request matched, or null (local answers, refused heads). */
    @Nullable Route route() {
        return route;
    }

    /** The kit goes back between connections: no route of a reported request is held past it (a reload may have replaced it). */
    void forgetRoute() {
        assert openContainers == null : "the request was not reported";
        route = null;
    }

    /** The containers counted as in use for this request, or an empty list. */
    List<String> containers() {
        return openContainers == null ? List.of() : openContainers;
    }

    RequestPhase requestPhase() {
        return request;
    }

    /** The whole request has arrived and been checked. */
    boolean received() {
        return request != RequestPhase.RECEIVING;
    }

    /** The request has been passed on to the upstream in full, or dropped. */
    boolean requestDone() {
        return request == RequestPhase.DONE;
    }

    /** The framing of the body as it arrives in the handler's cumulation. */
    RequestBody body() {
        return body;
    }

    /** Checks newly arrived body bytes (kept for the upstream); false when the body is malformed. */
    boolean scanBody(@Nullable ByteBuf cumulation) {
        boolean ok = body.scanAhead(cumulation);
        if (body.scanned() && request == RequestPhase.RECEIVING) {
            request = RequestPhase.RECEIVED;
        }
        return ok;
    }

    /** Checks and drops body bytes (the proxy answers itself); false when the body is malformed. */
    boolean discardBody(@Nullable ByteBuf cumulation) {
        boolean ok = body.discard(cumulation);
        if (body.scanned() && request == RequestPhase.RECEIVING) {
            request = RequestPhase.RECEIVED;
        }
        return ok;
    }

    /** The received request has been passed on in full (or dropped): the request side is done. */
    void requestPassedOn() {
        assert request == RequestPhase.RECEIVED : request;
        request = RequestPhase.DONE;
    }

    /** A bodiless request is sent once more on a new upstream connection (the reused one died). */
    void resend() {
        assert replayable();
        request = RequestPhase.RECEIVED;
    }

    // ---------------------------------------------------------------- the response side

    ResponsePhase responsePhase() {
        return response;
    }

    /** Any byte of a response went to the client: no answer of the proxy's own can replace it. */
    boolean responseStarted() {
        return response != ResponsePhase.WAITING;
    }

    /** The final response head has gone to the client (its body may follow). */
    boolean finalHeadWritten() {
        return response == ResponsePhase.BODY || response == ResponsePhase.DONE;
    }

    /** A client that sent {@code Expect: 100-continue} waits for the go-ahead before its body. */
    boolean awaitingContinue() {
        return expectContinue && response == ResponsePhase.WAITING;
    }

    /** An interim 1xx went to the client. */
    void interimWritten() {
        if (response == ResponsePhase.WAITING) {
            response = ResponsePhase.INTERIM;
        }
    }

    /**
     * The upstream's final response head goes to the client.
     *
     * @param after whether the client connection may carry another request once this one is done
     */
    void writingFinalHead(int responseStatus, Connection after) {
        status = responseStatus;
        keepAlive = after == Connection.KEEP_ALIVE;
        response = ResponsePhase.BODY;
    }

    /**
     * The relayed response has ended; {@code reusable} when its upstream connection may carry
     * another request. A response that ended before the request was passed on in full leaves
     * neither connection reusable.
     */
    void responseEnded(boolean reusable) {
        response = ResponsePhase.DONE;
        upstreamReusable = reusable && requestDone();
        if (!requestDone()) {
            keepAlive = false;
        }
    }

    /** The proxy answered itself with {@code answerStatus}, whole (also a 308, or the waiting page). */
    void answered(int answerStatus, Connection after) {
        status = answerStatus;
        keepAlive = after == Connection.KEEP_ALIVE;
        response = ResponsePhase.DONE;
    }

    /** The upstream switched protocols: a raw relay takes over the connection. */
    void upgraded() {
        status = 101;
        keepAlive = false;
        response = ResponsePhase.DONE;
    }

    /** Both sides are done: the next request may start (or the connection closes). */
    boolean complete() {
        return request == RequestPhase.DONE && response == ResponsePhase.DONE;
    }

    /** The connection may carry the next request. */
    boolean keepAlive() {
        return keepAlive;
    }

    boolean upstreamReusable() {
        return upstreamReusable;
    }

    int status() {
        return status;
    }
}

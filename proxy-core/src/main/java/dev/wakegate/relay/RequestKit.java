package dev.wakegate.relay;

import dev.wakegate.config.Limits;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.http1.RequestHeadParser;
import io.netty.channel.ChannelHandlerContext;

/**
 * What an HTTP client connection needs while it has a request in hand, and only then: the
 * {@link Cumulation} of its bytes, the request's head and its parser, the {@link HttpExchange},
 * and the two ways a request is answered ({@link UpstreamExchange}, {@link LocalAnswers}).
 * {@link HttpFrontHandler} takes a kit from its event loop's {@link RequestKits} when bytes come
 * and gives it back when it waits for a next request with nothing buffered, or goes; so an idle
 * keep-alive connection holds none of this (about 0.8 KB of heap each), and the next request on
 * the loop takes a kit without allocating.
 *
 * <p>A kit serves one connection at a time: {@link #bind} points its answering sides at that
 * connection. Its exchange's request ids only grow, and its upstream side's attempts are counted,
 * so a late callback meant for an earlier connection (an endpoint's answer, a connect) is told
 * apart by the kit and the id, or the attempt, it carries. Event loop only.
 */
final class RequestKit {
    final RequestHead head = new RequestHead();
    final RequestHeadParser parser;
    final HttpExchange ex = new HttpExchange();
    final Cumulation cumulation = new Cumulation(ex.body());
    final UpstreamExchange upstream;
    final LocalAnswers local;
    /** The limits the parser was made with: a kit made before a reload is not lent again. */
    final Limits limits;

    RequestKit(DataPath dp, UpstreamPool pool, Limits limits) {
        this.limits = limits;
        this.parser = new RequestHeadParser(limits.maxRequestLine(), limits.maxHeadSize(), limits.maxHeaders());
        this.upstream = new UpstreamExchange(dp, pool, ex);
        this.local = new LocalAnswers(dp, ex);
        clear();
    }

    /** Lends the kit to the connection of {@code ctx}, whose handler is {@code front} and whose clock carries the upstream timeouts. */
    void bind(ChannelHandlerContext ctx, HttpFrontHandler front, ClientClock clock, HttpsPolicy https) {
        upstream.bind(ctx, front, clock, https);
        local.bind(ctx, front);
    }

    /**
     * Forgets the last connection and request (the head gives its scratch arrays back), so that a
     * kept kit holds nothing of them (nor does the connection's clock carry its timers); the
     * request has ended or was disposed of.
     */
    void clear() {
        parser.reset();
        head.reset();
        ex.forgetRoute();
        upstream.unbind();
        local.unbind();
    }
}

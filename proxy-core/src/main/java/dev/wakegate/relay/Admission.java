package dev.wakegate.relay;

import dev.wakegate.config.Limits;
import dev.wakegate.http1.RequestHead;
import dev.wakegate.route.NoWakeRule;
import dev.wakegate.route.Route;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Whether a request whose head passed the parser goes on to its route, decided from the head, the
 * listener, the client and the route before any byte of it reaches an upstream. The checks run in
 * this order, the first that turns the request away giving the {@link Verdict}: over HTTPS, a Host
 * that names another host than the TLS server name (421); the proxy's own endpoints
 * ({@code /health/*}, answered locally); on the plain listener with {@code tls.redirect_http}, the
 * 308 to https ({@link #beforeRoute}); then no route (404), a client the route's {@code allow} /
 * {@code deny} lists refuse (403), a {@code Content-Length} over the route's or the global
 * {@code max_body} (413) ({@link #onRoute}); {@link #check} runs them all. For an admitted request it also says which
 * {@code no_wake} rule, if any, the request matches ({@link #noWake}).
 *
 * <p>{@link HttpFrontHandler} asks and acts on the verdict (a local answer, a 413 and a close, or
 * the route); nothing here writes, changes state or allocates, except the text of a refusal
 * ({@link #detail}), made on that cold path only. Stateless; event loop only where it reads the
 * channel.
 */
final class Admission {

    /** The outcome of the checks; {@link #ADMITTED} goes on to the route's containers. */
    enum Verdict {
        /** Over HTTPS, the Host names another host than the TLS server name (SNI): 421. */
        MISDIRECTED(421),
        /** A request for the proxy's own endpoints ({@code /health/*}): the local endpoints answer it. */
        LOCAL_ENDPOINT(0),
        /** A plain-HTTP request the listener redirects to https ({@code tls.redirect_http}): 308, or 400 without a Host. */
        REDIRECT(0),
        /** No route takes the request's host and path: 404. */
        NO_ROUTE(404),
        /** The route's allow/deny lists refuse the request's client: 403. */
        FORBIDDEN(403),
        /** The declared body is larger than the route's (or the global) {@code max_body}: 413, and the connection closes. */
        TOO_LARGE(413),
        /** Goes on to the route. */
        ADMITTED(0);

        /** The status of the proxy's answer; 0 where the answer is not the proxy's problem+json. */
        final int status;

        Verdict(int status) {
            this.status = status;
        }
    }

    private Admission() {
    }

    /**
     * All checks, in order, of the request with {@code head} (whose path is {@code path}) from
     * {@code client}, which the route table gave {@code route} (null: none).
     *
     * @param maxBody the body limit of the route, {@link #maxBody}
     */
    static Verdict check(DataPath dp, Scheme scheme, Channel channel, RequestHead head, String path,
                         @Nullable Route route, ClientAddress client, long maxBody) {
        Verdict v = beforeRoute(dp, scheme, channel, head, path);
        return v == Verdict.ADMITTED ? onRoute(route, client, head, maxBody) : v;
    }

    /** The checks that come before the route: the listener's (421 over HTTPS, the redirect to https) and the proxy's own endpoints. */
    private static Verdict beforeRoute(DataPath dp, Scheme scheme, Channel channel, RequestHead head, String path) {
        if (scheme == Scheme.HTTPS && !HttpsPolicy.hostMatchesServerName(channel, head.host())) {
            return Verdict.MISDIRECTED;
        }
        if (dp.endpoints.handles(path)) {
            return Verdict.LOCAL_ENDPOINT;
        }
        if (scheme == Scheme.HTTP && dp.https.redirects(path)) {
            return Verdict.REDIRECT;
        }
        return Verdict.ADMITTED;
    }

    /** The route's checks: a route at all, its allow/deny lists for {@code client}, {@code maxBody} against the declared length. */
    private static Verdict onRoute(@Nullable Route route, ClientAddress client, RequestHead head, long maxBody) {
        if (route == null) {
            return Verdict.NO_ROUTE;
        }
        if (route.restrictsClients() && !client.admittedBy(route)) {
            return Verdict.FORBIDDEN;
        }
        if (maxBody > 0 && head.contentLength() > maxBody) {
            return Verdict.TOO_LARGE; // a chunked body is held to maxBody as it arrives (RequestBody.limitChunked)
        }
        return Verdict.ADMITTED;
    }

    /** The body limit of a request to {@code route}: its own {@code max_body}, else the global one; 0: none. */
    static long maxBody(@Nullable Route route, Limits limits) {
        return route != null && route.maxBody() > 0 ? route.maxBody() : limits.maxBody();
    }

    /**
     * The {@code no_wake} rule an admitted request matches, or null: only routes that wake
     * something check it, and the match allocates nothing.
     */
    static NoWakeRule.@Nullable Reason noWake(Route route, String method, String path, RequestHead head) {
        return route.containers().isEmpty() ? null : route.noWake().match(method, path, head.userAgent());
    }

    /** The problem detail of a refusal with a status ({@link Verdict#status} not 0). */
    static String detail(Verdict verdict, String path, @Nullable Route route, long contentLength, long maxBody) {
        String name = route == null ? "" : route.name();
        return switch (verdict) {
            case MISDIRECTED -> "the Host header names another host than the TLS server name (SNI)";
            case NO_ROUTE -> "no route for " + path;
            case FORBIDDEN -> "the client address is not allowed on " + name;
            case TOO_LARGE -> "the request body of " + contentLength + " bytes is larger than the " + maxBody
                    + " bytes " + name + " takes";
            default -> throw new IllegalArgumentException("no refusal text for " + verdict);
        };
    }
}

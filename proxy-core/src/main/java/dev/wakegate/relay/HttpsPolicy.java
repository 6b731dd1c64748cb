package dev.wakegate.relay;

import dev.wakegate.config.TlsSettings;
import dev.wakegate.http1.Connection;
import dev.wakegate.http1.ProblemResponses;
import dev.wakegate.http1.ResponseHead;
import dev.wakegate.route.HostNames;
import dev.wakegate.tls.TlsTermination;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;

/**
 * What the HTTP listeners do about HTTPS ({@code tls.redirect_http}, {@code tls.hsts}): plain
 * requests are answered with a 308 to the same URL over https, except the proxy's own
 * {@code /health/*} and ACME HTTP-01 challenges ({@code /.well-known/acme-challenge/}), which a
 * CA fetches over plain HTTP; responses relayed over HTTPS get {@code Strict-Transport-Security}
 * unless the upstream set its own. Immutable, shared by every connection.
 */
final class HttpsPolicy {
    static final HttpsPolicy NONE = new HttpsPolicy(false, 443, null);
    private static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";
    private static final byte[] STS = "strict-transport-security".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_BODY = new byte[0];

    private final boolean redirect;
    private final int httpsPort;
    private final byte @Nullable [] hstsLine; // "Strict-Transport-Security: max-age=N\r\n", or null

    private HttpsPolicy(boolean redirect, int httpsPort, byte @Nullable [] hstsLine) {
        this.redirect = redirect;
        this.httpsPort = httpsPort;
        this.hstsLine = hstsLine;
    }

    static HttpsPolicy of(TlsSettings tls) {
        byte[] hsts = tls.hsts().map(d -> ("Strict-Transport-Security: max-age=" + d.toSeconds() + "\r\n")
                .getBytes(StandardCharsets.US_ASCII)).orElse(null);
        return new HttpsPolicy(tls.redirectHttp(), tls.httpsPort(), hsts);
    }

    /** Whether a plain-HTTP request for {@code path} is answered with the redirect. */
    boolean redirects(String path) {
        return redirect && path.startsWith("/")
                && !(path.equals("/health") || path.startsWith("/health/") || path.startsWith(ACME_CHALLENGE));
    }

    /**
     * Over TLS, whether the Host header names the host of the ClientHello's server name (true when
     * the client sent no server name, or no Host): else the request is answered 421.
     */
    static boolean hostMatchesServerName(Channel channel, @Nullable String host) {
        String serverName = TlsTermination.serverName(channel);
        return serverName == null || host == null || HostNames.sameHost(serverName, host);
    }

    /** Whether a request gives something to redirect to: a Host, and a target that is a path or an absolute URL. */
    static boolean canRedirect(@Nullable String host, String target) {
        return host != null && !host.isEmpty() && (target.startsWith("/") || target.contains("://"));
    }

    /**
     * The 308 to {@code https://host[:port]target}, or null when the request gives nothing to
     * redirect to ({@link #canRedirect} is false).
     *
     * @param host   the Host header (its port is replaced by the HTTPS port)
     * @param target the request target as sent (origin-form or absolute-form)
     */
    @Nullable ByteBuf redirect(ByteBufAllocator alloc, @Nullable String host, String target, Connection connection) {
        if (host == null || !canRedirect(host, target)) {
            return null;
        }
        String pathAndQuery = target;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            int slash = target.indexOf('/', scheme + 3);
            int query = target.indexOf('?', scheme + 3);
            pathAndQuery = slash >= 0 && (query < 0 || slash < query) ? target.substring(slash)
                    : "/" + (query >= 0 ? target.substring(query) : "");
        }
        StringBuilder location = new StringBuilder(16 + host.length() + pathAndQuery.length())
                .append("https://").append(host, 0, HostNames.end(host));
        if (httpsPort != 443) {
            location.append(':').append(httpsPort);
        }
        location.append(pathAndQuery);
        return ProblemResponses.simple(alloc, 308, null, NO_BODY, connection, "Location", location.toString(),
                "Cache-Control", "no-store");
    }

    /**
     * Writes a relayed response head to the client of an HTTPS connection, with the HSTS line
     * inserted before the empty line that ends it when one is configured and the upstream sent
     * none. {@code head} holds the head ({@code parsed.headLength()} bytes) and maybe body bytes;
     * it is handed over.
     */
    void writeResponseHead(ChannelHandlerContext ctx, ByteBuf head, ResponseHead parsed) {
        if (hstsLine == null || hasSts(head, parsed)) {
            ctx.write(head, ctx.voidPromise());
            return;
        }
        int end = head.readerIndex() + parsed.headLength() - 2;
        ctx.write(head.retainedSlice(head.readerIndex(), end - head.readerIndex()), ctx.voidPromise());
        ctx.write(Unpooled.wrappedBuffer(hstsLine), ctx.voidPromise());
        head.readerIndex(end);
        ctx.write(head, ctx.voidPromise());
    }

    /** The HSTS line for responses over HTTPS, or null. */
    boolean addsHsts() {
        return hstsLine != null;
    }

    private static boolean hasSts(ByteBuf head, ResponseHead parsed) {
        int base = head.readerIndex();
        for (int i = 0; i < parsed.headerCount(); i++) {
            int ns = base + parsed.nameStart(i);
            if (HeadRewriter.nameIs(head, ns, parsed.nameEnd(i) - parsed.nameStart(i), STS)) {
                return true;
            }
        }
        return false;
    }
}

package dev.wakegate.relay;

import dev.wakegate.http1.Connection;
import dev.wakegate.http1.ProblemResponses;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.park.WaitingPage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The responses the data path writes itself, built on {@link ProblemResponses}: problem+json
 * errors ({@link #problem}, and the 503s a retry may cure: {@link #unavailable},
 * {@link #startFailed}), the waiting page for browser navigations, and the answers of the local
 * endpoints. None is cached ({@code Cache-Control: no-store}). Each method returns a new buffer that
 * the caller writes (and so hands over); the caller cuts the body off for a HEAD request.
 */
final class ProxyResponses {
    /** Seconds a client should wait before retrying a 503 while containers start. */
    static final int RETRY_AFTER_SECONDS = 5;
    private static final String RETRY_AFTER = Integer.toString(RETRY_AFTER_SECONDS);
    private static final String PAGE_RETRY_AFTER = Integer.toString(WaitingPage.REFRESH_SECONDS);
    private static final ByteBuf END_OF_HEAD = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer("\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));

    private ProxyResponses() {
    }

    /** The length of the head of a response built here (up to and including its empty line). */
    static int headLength(ByteBuf response) {
        int end = ByteBufUtil.indexOf(END_OF_HEAD, response);
        return end < 0 ? response.readableBytes() : end - response.readerIndex() + END_OF_HEAD.readableBytes();
    }

    /** Cuts the body off a response built here, for a HEAD request: the same head, Content-Length included. */
    static void dropBody(ByteBuf response) {
        int end = ByteBufUtil.indexOf(END_OF_HEAD, response);
        response.writerIndex(end + END_OF_HEAD.readableBytes());
    }

    /** {@code application/problem+json} with {@code detail}. */
    static ByteBuf problem(ByteBufAllocator alloc, int status, String detail, Connection connection) {
        return ProblemResponses.problem(alloc, status, detail, Map.of(), connection, "Cache-Control", "no-store");
    }

    /**
     * A 503 with {@code Retry-After}: the proxy cannot take the request now (too many wait for
     * containers, or it is shutting down), and a later try may succeed.
     *
     * @param container the container the request waits for (the {@code container} member), or null
     */
    static ByteBuf unavailable(ByteBufAllocator alloc, String detail, @Nullable String container, Connection connection) {
        return ProblemResponses.problem(alloc, 503, detail, container == null ? Map.of() : Map.of("container", container),
                connection, "Retry-After", RETRY_AFTER, "Cache-Control", "no-store");
    }

    /** The 503 for a request whose containers did not become ready: the failure's reason and container. */
    static ByteBuf startFailed(ByteBufAllocator alloc, StartFailure failure, Connection connection) {
        return unavailable(alloc, failure.reason(), failure.container(), connection);
    }

    /**
     * The 503 waiting page for browser navigations ({@link WaitingPage}, rendered by the caller):
     * {@code Retry-After} as its meta refresh.
     */
    static ByteBuf waitingPage(ByteBufAllocator alloc, byte[] page, Connection connection) {
        return ProblemResponses.simple(alloc, 503, "text/html; charset=utf-8", page, connection,
                "Retry-After", PAGE_RETRY_AFTER, "Cache-Control", "no-store");
    }

    /** A local endpoint's answer, with the endpoint's own headers (WWW-Authenticate on a 401, Allow on a 405, Retry-After on a 503). */
    static ByteBuf local(ByteBufAllocator alloc, int status, String contentType, byte[] body, Map<String, String> headers,
                         Connection connection) {
        String[] pairs = new String[2 + headers.size() * 2];
        pairs[0] = "Cache-Control";
        pairs[1] = "no-store";
        int i = 2;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            pairs[i++] = h.getKey();
            pairs[i++] = h.getValue();
        }
        return ProblemResponses.simple(alloc, status, contentType, body, connection, pairs);
    }
}

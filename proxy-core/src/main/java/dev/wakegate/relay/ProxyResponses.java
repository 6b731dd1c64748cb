package dev.wakegate.relay;

import dev.wakegate.http1.ProblemResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The responses the data path writes itself, built on {@link ProblemResponses}: problem+json
 * errors (with the {@code container} member for start failures) and the waiting page for browser
 * navigations. Each method returns a new buffer that the caller writes (and so hands over).
 */
final class ProxyResponses {
    /** Seconds a client should wait before retrying a 503 while containers start. */
    static final int RETRY_AFTER_SECONDS = 5;
    private static final String RETRY_AFTER = Integer.toString(RETRY_AFTER_SECONDS);
    private static final byte[] WAITING_PAGE = ("<!doctype html>\n<html><head><meta charset=\"utf-8\">"
            + "<meta http-equiv=\"refresh\" content=\"" + RETRY_AFTER_SECONDS + "\">"
            + "<title>Starting…</title>"
            + "<style>body{font-family:sans-serif;margin:4em auto;max-width:32em;color:#333}</style>"
            + "</head><body><h1>Starting up…</h1>"
            + "<p>The service behind this page is starting. This page reloads by itself in a few seconds.</p>"
            + "</body></html>\n").getBytes(StandardCharsets.UTF_8);

    private ProxyResponses() {
    }

    /** {@code application/problem+json} with {@code detail}, and {@code container} when not null. */
    static ByteBuf problem(ByteBufAllocator alloc, int status, String detail, String container, boolean close,
                           boolean retryAfter) {
        Map<String, String> members = container == null ? Map.of() : Map.of("container", container);
        return retryAfter
                ? ProblemResponses.problem(alloc, status, null, detail, members, close,
                        "Retry-After", RETRY_AFTER, "Cache-Control", "no-store")
                : ProblemResponses.problem(alloc, status, null, detail, members, close, "Cache-Control", "no-store");
    }

    /** The 503 waiting page: refreshes itself, never cached; head only for HEAD requests. */
    static ByteBuf waitingPage(ByteBufAllocator alloc, boolean headRequest, boolean close) {
        ByteBuf page = ProblemResponses.simple(alloc, 503, "text/html; charset=utf-8", WAITING_PAGE, close,
                "Retry-After", RETRY_AFTER, "Cache-Control", "no-store");
        if (headRequest) {
            page.writerIndex(page.writerIndex() - WAITING_PAGE.length); // same head, no body
        }
        return page;
    }

    /** A local endpoint's answer. */
    static ByteBuf local(ByteBufAllocator alloc, int status, String contentType, byte[] body, boolean close) {
        return local(alloc, status, contentType, body, close, java.util.Map.of());
    }

    /** With the endpoint's own headers too (WWW-Authenticate on a 401, Allow on a 405, Retry-After on a 503). */
    static ByteBuf local(ByteBufAllocator alloc, int status, String contentType, byte[] body, boolean close,
                         java.util.Map<String, String> headers) {
        String[] pairs = new String[2 + headers.size() * 2];
        pairs[0] = "Cache-Control";
        pairs[1] = "no-store";
        int i = 2;
        for (java.util.Map.Entry<String, String> h : headers.entrySet()) {
            pairs[i++] = h.getKey();
            pairs[i++] = h.getValue();
        }
        return ProblemResponses.simple(alloc, status, contentType, body, close, pairs);
    }
}

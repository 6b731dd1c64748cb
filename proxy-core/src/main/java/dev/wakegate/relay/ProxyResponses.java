package dev.wakegate.relay;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;

/**
 * Complete responses the proxy writes itself, as raw HTTP/1.1 bytes: problem+json errors
 * (RFC 9457), the waiting page for browser navigations, and local endpoint answers. Each method
 * returns a new buffer the caller writes (and so hands over).
 */
public final class ProxyResponses {
    /** Seconds a client should wait before retrying a 503 while containers start. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private ProxyResponses() {
    }

    /** {@code application/problem+json} with {@code detail}, and {@code container} when not null. */
    public static ByteBuf problem(ByteBufAllocator alloc, int status, String detail, String container,
                                  boolean close, boolean retryAfter) {
        String title = reason(status);
        StringBuilder json = new StringBuilder(128)
                .append("{\"type\":\"about:blank\",\"title\":");
        quote(json, title).append(",\"status\":").append(status);
        if (detail != null) {
            quote(json.append(",\"detail\":"), detail);
        }
        if (container != null) {
            quote(json.append(",\"container\":"), container);
        }
        json.append('}');
        String extra = (retryAfter ? "Retry-After: " + RETRY_AFTER_SECONDS + "\r\n" : "") + "Cache-Control: no-store\r\n";
        return response(alloc, status, "application/problem+json", extra, json.toString().getBytes(StandardCharsets.UTF_8), close);
    }

    /** The 503 waiting page: refreshes itself, never cached. */
    public static ByteBuf waitingPage(ByteBufAllocator alloc, String path, boolean headRequest, boolean close) {
        String html = "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"refresh\" content=\"" + RETRY_AFTER_SECONDS + "\">"
                + "<title>Starting…</title>"
                + "<style>body{font-family:sans-serif;margin:4em auto;max-width:32em;color:#333}</style>"
                + "</head><body><h1>Starting up…</h1>"
                + "<p>The service behind this page is starting. This page reloads by itself in a few seconds.</p>"
                + "</body></html>\n";
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        String extra = "Retry-After: " + RETRY_AFTER_SECONDS + "\r\nCache-Control: no-store\r\n";
        if (headRequest) {
            return head(alloc, 503, "text/html; charset=utf-8", extra, body.length, close);
        }
        return response(alloc, 503, "text/html; charset=utf-8", extra, body, close);
    }

    /** A complete response with a body; {@code extraHeaders} are full lines ending in CRLF. */
    public static ByteBuf response(ByteBufAllocator alloc, int status, String contentType, String extraHeaders,
                                   byte[] body, boolean close) {
        ByteBuf out = head(alloc, status, contentType, extraHeaders, body.length, close);
        out.writeBytes(body);
        return out;
    }

    private static ByteBuf head(ByteBufAllocator alloc, int status, String contentType, String extraHeaders,
                                int contentLength, boolean close) {
        String head = "HTTP/1.1 " + status + ' ' + reason(status) + "\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + "Content-Length: " + contentLength + "\r\n"
                + extraHeaders
                + (close ? "Connection: close\r\n" : "")
                + "\r\n";
        ByteBuf out = alloc.buffer(head.length() + contentLength);
        out.writeCharSequence(head, StandardCharsets.US_ASCII);
        return out;
    }

    static String reason(int status) {
        return HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        return sb.append('"');
    }
}

package dev.wakegate.accesslog;

import dev.wakegate.http1.RequestHead;
import io.netty.buffer.ByteBuf;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One line of the access log, as the data path knows it when a response is complete: the bytes
 * of the request line, User-Agent and Referer copied once from the parsed head (offsets the
 * parser kept, no second parse), and the numbers and names the exchange already holds. Made and
 * filled on an event loop, then handed to the {@link AccessLog}'s writer thread, which formats it
 * (the queue's hand-off publishes the fields); never touched by the loop after {@link AccessLog#submit}.
 */
public final class AccessEntry {
    private static final byte[] NONE = new byte[0];

    String remoteAddr = "-";
    @Nullable String method;             // null for a head that was refused before it was parsed
    boolean http11;
    @Nullable String host;
    long startNanos;
    // bytes [0, lineEnd) the request line, [uaStart, uaEnd) User-Agent, [refStart, refEnd) Referer
    byte[] bytes = NONE;
    int lineEnd;
    int targetStart;
    int targetEnd;
    int uaStart;
    int uaEnd;
    int refStart;
    int refEnd;

    long epochMillis;
    int status;
    long bodyBytes;
    long bytesSent;
    long durationNanos;
    @Nullable String route;
    @Nullable String upstream;
    long coldStartNanos = -1;
    List<String> containers = List.of();

    /** Made by {@link AccessLog#entry} (reused: one a line in flight, not one a request) or by the factories below. */
    AccessEntry() {
    }

    /**
     * The entry of the request whose parsed head starts at {@code base} in {@code in}: one array
     * with the request line, User-Agent and Referer bytes. Not pooled (tests, tools).
     */
    public static AccessEntry of(ByteBuf in, int base, RequestHead head, String remoteAddr, long startNanos) {
        return new AccessEntry().fill(in, base, head, remoteAddr, startNanos);
    }

    /** The entry of a head that was refused before it could be parsed (400, 408, 431, ...): no request line. Not pooled. */
    public static AccessEntry refused(String remoteAddr, long startNanos) {
        return new AccessEntry().fillRefused(remoteAddr, startNanos);
    }

    /** Fills this entry with what the parsed head at {@code base} of {@code in} says (its array grows as needed, never shrinks). */
    AccessEntry fill(ByteBuf in, int base, RequestHead head, String remote, long start) {
        int end = base + head.requestLineLength();
        int lineStart = base;
        while (lineStart < end && (in.getByte(lineStart) == '\r' || in.getByte(lineStart) == '\n')) {
            lineStart++; // empty lines before the request line (RFC 9112 2.2 lets a server skip them)
        }
        int lineLength = end - lineStart;
        int ua = head.userAgentIndex();
        int ref = head.refererIndex();
        int uaLength = ua < 0 ? 0 : head.valueEnd(ua) - head.valueStart(ua);
        int refLength = ref < 0 ? 0 : head.valueEnd(ref) - head.valueStart(ref);
        int size = lineLength + uaLength + refLength;
        if (bytes.length < size) {
            bytes = new byte[Math.max(size, 256)];
        }
        in.getBytes(lineStart, bytes, 0, lineLength);
        if (ua >= 0) {
            in.getBytes(base + head.valueStart(ua), bytes, lineLength, uaLength);
        }
        if (ref >= 0) {
            in.getBytes(base + head.valueStart(ref), bytes, lineLength + uaLength, refLength);
        }
        remoteAddr = remote;
        method = head.method();
        http11 = head.isHttp11();
        host = head.host();
        startNanos = start;
        lineEnd = lineLength;
        // "METHOD SP target SP HTTP/1.x": the parser checked that shape, so the target is in between
        targetStart = Math.min((method == null ? 0 : method.length()) + 1, lineLength);
        targetEnd = Math.max(targetStart, lineLength - 9);
        uaStart = ua < 0 ? -1 : lineLength;
        uaEnd = lineLength + uaLength;
        refStart = ref < 0 ? -1 : lineLength + uaLength;
        refEnd = size;
        return this;
    }

    AccessEntry fillRefused(String remote, long start) {
        remoteAddr = remote;
        method = null;
        http11 = true;
        host = null;
        startNanos = start;
        lineEnd = 0;
        targetStart = 0;
        targetEnd = 0;
        uaStart = -1;
        uaEnd = 0;
        refStart = -1;
        refEnd = 0;
        return this;
    }

    /**
     * Completes the entry: the response's status, the bytes the client was sent (its body, and
     * everything), and what served the request; {@code coldStart} is -1 when it did not wait.
     */
    public AccessEntry complete(int responseStatus, long responseBodyBytes, long responseBytes, long endNanos,
                                @Nullable String routeName, @Nullable String upstreamName, long coldStart, List<String> containerNames) {
        this.epochMillis = System.currentTimeMillis();
        this.status = responseStatus;
        this.bodyBytes = responseBodyBytes;
        this.bytesSent = responseBytes;
        this.durationNanos = Math.max(0, endNanos - startNanos);
        this.route = routeName;
        this.upstream = upstreamName;
        this.coldStartNanos = coldStart;
        this.containers = containerNames;
        return this;
    }

    /** The status the line shows ({@code 0} until completed). */
    public int status() {
        return status;
    }

    /** Lets go of what the line referred to, before the entry waits to be reused. */
    void clear() {
        remoteAddr = "-";
        method = null;
        host = null;
        route = null;
        upstream = null;
        containers = List.of();
    }
}

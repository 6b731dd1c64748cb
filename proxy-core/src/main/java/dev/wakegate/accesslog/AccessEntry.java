package dev.wakegate.accesslog;

import dev.wakegate.http1.RequestHead;
import io.netty.buffer.ByteBuf;

import java.util.List;

/**
 * One line of the access log, as the data path knows it when a response is complete: the bytes
 * of the request line, User-Agent and Referer copied once from the parsed head (offsets the
 * parser kept, no second parse), and the numbers and names the exchange already holds. Made and
 * filled on an event loop, then handed to the {@link AccessLog}'s writer thread, which formats it
 * (the queue's hand-off publishes the fields); never touched by the loop after {@link AccessLog#submit}.
 */
public final class AccessEntry {
    private static final byte[] NONE = new byte[0];

    final String remoteAddr;
    final String method;             // null for a head that was refused before it was parsed
    final boolean http11;
    final String host;
    final long startNanos;
    // bytes [0, lineEnd) the request line, [uaStart, uaEnd) User-Agent, [refStart, refEnd) Referer
    final byte[] bytes;
    final int lineEnd;
    final int targetStart;
    final int targetEnd;
    final int uaStart;
    final int uaEnd;
    final int refStart;
    final int refEnd;

    long epochMillis;
    int status;
    long bodyBytes;
    long bytesSent;
    long durationNanos;
    String route;
    String upstream;
    long coldStartNanos = -1;
    List<String> containers = List.of();

    private AccessEntry(String remoteAddr, String method, boolean http11, String host, long startNanos, byte[] bytes,
                        int lineEnd, int targetStart, int targetEnd, int uaStart, int uaEnd, int refStart, int refEnd) {
        this.remoteAddr = remoteAddr;
        this.method = method;
        this.http11 = http11;
        this.host = host;
        this.startNanos = startNanos;
        this.bytes = bytes;
        this.lineEnd = lineEnd;
        this.targetStart = targetStart;
        this.targetEnd = targetEnd;
        this.uaStart = uaStart;
        this.uaEnd = uaEnd;
        this.refStart = refStart;
        this.refEnd = refEnd;
    }

    /**
     * The entry of the request whose parsed head starts at {@code base} in {@code in}: one array
     * with the request line, User-Agent and Referer bytes.
     */
    public static AccessEntry of(ByteBuf in, int base, RequestHead head, String remoteAddr, long startNanos) {
        int lineEnd = base + head.requestLineLength();
        int lineStart = base;
        while (lineStart < lineEnd && (in.getByte(lineStart) == '\r' || in.getByte(lineStart) == '\n')) {
            lineStart++; // empty lines before the request line (RFC 9112 2.2 lets a server skip them)
        }
        int lineLength = lineEnd - lineStart;
        int ua = head.userAgentIndex();
        int ref = head.refererIndex();
        int uaLength = ua < 0 ? 0 : head.valueEnd(ua) - head.valueStart(ua);
        int refLength = ref < 0 ? 0 : head.valueEnd(ref) - head.valueStart(ref);
        byte[] b = new byte[lineLength + uaLength + refLength];
        in.getBytes(lineStart, b, 0, lineLength);
        if (ua >= 0) {
            in.getBytes(base + head.valueStart(ua), b, lineLength, uaLength);
        }
        if (ref >= 0) {
            in.getBytes(base + head.valueStart(ref), b, lineLength + uaLength, refLength);
        }
        // "METHOD SP target SP HTTP/1.x": the parser checked that shape, so the target is in between
        int targetStart = Math.min(head.method().length() + 1, lineLength);
        int targetEnd = Math.max(targetStart, lineLength - 9);
        return new AccessEntry(remoteAddr, head.method(), head.isHttp11(), head.host(), startNanos, b, lineLength,
                targetStart, targetEnd,
                ua < 0 ? -1 : lineLength, lineLength + uaLength,
                ref < 0 ? -1 : lineLength + uaLength, lineLength + uaLength + refLength);
    }

    /** The entry of a head that was refused before it could be parsed (400, 408, 431, ...): no request line. */
    public static AccessEntry refused(String remoteAddr, long startNanos) {
        return new AccessEntry(remoteAddr, null, true, null, startNanos, NONE, 0, 0, 0, -1, 0, -1, 0);
    }

    /**
     * Completes the entry: the response's status, the bytes the client was sent (its body, and
     * everything), and what served the request; {@code coldStartNanos} is -1 when it did not wait.
     */
    public AccessEntry complete(int responseStatus, long responseBodyBytes, long responseBytes, long endNanos,
                                String routeName, String upstreamName, long coldStart, List<String> containerNames) {
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
}

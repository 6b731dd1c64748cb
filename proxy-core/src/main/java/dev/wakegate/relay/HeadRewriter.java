package dev.wakegate.relay;

import dev.wakegate.http1.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;

/**
 * Builds the request head sent upstream from the client's original bytes: the request line and
 * every end-to-end header line are copied by offset (no re-encoding); hop-by-hop headers
 * (Connection, Keep-Alive, Proxy-Connection, TE, Trailer, and Upgrade unless the request upgrades)
 * and any client-sent X-Forwarded-Proto/-Host are dropped; X-Forwarded-For gets the client address
 * appended to what the client sent; X-Forwarded-Proto and X-Forwarded-Host are set. Stateless.
 */
final class HeadRewriter {
    private static final byte[] CONNECTION = ascii("connection");
    private static final byte[] KEEP_ALIVE = ascii("keep-alive");
    private static final byte[] PROXY_CONNECTION = ascii("proxy-connection");
    private static final byte[] TE = ascii("te");
    private static final byte[] TRAILER = ascii("trailer");
    private static final byte[] UPGRADE = ascii("upgrade");
    private static final byte[] XFF = ascii("x-forwarded-for");
    private static final byte[] XF_PROTO = ascii("x-forwarded-proto");
    private static final byte[] XF_HOST = ascii("x-forwarded-host");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] XFF_PREFIX = ascii("X-Forwarded-For: ");
    private static final byte[] HOST_PREFIX = ascii("X-Forwarded-Host: ");
    private static final byte[] CONNECTION_UPGRADE = ascii("Connection: upgrade\r\n");

    private HeadRewriter() {
    }

    /**
     * The head of the request at the front of {@code in} ({@code headLength} bytes, which are
     * consumed), rewritten for the upstream into a new buffer (handed to the caller), with the
     * X-Forwarded-For of {@code client}.
     */
    static ByteBuf rewrite(ByteBufAllocator alloc, ByteBuf in, int headLength, RequestHead head, ClientAddress client,
                           Scheme scheme) {
        ByteBuf out = alloc.buffer(headLength + 160);
        rewrite(in, in.readerIndex(), head, client.ip(), client.forwardedCutField(), client.forwardedCutAt(), scheme, out);
        in.skipBytes(headLength);
        return out;
    }

    /**
     * Appends the rewritten head to {@code out}.
     *
     * @param in       buffer holding the head, starting at {@code base}
     * @param clientIp the client's address text for X-Forwarded-For
     * @param scheme   the listener the request came in on, for X-Forwarded-Proto
     */
    static void rewrite(ByteBuf in, int base, RequestHead head, String clientIp, Scheme scheme, ByteBuf out) {
        rewrite(in, base, head, clientIp, -1, 0, scheme, out);
    }

    /**
     * As {@link #rewrite(ByteBuf, int, RequestHead, String, Scheme, ByteBuf)}, where the client came
     * from X-Forwarded-For: its entry starts at {@code cutAt} (relative to {@code base}) in field
     * {@code cutField}, and the X-Forwarded-For sent on keeps what is left of it, then the client
     * (the trusted hops to its right are dropped); {@code cutField} -1: everything the client sent,
     * then the client.
     */
    static void rewrite(ByteBuf in, int base, RequestHead head, String clientIp, int cutField, int cutAt, Scheme scheme,
                        ByteBuf out) {
        boolean upgrading = head.upgrade() != null;
        int count = head.headerCount();
        int lineEnd = count > 0 ? head.nameStart(0) : head.headLength() - 2;
        out.writeBytes(in, base, lineEnd);           // request line with its CRLF
        int xffFirst = -1;
        int xffCount = 0;
        for (int i = 0; i < count; i++) {
            int ns = base + head.nameStart(i);
            int nl = head.nameEnd(i) - head.nameStart(i);
            if (nameIs(in, ns, nl, XFF)) {
                if (xffFirst < 0) {
                    xffFirst = i;
                }
                xffCount++;
                continue;
            }
            if (nameIs(in, ns, nl, CONNECTION) || nameIs(in, ns, nl, KEEP_ALIVE)
                    || nameIs(in, ns, nl, PROXY_CONNECTION) || nameIs(in, ns, nl, TE) || nameIs(in, ns, nl, TRAILER)
                    || (!upgrading && nameIs(in, ns, nl, UPGRADE))
                    || nameIs(in, ns, nl, XF_PROTO) || nameIs(in, ns, nl, XF_HOST)) {
                continue;
            }
            out.writeBytes(in, ns, base + head.valueEnd(i) - ns).writeBytes(CRLF);
        }
        if (upgrading) {
            out.writeBytes(CONNECTION_UPGRADE);
        }
        out.writeBytes(XFF_PREFIX);
        if (xffCount > 0) {
            int last = cutField >= 0 ? cutField : count - 1;
            for (int i = xffFirst; i <= last; i++) {
                int ns = base + head.nameStart(i);
                if (nameIs(in, ns, head.nameEnd(i) - head.nameStart(i), XFF)) {
                    int vs = base + head.valueStart(i);
                    if (i == cutField) {
                        out.writeBytes(in, vs, base + cutAt - vs); // the entries left of the client, with their comma
                        break;
                    }
                    int vl = head.valueEnd(i) - head.valueStart(i);
                    if (vl > 0) {
                        out.writeBytes(in, vs, vl).writeByte(',').writeByte(' ');
                    }
                }
            }
        }
        out.writeCharSequence(clientIp, StandardCharsets.US_ASCII);
        out.writeBytes(CRLF).writeBytes(scheme.forwardedProtoLine);
        if (head.host() != null) {
            out.writeBytes(HOST_PREFIX).writeCharSequence(head.host(), StandardCharsets.ISO_8859_1);
            out.writeBytes(CRLF);
        }
        out.writeBytes(CRLF);
    }

    /** Whether the header name at {@code start} is X-Forwarded-For. */
    static boolean isForwardedFor(ByteBuf in, int start, int length) {
        return nameIs(in, start, length, XFF);
    }

    /** Case-insensitive compare of a header name in {@code in} with a lower-case ASCII name (also for {@link HttpsPolicy}). */
    static boolean nameIs(ByteBuf in, int start, int length, byte[] lowerName) {
        if (length != lowerName.length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            int b = in.getByte(start + k);
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lowerName[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

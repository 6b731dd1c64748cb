package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;

/**
 * Parses upstream response heads (status line + headers) with the same bounded, incremental
 * approach and line rules as {@link RequestHeadParser}; one per upstream connection, {@link #reset}
 * before each response (including after a 1xx).
 *
 * <p>The proxy forwards the upstream's bytes, so a head the client might frame differently is
 * refused here (the proxy answers 502): bare CR, obs-fold, CL together with TE, more than one
 * Content-Length, chunked applied twice or not last. Lenient only where that is safe: the reason
 * phrase may be empty or missing (with or without the SP before it), and a bare LF ends a line
 * (as nginx and HAProxy read it; busybox httpd's CGI heads and older servers send them): such a
 * head is rewritten with CRLF before it is forwarded ({@link #withCrLf}), so the client sees the
 * lines this parser saw. A Transfer-Encoding whose last coding is not chunked means the body runs
 * until the connection closes.
 */
public final class ResponseHeadParser extends HeadScanner<ResponseHead> {
    private static final byte[] CONNECTION = Ascii.lower("connection");
    private static final byte[] CONTENT_LENGTH = Ascii.lower("content-length");
    private static final byte[] TRANSFER_ENCODING = Ascii.lower("transfer-encoding");

    private int contentLengthCount;
    private int transferEncodingCount;
    private boolean chunkedSeen;
    private boolean chunkedLast;

    public ResponseHeadParser(int maxHeadSize) {
        super(maxHeadSize, false, true);
    }

    /**
     * A copy of the {@code length}-byte head at the start of {@code in} (reader index untouched)
     * with every bare LF turned into CRLF, followed by the rest of {@code in}. The caller releases
     * {@code in} and parses the copy again (so field positions match the bytes forwarded).
     */
    public static ByteBuf withCrLf(io.netty.buffer.ByteBufAllocator alloc, ByteBuf in, int length) {
        int from = in.readerIndex();
        int lfs = 0;
        for (int i = 0; i < length; i++) {
            if (in.getByte(from + i) == '\n') {
                lfs++;
            }
        }
        ByteBuf out = alloc.buffer(in.readableBytes() + lfs);
        for (int i = 0; i < length; i++) {
            byte b = in.getByte(from + i);
            if (b == '\n' && (i == 0 || in.getByte(from + i - 1) != '\r')) {
                out.writeByte('\r');
            }
            out.writeByte(b);
        }
        out.writeBytes(in, from + length, in.readableBytes() - length);
        return out;
    }

    @Override
    public void reset() {
        super.reset();
    }

    /**
     * Parses the head at {@code in.readerIndex()} without moving the reader index.
     *
     * @return head length when complete, {@link RequestHead#NEED_MORE}, or {@link RequestHead#ERROR}
     *         (malformed or over-large head: the proxy answers 502)
     */
    public int parse(ByteBuf in, ResponseHead head) {
        return scan(in, head);
    }

    @Override
    void begin(ResponseHead head) {
        head.reset();
        contentLengthCount = 0;
        transferEncodingCount = 0;
        chunkedSeen = false;
        chunkedLast = false;
    }

    @Override
    int firstLineLimit(int lineStart) {
        return Integer.MAX_VALUE;
    }

    @Override
    int firstLineLimitStatus() {
        return 431;
    }

    @Override
    void error(ResponseHead head, int status, String reason) {
        head.errorReason = reason;
    }

    @Override
    boolean firstLine(ResponseHead head, byte[] a, int base, int start, int end) {
        // HTTP-version SP 3DIGIT [SP reason-phrase]
        int v = start;
        if (end - start < 12 || a[v] != 'H' || a[v + 1] != 'T' || a[v + 2] != 'T' || a[v + 3] != 'P'
                || a[v + 4] != '/' || a[v + 5] != '1' || a[v + 6] != '.' || (a[v + 7] != '0' && a[v + 7] != '1')
                || a[v + 8] != Ascii.SP) {
            return fail(head, 502, "malformed status line");
        }
        int s = v + 9;
        if (!Ascii.isDigit(a[s]) || !Ascii.isDigit(a[s + 1]) || !Ascii.isDigit(a[s + 2])) {
            return fail(head, 502, "malformed status code");
        }
        int status = (a[s] - '0') * 100 + (a[s + 1] - '0') * 10 + (a[s + 2] - '0');
        if (status < 100 || status > 599) {
            return fail(head, 502, "status code out of range");
        }
        if (s + 3 < end) {
            if (a[s + 3] != Ascii.SP) {
                return fail(head, 502, "malformed status line");
            }
            for (int i = s + 4; i < end; i++) {
                if (!Ascii.isTargetChar(a[i]) && a[i] != Ascii.SP && a[i] >= 0) {
                    return fail(head, 502, "invalid character in the reason phrase");
                }
            }
        }
        head.http11 = a[v + 7] == '1';
        head.status = status;
        return true;
    }

    @Override
    boolean field(ResponseHead head, byte[] a, int base, int ns, int ne, int vs, int ve) {
        head.addField(ns - base, ne - base, vs - base, ve - base);
        switch (ne - ns) {
            case 10:
                if (Ascii.equalsLower(a, ns, CONNECTION)) {
                    int tokens = connectionTokens(a, vs, ve);
                    head.connectionClose |= (tokens & CONNECTION_CLOSE) != 0;
                    head.connectionKeepAlive |= (tokens & CONNECTION_KEEP_ALIVE) != 0;
                }
                break;
            case 14:
                if (Ascii.equalsLower(a, ns, CONTENT_LENGTH)) {
                    if (++contentLengthCount > 1) {
                        return fail(head, 502, "more than one Content-Length field");
                    }
                    long length = RequestHeadParser.parseLength(a, vs, ve);
                    if (length < 0) {
                        return fail(head, 502, "invalid Content-Length");
                    }
                    head.contentLength = length;
                }
                break;
            case 17:
                if (Ascii.equalsLower(a, ns, TRANSFER_ENCODING)) {
                    transferEncodingCount++;
                    return transferCodings(head, a, vs, ve);
                }
                break;
            default:
                break;
        }
        return true;
    }

    /** Walks a coding list: chunked may appear once, and only as the last coding overall. */
    private boolean transferCodings(ResponseHead head, byte[] a, int vs, int ve) {
        int i = vs;
        boolean any = false;
        while (i < ve) {
            int ts = Ascii.nextListElement(a, i, ve);
            if (ts == ve) {
                break;
            }
            i = Ascii.listElementEnd(a, ts, ve);
            int te = Ascii.trimOws(a, ts, i);
            any = true;
            if (chunkedSeen) {
                return fail(head, 502, "a transfer coding after chunked");
            }
            if (Ascii.equalsLower(a, ts, te, "chunked")) {
                chunkedSeen = true;
                chunkedLast = true;
            }
        }
        if (!any) {
            return fail(head, 502, "empty Transfer-Encoding");
        }
        return true;
    }

    @Override
    boolean end(ResponseHead head, int headLength) {
        if (transferEncodingCount > 0) {
            if (contentLengthCount > 0) {
                return fail(head, 502, "both Content-Length and Transfer-Encoding");
            }
            if (!head.http11) {
                return fail(head, 502, "Transfer-Encoding in an HTTP/1.0 response");
            }
            if (chunkedLast) {
                head.chunked = true;
            } else {
                head.connectionClose = true; // the body runs until close, so the connection cannot be reused
            }
        }
        head.headLength = headLength;
        return true;
    }
}

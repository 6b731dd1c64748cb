package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, strict RFC 9112 request-head parser. Used by one connection at a time (not
 * thread-safe); {@link #reset} before each request.
 *
 * <p>{@link #parse} looks at the readable bytes of a cumulation buffer without consuming them and
 * resumes scanning where the last call stopped, so a head that arrives a byte at a time costs
 * linear work. Errors are values: {@link RequestHead#ERROR} with {@link RequestHead#errorStatus()}
 * 400 (malformed line or header, CL+TE, conflicting Content-Length, obs-fold, whitespace before a
 * colon, bare CR, NUL, missing Host, bad version), 414 (request line over the limit), 431 (head or
 * header count over the limit), 501 (a Transfer-Encoding other than chunked) or 505 (a well-formed
 * HTTP version other than 1.0 and 1.1).
 *
 * <p>Where RFC 9112 leaves a choice, this parser takes the strict one: lines end with CRLF only (a
 * bare LF is rejected); exactly one SP separates the parts of the request line; the target is
 * VCHARs only (no obs-text); Content-Length is 1*DIGIT and may appear once (a repeated field, even
 * with the same value, and comma lists are rejected, like Netty's default); Transfer-Encoding in an
 * HTTP/1.0 request is 400; more than one Host or Authorization field is 400. Empty lines before the
 * request line are skipped and counted in the head length.
 */
public final class RequestHeadParser extends HeadScanner<RequestHead> {
    private static final byte[] HOST = Ascii.lower("host");
    private static final byte[] ACCEPT = Ascii.lower("accept");
    private static final byte[] USER_AGENT = Ascii.lower("user-agent");
    private static final byte[] EXPECT = Ascii.lower("expect");
    private static final byte[] UPGRADE = Ascii.lower("upgrade");
    private static final byte[] CONNECTION = Ascii.lower("connection");
    private static final byte[] REFERER = Ascii.lower("referer");
    private static final byte[] X_FORWARDED_FOR = Ascii.lower("x-forwarded-for");
    private static final byte[] AUTHORIZATION = Ascii.lower("authorization");
    private static final byte[] CONTENT_LENGTH = Ascii.lower("content-length");
    private static final byte[] TRANSFER_ENCODING = Ascii.lower("transfer-encoding");

    private final int maxRequestLine;
    private final int maxHeaders;

    // per-request field bookkeeping that the head itself does not expose
    private int hostCount;
    private int contentLengthCount;
    private int transferEncodingCount;
    private int authorizationCount;

    public RequestHeadParser(int maxRequestLine, int maxHeadSize, int maxHeaders) {
        super(maxHeadSize, true);
        if (maxRequestLine < 16 || maxHeaders < 1) {
            throw new IllegalArgumentException("limits too small: maxRequestLine=" + maxRequestLine
                    + ", maxHeaders=" + maxHeaders);
        }
        this.maxRequestLine = maxRequestLine;
        this.maxHeaders = maxHeaders;
    }

    /** Forget any partial scan; call before parsing the next request. */
    @Override
    public void reset() {
        super.reset();
    }

    /**
     * Parses the head starting at {@code in.readerIndex()}; does not move the reader index.
     * The same {@code head} must be passed until the parse completes; it is reset on the first call
     * after {@link #reset}.
     *
     * @return the head length in bytes when complete ({@code head} is filled), {@link RequestHead#NEED_MORE}
     *         when more bytes are needed (and the limits are not yet exceeded), or {@link RequestHead#ERROR}
     */
    public int parse(ByteBuf in, RequestHead head) {
        return scan(in, head);
    }

    @Override
    void begin(RequestHead head) {
        head.prepare();
        hostCount = 0;
        contentLengthCount = 0;
        transferEncodingCount = 0;
        authorizationCount = 0;
    }

    @Override
    int firstLineLimit(int lineStart) {
        // content of at most maxRequestLine bytes, then CRLF
        return lineStart + maxRequestLine + 2;
    }

    @Override
    int firstLineLimitStatus() {
        return 414;
    }

    @Override
    void error(RequestHead head, int status, String reason) {
        head.errorStatus = status;
        head.errorReason = reason;
    }

    @Override
    boolean firstLine(RequestHead head, byte[] a, int base, int start, int end) {
        int i = start;
        while (i < end && Ascii.isTchar(a[i])) {
            i++;
        }
        if (i == start || i == end || a[i] != Ascii.SP) {
            return fail(head, 400, "malformed method in the request line");
        }
        int methodEnd = i;
        int targetStart = i + 1;
        // request-line = method SP request-target SP HTTP-version, and the version is 8 bytes
        int versionStart = end - 8;
        if (versionStart - 1 <= targetStart || a[versionStart - 1] != Ascii.SP) {
            return fail(head, 400, "malformed request line");
        }
        int targetEnd = versionStart - 1;
        if (!version(head, a, versionStart)) {
            return false;
        }
        if (!Ascii.targetChars(a, targetStart, targetEnd)) {
            return fail(head, 400, "invalid character in the request target");
        }
        int queryStart = pathEnd(a, targetStart, targetEnd);
        head.method = method(a, start, methodEnd);
        return target(head, a, base, targetStart, targetEnd, queryStart);
    }

    private boolean version(RequestHead head, byte[] a, int v) {
        if (a[v] != 'H' || a[v + 1] != 'T' || a[v + 2] != 'T' || a[v + 3] != 'P' || a[v + 4] != '/'
                || !Ascii.isDigit(a[v + 5]) || a[v + 6] != '.' || !Ascii.isDigit(a[v + 7])) {
            return fail(head, 400, "malformed HTTP version");
        }
        if (a[v + 5] == '1' && a[v + 7] == '1') {
            head.http11 = true;
            return true;
        }
        if (a[v + 5] == '1' && a[v + 7] == '0') {
            head.http11 = false;
            return true;
        }
        return fail(head, 505, "HTTP version not supported");
    }

    private boolean target(RequestHead head, byte[] a, int base, int start, int end, int queryStart) {
        byte first = a[start];
        String method = head.method;
        if (method == Methods.CONNECT) {
            // authority-form only: host:port, nothing else
            for (int i = start; i < end; i++) {
                byte b = a[i];
                if (b == '/' || b == '?' || b == '#' || b == '@') {
                    return fail(head, 400, "CONNECT needs an authority-form target");
                }
            }
            head.uri = Ascii.string(a, start, end);
            head.path = head.uri;
            return true;
        }
        if (first == '/') {
            head.path = Ascii.string(a, start, queryStart);
            if (queryStart == end) {
                head.uri = head.path;
            } else {
                head.uriStart = start - base;
                head.uriEnd = end - base;
            }
            return true;
        }
        if (first == '*') {
            if (end - start != 1 || method != Methods.OPTIONS) {
                return fail(head, 400, "asterisk-form target is only for OPTIONS");
            }
            head.uri = "*";
            head.path = "*";
            return true;
        }
        // absolute-form: scheme "://" authority [path-abempty] ["?" query]
        int i = start;
        if (!isAlpha(first)) {
            return fail(head, 400, "malformed request target");
        }
        while (i < end && (isAlpha(a[i]) || Ascii.isDigit(a[i]) || a[i] == '+' || a[i] == '-' || a[i] == '.')) {
            i++;
        }
        if (end - i < 3 || a[i] != ':' || a[i + 1] != '/' || a[i + 2] != '/') {
            return fail(head, 400, "malformed request target");
        }
        int authorityStart = i + 3;
        int p = authorityStart;
        while (p < end && a[p] != '/' && a[p] != '?' && a[p] != '#') {
            p++;
        }
        if (p == authorityStart) {
            return fail(head, 400, "absolute-form target without a host");
        }
        head.uriStart = start - base;
        head.uriEnd = end - base;
        if (p == end || a[p] != '/') {
            head.path = "/";
        } else {
            head.path = Ascii.string(a, p, pathEnd(a, p, end));
        }
        return true;
    }

    private static int pathEnd(byte[] a, int start, int end) {
        for (int i = start; i < end; i++) {
            if (a[i] == '?' || a[i] == '#') {
                return i;
            }
        }
        return end;
    }

    private static boolean isAlpha(byte b) {
        int lower = b | 0x20;
        return lower >= 'a' && lower <= 'z';
    }

    private static String method(byte[] a, int start, int end) {
        String known = Methods.known(a, start, end);
        return known != null ? known : Ascii.string(a, start, end);
    }

    @Override
    boolean field(RequestHead head, byte[] a, int base, int ns, int ne, int vs, int ve) {
        int n = head.headerCount;
        if (n >= maxHeaders) {
            return fail(head, 431, "too many header fields");
        }
        if (n == head.nameStart.length) {
            head.grow(Math.min(maxHeaders, n * 2));
        }
        head.nameStart[n] = ns - base;
        head.nameEnd[n] = ne - base;
        head.valueStart[n] = vs - base;
        head.valueEnd[n] = ve - base;
        head.headerCount = n + 1;

        switch (ne - ns) {
            case 4:
                if (Ascii.equalsLower(a, ns, HOST)) {
                    return host(head, a, vs, ve);
                }
                break;
            case 6:
                if (Ascii.equalsLower(a, ns, ACCEPT)) {
                    if (head.accept == null && head.acceptStart < 0) {
                        head.acceptStart = vs - base;
                        head.acceptEnd = ve - base;
                    } else {
                        head.accept = joined(a, base, head.accept, head.acceptStart, head.acceptEnd, vs, ve);
                        head.acceptStart = -1;
                    }
                } else if (Ascii.equalsLower(a, ns, EXPECT)) {
                    head.expect = null;
                    head.expectStart = vs - base;
                    head.expectEnd = ve - base;
                    head.expectContinue = Ascii.equalsLower(a, vs, ve, "100-continue");
                }
                break;
            case 7:
                if (Ascii.equalsLower(a, ns, UPGRADE)) {
                    if (head.upgrade == null && head.upgradeStart < 0) {
                        head.upgradeStart = vs - base;
                        head.upgradeEnd = ve - base;
                    } else {
                        head.upgrade = joined(a, base, head.upgrade, head.upgradeStart, head.upgradeEnd, vs, ve);
                        head.upgradeStart = -1;
                    }
                } else if (head.referer < 0 && Ascii.equalsLower(a, ns, REFERER)) {
                    head.referer = n;
                }
                break;
            case 10:
                if (Ascii.equalsLower(a, ns, CONNECTION)) {
                    connection(head, a, vs, ve);
                } else if (head.userAgent < 0 && Ascii.equalsLower(a, ns, USER_AGENT)) {
                    head.userAgent = n;
                }
                break;
            case 13:
                if (Ascii.equalsLower(a, ns, AUTHORIZATION)) {
                    if (++authorizationCount > 1) {
                        return fail(head, 400, "more than one Authorization field");
                    }
                    head.authorizationStart = vs - base;
                    head.authorizationEnd = ve - base;
                }
                break;
            case 14:
                if (Ascii.equalsLower(a, ns, CONTENT_LENGTH)) {
                    return contentLength(head, a, vs, ve);
                }
                break;
            case 15:
                if (Ascii.equalsLower(a, ns, X_FORWARDED_FOR)) {
                    if (head.forwardedForFirst < 0) {
                        head.forwardedForFirst = n;
                    }
                    head.forwardedForLast = n;
                }
                break;
            case 17:
                if (Ascii.equalsLower(a, ns, TRANSFER_ENCODING)) {
                    transferEncodingCount++;
                    String v = Ascii.string(a, vs, ve);
                    head.transferEncoding = head.transferEncoding == null ? v : head.transferEncoding + ", " + v;
                }
                break;
            default:
                break;
        }
        return true;
    }

    /** A repeated field's values joined with ", ": the earlier one is {@code built} or at [start, end) relative to {@code base}. */
    private static String joined(byte[] a, int base, @Nullable String built, int start, int end, int vs, int ve) {
        String earlier = start >= 0 ? Ascii.string(a, base + start, base + end) : built;
        return earlier + ", " + Ascii.string(a, vs, ve);
    }

    @Override
    void complete(RequestHead head, byte[] a, int base, int headLength) {
        if (head.hasLazyValues()) {
            head.raw = keep(a, base, headLength, head.raw);
        }
    }

    private boolean host(RequestHead head, byte[] a, int vs, int ve) {
        if (++hostCount > 1) {
            return fail(head, 400, "more than one Host field");
        }
        for (int i = vs; i < ve; i++) {
            if (!Ascii.isHostChar(a[i])) {
                return fail(head, 400, "invalid Host");
            }
        }
        head.host = Ascii.string(a, vs, ve);
        return true;
    }

    private boolean contentLength(RequestHead head, byte[] a, int vs, int ve) {
        if (++contentLengthCount > 1) {
            return fail(head, 400, "more than one Content-Length field");
        }
        long length = parseLength(a, vs, ve);
        if (length < 0) {
            return fail(head, 400, "invalid Content-Length");
        }
        head.contentLength = length;
        return true;
    }

    /** 1*DIGIT without sign, separators or overflow (at most 18 significant digits), or -1. */
    static long parseLength(byte[] a, int vs, int ve) {
        if (vs == ve) {
            return -1;
        }
        long value = 0;
        for (int i = vs; i < ve; i++) {
            byte b = a[i];
            if (!Ascii.isDigit(b)) {
                return -1;
            }
            if (value > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static void connection(RequestHead head, byte[] a, int vs, int ve) {
        int tokens = connectionTokens(a, vs, ve);
        head.connectionClose |= (tokens & CONNECTION_CLOSE) != 0;
        head.connectionKeepAlive |= (tokens & CONNECTION_KEEP_ALIVE) != 0;
        head.connectionUpgrade |= (tokens & CONNECTION_UPGRADE) != 0;
    }

    @Override
    boolean end(RequestHead head, int headLength) {
        if (head.http11 && hostCount == 0) {
            return fail(head, 400, "missing Host");
        }
        if (transferEncodingCount > 0) {
            if (contentLengthCount > 0) {
                return fail(head, 400, "both Content-Length and Transfer-Encoding");
            }
            if (!head.http11) {
                return fail(head, 400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (transferEncodingCount > 1 || !"chunked".equalsIgnoreCase(head.transferEncoding)) {
                return fail(head, 501, "Transfer-Encoding other than chunked");
            }
            head.chunked = true;
        }
        head.headLength = headLength;
        return true;
    }
}

package dev.wakegate.http1;

import org.jspecify.annotations.Nullable;

/**
 * The parsed head of one HTTP/1.x request, filled by {@link RequestHeadParser#parse}. One instance
 * is reused request after request ({@link #reset} between them). The parser makes only the Strings
 * read on every request (path, Host); the target, Accept, Authorization, Upgrade and Expect are
 * kept as offsets into a private copy of the head's bytes and made into Strings on first access,
 * so a request that never asks for them never pays for them. The copy belongs to this object, so
 * those accessors stay valid after the buffer is consumed or released, until the next parse.
 *
 * <p>Header fields are also kept as offsets into the head's bytes (relative to the first byte of
 * the request line), so the forwarder can copy the original header lines it keeps and drop
 * hop-by-hop ones without re-encoding anything.
 *
 * <p>The arrays (offsets and the copy) are borrowed from the thread's {@link HeadScratch} when a
 * parse begins and given back by {@link #reset}: a keep-alive connection waiting for its next
 * request holds none of them.
 */
public final class RequestHead {
    /** Parse outcome codes returned by {@link RequestHeadParser#parse}. */
    public static final int NEED_MORE = -1;
    public static final int ERROR = -2;

    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_FIELDS = new int[0];

    // request line: null until a head is parsed (the data path reads a head only after parse returned its length)
    @Nullable String method;
    @Nullable String uri;
    @Nullable String path;
    boolean http11;
    int headLength;

    // headers as offsets relative to the head start: name [nameStart, nameEnd), value [valueStart, valueEnd)
    int headerCount;
    int[] nameStart = NO_FIELDS; // NO_FIELDS (all four) while no parse holds them: see HeadScratch
    int[] nameEnd = NO_FIELDS;
    int[] valueStart = NO_FIELDS;
    int[] valueEnd = NO_FIELDS;

    // the headers the proxy acts on
    @Nullable String host;
    long contentLength = -1;
    boolean chunked;
    boolean expectContinue;
    boolean connectionClose;
    boolean connectionKeepAlive;
    boolean connectionUpgrade;
    @Nullable String upgrade;
    @Nullable String expect;
    @Nullable String transferEncoding;
    @Nullable String accept;
    @Nullable String authorization;
    // header indexes of fields read only by the access log, the client-address rule and no_wake
    // (the User-Agent, through userAgentView over raw); -1 when absent
    int userAgent = -1;
    int referer = -1;
    int forwardedForFirst = -1;
    int forwardedForLast = -1;

    // lazily built values: [start, end) in raw, start < 0 when absent or already built
    byte[] raw = NO_BYTES;
    int uriStart = -1;
    int uriEnd;
    int acceptStart = -1;
    int acceptEnd;
    int authorizationStart = -1;
    int authorizationEnd;
    int upgradeStart = -1;
    int upgradeEnd;
    int expectStart = -1;
    int expectEnd;
    private final AsciiView userAgentView = new AsciiView();

    // error, when parse returned ERROR
    int errorStatus;
    @Nullable String errorReason;

    /**
     * Forgets the request and gives the arrays back to the thread's {@link HeadScratch}: call it
     * when the request is done (nothing read from this head before may be used after).
     */
    public void reset() {
        clear();
        if (nameStart != NO_FIELDS || raw != NO_BYTES) {
            HeadScratch scratch = HeadScratch.local();
            if (nameStart != NO_FIELDS) {
                scratch.giveFields(this);
                nameStart = NO_FIELDS;
                nameEnd = NO_FIELDS;
                valueStart = NO_FIELDS;
                valueEnd = NO_FIELDS;
            }
            if (raw != NO_BYTES) {
                scratch.giveBytes(raw);
                raw = NO_BYTES;
            }
        }
    }

    /** Clears the fields for a new parse and makes sure the offset arrays are here (the parser's {@code begin}). */
    void prepare() {
        clear();
        if (nameStart == NO_FIELDS) {
            HeadScratch.local().takeFields(this);
        }
    }

    private void clear() {
        method = null;
        uri = null;
        path = null;
        http11 = false;
        headLength = 0;
        headerCount = 0;
        host = null;
        contentLength = -1;
        chunked = false;
        expectContinue = false;
        connectionClose = false;
        connectionKeepAlive = false;
        connectionUpgrade = false;
        upgrade = null;
        expect = null;
        transferEncoding = null;
        accept = null;
        authorization = null;
        userAgent = -1;
        referer = -1;
        forwardedForFirst = -1;
        forwardedForLast = -1;
        errorStatus = 0;
        errorReason = null;
        uriStart = -1;
        acceptStart = -1;
        authorizationStart = -1;
        upgradeStart = -1;
        expectStart = -1;
    }

    /** Whether any value waits to be built from {@link #raw}. */
    boolean hasLazyValues() {
        // all starts are negative exactly when their AND is; the User-Agent is read from raw by its index
        return (uriStart & acceptStart & authorizationStart & upgradeStart & expectStart & userAgent) >= 0;
    }

    void grow(int capacity) {
        nameStart = java.util.Arrays.copyOf(nameStart, capacity);
        nameEnd = java.util.Arrays.copyOf(nameEnd, capacity);
        valueStart = java.util.Arrays.copyOf(valueStart, capacity);
        valueEnd = java.util.Arrays.copyOf(valueEnd, capacity);
    }

    /** Method token as sent (common methods are shared constants); null until a head is parsed. */
    public @Nullable String method() {
        return method;
    }

    /** Request target as sent (origin-form, or absolute-form for proxies); null until a head is parsed. */
    public @Nullable String uri() {
        if (uriStart >= 0) {
            uri = Ascii.string(raw, uriStart, uriEnd);
            uriStart = -1;
        }
        return uri;
    }

    /**
     * Path part of the target, without query or fragment; for absolute-form, the path after the
     * authority ("/" when empty); null until a head is parsed.
     */
    public @Nullable String path() {
        return path;
    }

    public boolean isHttp11() {
        return http11;
    }

    /** Bytes of the whole head including the final empty line. */
    public int headLength() {
        return headLength;
    }

    public int headerCount() {
        return headerCount;
    }

    public int nameStart(int i) {
        return nameStart[i];
    }

    public int nameEnd(int i) {
        return nameEnd[i];
    }

    /** Start of the value, leading whitespace skipped. */
    public int valueStart(int i) {
        return valueStart[i];
    }

    /** End of the value, trailing whitespace skipped. */
    public int valueEnd(int i) {
        return valueEnd[i];
    }

    /** Host header value, or null: only an HTTP/1.0 request may come without one (HTTP/1.1 without is rejected). */
    public @Nullable String host() {
        return host;
    }

    /** Content-Length, or -1 when absent. Never set together with {@link #isChunked()}. */
    public long contentLength() {
        return contentLength;
    }

    /** Transfer-Encoding is exactly chunked (the only coding accepted; others are 501). */
    public boolean isChunked() {
        return chunked;
    }

    /** True when the request carries a body ({@code chunked} or Content-Length &gt; 0). */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /** {@code Expect: 100-continue}. */
    public boolean expectContinue() {
        return expectContinue;
    }

    /** Whether the connection may carry another request after this one (version default + Connection header). */
    public boolean keepAlive() {
        return http11 ? !connectionClose : connectionKeepAlive && !connectionClose;
    }

    /** Connection lists "close". */
    public boolean connectionClose() {
        return connectionClose;
    }

    /** Connection lists "upgrade". */
    public boolean connectionUpgrade() {
        return connectionUpgrade;
    }

    /** The Upgrade header's value when Connection also lists "upgrade", else null. */
    public @Nullable String upgrade() {
        if (!connectionUpgrade) {
            return null;
        }
        if (upgradeStart >= 0) {
            upgrade = Ascii.string(raw, upgradeStart, upgradeEnd);
            upgradeStart = -1;
        }
        return upgrade;
    }

    /** Expect header value as sent, or null (anything but 100-continue deserves a 417). */
    public @Nullable String expect() {
        if (expectStart >= 0) {
            expect = Ascii.string(raw, expectStart, expectEnd);
            expectStart = -1;
        }
        return expect;
    }

    /** Transfer-Encoding value as sent (several fields joined with ", "), or null. */
    public @Nullable String transferEncoding() {
        return transferEncoding;
    }

    /** Accept header value (several fields joined with ", "), or null. */
    public @Nullable String accept() {
        if (acceptStart >= 0) {
            accept = Ascii.string(raw, acceptStart, acceptEnd);
            acceptStart = -1;
        }
        return accept;
    }

    /** Index of the first User-Agent field (for {@link #valueStart}), or -1. */
    public int userAgentIndex() {
        return userAgent;
    }

    /** Index of the first Referer field, or -1. */
    public int refererIndex() {
        return referer;
    }

    /** Index of the first X-Forwarded-For field, or -1. */
    public int forwardedForFirst() {
        return forwardedForFirst;
    }

    /** Index of the last X-Forwarded-For field, or -1. */
    public int forwardedForLast() {
        return forwardedForLast;
    }

    /** Length of the request line, without its CRLF. */
    public int requestLineLength() {
        return (headerCount > 0 ? nameStart[0] : headLength - 2) - 2;
    }

    /**
     * The first User-Agent field's value as a view over this head's bytes (no String is made), or
     * null when there is none. The same view object is reused for the next request.
     */
    public @Nullable CharSequence userAgent() {
        return userAgent < 0 ? null : userAgentView.of(raw, valueStart[userAgent], valueEnd[userAgent]);
    }

    /** Authorization header value, or null. */
    public @Nullable String authorization() {
        if (authorizationStart >= 0) {
            authorization = Ascii.string(raw, authorizationStart, authorizationEnd);
            authorizationStart = -1;
        }
        return authorization;
    }

    /** Status to answer with after {@link RequestHead#ERROR}: 400, 414, 431, 501 or 505. */
    public int errorStatus() {
        return errorStatus;
    }

    /** Human-readable reason after {@link RequestHead#ERROR} (goes into the problem+json detail); null otherwise. */
    public @Nullable String errorReason() {
        return errorReason;
    }
}

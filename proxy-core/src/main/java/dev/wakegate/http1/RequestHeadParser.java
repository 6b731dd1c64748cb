package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;

/**
 * A bounded, strict RFC 9112 request-head parser. Owned by one connection (not thread-safe);
 * {@link #reset} before each request.
 *
 * <p>{@link #parse} looks at the readable bytes of a cumulation buffer without consuming them and
 * resumes scanning where the last call stopped, so a head that arrives a byte at a time costs
 * linear work. Errors are values: {@link RequestHead#ERROR} with {@link RequestHead#errorStatus()}
 * 400 (malformed line or header, CL+TE, conflicting Content-Length, obs-fold, whitespace before a
 * colon, bare CR, NUL, missing Host, bad version), 414 (request line over the limit), 431 (head or
 * header count over the limit) or 501 (a Transfer-Encoding other than chunked).
 */
public final class RequestHeadParser {
    private final int maxRequestLine;
    private final int maxHeadSize;
    private final int maxHeaders;

    public RequestHeadParser(int maxRequestLine, int maxHeadSize, int maxHeaders) {
        this.maxRequestLine = maxRequestLine;
        this.maxHeadSize = maxHeadSize;
        this.maxHeaders = maxHeaders;
    }

    /** Forget any partial scan; call before parsing the next request. */
    public void reset() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Parses the head starting at {@code in.readerIndex()}; does not move the reader index.
     *
     * @return the head length in bytes when complete ({@code head} is filled), {@link RequestHead#NEED_MORE}
     *         when more bytes are needed (and the limits are not yet exceeded), or {@link RequestHead#ERROR}
     */
    public int parse(ByteBuf in, RequestHead head) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}

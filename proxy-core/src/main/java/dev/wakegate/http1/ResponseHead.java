package dev.wakegate.http1;

/** The parsed head of one upstream response, filled by {@link ResponseHeadParser}; reused per upstream connection. */
public final class ResponseHead {
    int status;
    boolean http11;
    int headLength;
    long contentLength = -1;
    boolean chunked;
    boolean connectionClose;
    boolean connectionKeepAlive;
    String errorReason;

    public void reset() {
        status = 0;
        http11 = false;
        headLength = 0;
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
        errorReason = null;
    }

    public int status() {
        return status;
    }

    public boolean isHttp11() {
        return http11;
    }

    public int headLength() {
        return headLength;
    }

    /** Content-Length, or -1 when absent. */
    public long contentLength() {
        return contentLength;
    }

    public boolean isChunked() {
        return chunked;
    }

    /** Whether the upstream connection can be reused after this response. */
    public boolean keepAlive() {
        return http11 ? !connectionClose : connectionKeepAlive && !connectionClose;
    }

    /** Informational (1xx) responses precede the final response and have no body. */
    public boolean isInformational() {
        return status >= 100 && status < 200;
    }

    /**
     * How the body of this response is delimited, given the request method.
     * HEAD requests, 1xx, 204 and 304 have no body; otherwise chunked, Content-Length, or until close.
     */
    public BodyFramer.Mode bodyMode(boolean headRequest) {
        if (headRequest || isInformational() || status == 204 || status == 304) {
            return BodyFramer.Mode.NONE;
        }
        if (chunked) {
            return BodyFramer.Mode.CHUNKED;
        }
        if (contentLength >= 0) {
            return contentLength == 0 ? BodyFramer.Mode.NONE : BodyFramer.Mode.LENGTH;
        }
        return BodyFramer.Mode.UNTIL_CLOSE;
    }

    public String errorReason() {
        return errorReason;
    }
}

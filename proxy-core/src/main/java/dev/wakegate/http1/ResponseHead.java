package dev.wakegate.http1;

import org.jspecify.annotations.Nullable;

/** The parsed head of one upstream response, filled by {@link ResponseHeadParser}; reused per upstream connection. */
public final class ResponseHead {
    int status;
    boolean http11;
    int headLength;
    long contentLength = -1;
    boolean chunked;
    boolean connectionClose;
    boolean connectionKeepAlive;
    @Nullable String errorReason;

    // header fields as offsets relative to the head start, like RequestHead
    int headerCount;
    int[] fields = new int[64]; // 4 ints per field: nameStart, nameEnd, valueStart, valueEnd

    void addField(int ns, int ne, int vs, int ve) {
        int at = headerCount * 4;
        if (at + 4 > fields.length) {
            fields = java.util.Arrays.copyOf(fields, fields.length * 2);
        }
        fields[at] = ns;
        fields[at + 1] = ne;
        fields[at + 2] = vs;
        fields[at + 3] = ve;
        headerCount++;
    }

    public int headerCount() {
        return headerCount;
    }

    public int nameStart(int i) {
        return fields[i * 4];
    }

    public int nameEnd(int i) {
        return fields[i * 4 + 1];
    }

    public int valueStart(int i) {
        return fields[i * 4 + 2];
    }

    public int valueEnd(int i) {
        return fields[i * 4 + 3];
    }

    public void reset() {
        headerCount = 0;
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

    /** Why the head is malformed after the parser returned an error; null otherwise. */
    public @Nullable String errorReason() {
        return errorReason;
    }
}

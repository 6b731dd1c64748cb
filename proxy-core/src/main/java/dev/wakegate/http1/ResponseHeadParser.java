package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;

/**
 * Parses upstream response heads (status line + headers) with the same bounded, incremental
 * approach as {@link RequestHeadParser}; one per upstream connection.
 */
public final class ResponseHeadParser {
    private final int maxHeadSize;

    public ResponseHeadParser(int maxHeadSize) {
        this.maxHeadSize = maxHeadSize;
    }

    public void reset() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * @return head length when complete, {@link RequestHead#NEED_MORE}, or {@link RequestHead#ERROR}
     *         (malformed or over-large head: the proxy answers 502)
     */
    public int parse(ByteBuf in, ResponseHead head) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}

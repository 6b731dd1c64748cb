package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;

/**
 * Finds where a message body ends in a byte stream, without copying or aggregating it: the relay
 * forwards exactly the bytes {@link #scan} says belong to the body and then knows the message is
 * complete. Handles Content-Length, chunked (sizes, extensions, trailers; a malformed chunk size
 * is an error) and until-close. One instance per direction per connection.
 */
public final class BodyFramer {
    public enum Mode { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    public void reset(Mode mode, long contentLength) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Looks at {@code in}'s readable bytes (without moving the reader index) and returns how many of
     * them, from the reader index on, belong to the current body. After the call {@link #isComplete()}
     * tells whether the body ended within those bytes; {@link #error()} is non-null when the chunked
     * framing is malformed (the returned count then covers only the valid prefix).
     */
    public int scan(ByteBuf in) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** True once the whole body (including the final chunk and trailers) has been scanned. */
    public boolean isComplete() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Reason the framing is broken, or null. */
    public String error() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public Mode mode() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}

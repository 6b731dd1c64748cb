package dev.wakegate.relay;

import dev.wakegate.http1.BodyFramer;
import dev.wakegate.http1.RequestHead;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * The framing of the current request's body as it arrives in {@link HttpFrontHandler}'s
 * cumulation: which bytes at the front of the cumulation have been checked by the
 * {@link BodyFramer} (and may be passed on), and whether the whole body has been received. It
 * never holds a buffer itself; the cumulation ({@link Cumulation}) stays the handler's. Event loop only.
 */
final class RequestBody {
    private final BodyFramer framer = new BodyFramer();
    private boolean chunked;
    private int ready;       // scanned body bytes at the front of the cumulation, not yet passed on
    private boolean scanned; // the whole request body has been received (and checked)

    /** Starts the body of a new request with head {@code head}. */
    void reset(RequestHead head) {
        chunked = head.isChunked();
        BodyFramer.Mode mode = chunked ? BodyFramer.Mode.CHUNKED : head.hasBody() ? BodyFramer.Mode.LENGTH : BodyFramer.Mode.NONE;
        if (mode != BodyFramer.Mode.NONE) {
            framer.reset(mode, head.contentLength());
        }
        scanned = mode == BodyFramer.Mode.NONE;
        ready = 0;
    }

    /** A chunked body may carry at most {@code bytes} of data (0: no limit); more ends the scan as malformed, {@link #failureStatus} 413. */
    void limitChunked(long bytes) {
        if (chunked && bytes > 0) {
            framer.limitData(bytes);
        }
    }

    /** The status of a body that failed its scan: 413 when a chunked body passed its limit, else 400 (malformed). */
    int failureStatus() {
        return framer.overLimit() ? 413 : 400;
    }

    /** Whether the whole body has been received and checked. */
    boolean scanned() {
        return scanned;
    }

    /** Checked body bytes at the front of the cumulation, not yet passed on. */
    int ready() {
        return ready;
    }

    /** A chunked body whose first chunk size has not been seen yet. */
    boolean awaitingFirstChunk() {
        return chunked && ready == 0 && !scanned;
    }

    /** What went wrong with a body that failed its scan, for its problem answer (built on that path only). */
    String failureDetail() {
        return (framer.overLimit() ? "request body too large: " : "malformed chunked body: ") + framer.error();
    }

    /** Checks the framing of newly arrived bytes behind the ready ones; false when the body is malformed. */
    boolean scanAhead(@Nullable ByteBuf cumulation) {
        if (scanned || cumulation == null) {
            return true;
        }
        int avail = cumulation.readableBytes() - ready;
        if (avail <= 0) {
            return true;
        }
        ByteBuf view = ready == 0 ? cumulation : cumulation.slice(cumulation.readerIndex() + ready, avail);
        ready += framer.scan(view);
        if (framer.error() != null) {
            return false;
        }
        scanned = framer.isComplete();
        return true;
    }

    /** Checks and drops body bytes (the proxy answers itself); false when the body is malformed. */
    boolean discard(@Nullable ByteBuf cumulation) {
        if (!scanned && cumulation != null && cumulation.isReadable()) {
            int k = framer.scan(cumulation);
            cumulation.skipBytes(k);
            if (framer.error() != null) {
                return false;
            }
            scanned = framer.isComplete();
        }
        return true;
    }

    /** The ready bytes as a retained slice to pass on (the caller writes it, so hands it over). */
    ByteBuf take(ByteBuf cumulation) {
        ByteBuf slice = cumulation.readRetainedSlice(ready);
        ready = 0;
        return slice;
    }

    /** Drops the ready bytes: checked, but never to be forwarded. */
    void skipReady(@Nullable ByteBuf cumulation) {
        if (cumulation != null && ready > 0) {
            cumulation.skipBytes(ready);
        }
        ready = 0;
    }

    /** Forgets the ready bytes because the cumulation they were in is gone. */
    void forgetReady() {
        ready = 0;
    }
}

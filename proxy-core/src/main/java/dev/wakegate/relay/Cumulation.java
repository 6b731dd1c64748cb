package dev.wakegate.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.jspecify.annotations.Nullable;

/**
 * The bytes an HTTP client connection sent that {@link HttpFrontHandler} has not passed on yet: the
 * rest of a head, the current request's body, and the requests pipelined behind it, in the one
 * ByteBuf each read is merged into ({@link ByteToMessageDecoder#MERGE_CUMULATOR}). Part of a
 * {@link RequestKit}, which a connection gives back only when this is empty; event loop only.
 *
 * <p>Ownership: a read handed to {@link #add} is this object's from then on. Bytes read out of the
 * buffer are no longer its: a head the handler parsed and rewrote (a copy), body bytes skipped, or
 * taken as retained slices ({@link RequestBody#take}), which their taker releases. The buffer
 * itself is released here only: when it is empty after a pump ({@link #trim}), when the connection
 * closes or is done reading ({@link #release}), or it leaves with what is still unread, to the
 * {@link ByteRelay} after a 101 ({@link #take}). The current body's ready bytes
 * ({@link RequestBody}) are bytes of this buffer, so releasing it forgets them.
 */
final class Cumulation {
    private final RequestBody body;
    private @Nullable ByteBuf buf;

    /** @param body the body whose ready bytes live in this cumulation (the kit's exchange's) */
    Cumulation(RequestBody body) {
        this.body = body;
    }

    /** Appends {@code in} (handed over); the first read after an empty spell becomes the buffer itself, no copy. */
    void add(ByteBufAllocator alloc, ByteBuf in) {
        buf = buf == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, buf, in);
    }

    /** The buffer, lent for the call it is passed to (read from it, never release it), or null when nothing was read since the last release. */
    @Nullable ByteBuf buf() {
        return buf;
    }

    /** Whether unread bytes are here. */
    boolean buffered() {
        return buf != null && buf.isReadable();
    }

    int readableBytes() {
        return buf == null ? 0 : buf.readableBytes();
    }

    /** Releases the buffer, unread bytes and all: the connection is closing or gone. */
    void release() {
        if (buf != null) {
            buf.release();
            buf = null;
        }
        body.forgetReady();
    }

    /**
     * After a pump: an empty buffer is released; otherwise the bytes already read are discarded
     * (some of them, as Netty sees fit) unless a retained slice still shares the buffer.
     */
    void trim() {
        if (buf != null && !buf.isReadable()) {
            release();
        } else if (buf != null && buf.refCnt() == 1) {
            buf.discardSomeReadBytes();
        }
    }

    /** Hands the buffer over (null when there is none): its new owner releases it; this cumulation is empty after. */
    @Nullable ByteBuf take() {
        ByteBuf b = buf;
        buf = null;
        return b;
    }
}

package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Finds where a message body ends in a byte stream, without copying or aggregating it: the relay
 * forwards exactly the bytes {@link #scan} says belong to the body and then knows the message is
 * complete. Handles Content-Length, chunked (sizes, extensions, trailers; a malformed chunk size
 * is an error) and until-close. One instance per direction of an exchange, reused message after message.
 *
 * <p>Usage: {@code int n = framer.scan(in); forward(in.readRetainedSlice(n));} — every byte that
 * {@code scan} counts has been absorbed into the framer's state, so the caller must consume exactly
 * those {@code n} bytes before the next call (the next call starts at the new reader index). Bytes
 * after a complete body belong to the next message.
 *
 * <p>Chunked framing is strict RFC 9112 §7.1: hex sizes without sign, whitespace or overflow (at
 * most 2^62), extensions after ';' by the RFC's grammar (token names, token or quoted-string
 * values, no CTLs; an unterminated quoted string is an error), CRLF everywhere (a bare CR or LF is an error),
 * CRLF right after each chunk's data, trailer fields with token names and no obs-fold. Chunk lines
 * and the trailer section are bounded so a peer cannot make the framer scan forever without data.
 */
public final class BodyFramer {
    public enum Mode { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }

    /** Longest chunk-size line (size plus extensions) accepted. */
    static final int MAX_CHUNK_LINE = 4096;
    /** Largest trailer section accepted. */
    static final int MAX_TRAILERS = 8192;
    private static final long MAX_CHUNK_SIZE = 1L << 62;

    // chunked states
    private static final int SIZE_START = 0;   // first hex digit of a chunk size
    private static final int SIZE = 1;         // more hex digits, ';' or CR
    private static final int SIZE_LF = 3;      // LF after the size line
    private static final int DATA = 4;
    private static final int DATA_CR = 5;
    private static final int DATA_LF = 6;
    private static final int TRAILER_START = 7; // CR (end) or the first byte of a field name
    private static final int TRAILER_NAME = 8;
    private static final int TRAILER_VALUE = 9;
    private static final int TRAILER_LF = 10;
    private static final int FINAL_LF = 11;
    // chunk extensions, RFC 9112 7.1.1: *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
    private static final int EXT_BEFORE_NAME = 12;  // BWS after ';', then the first tchar of a name
    private static final int EXT_NAME = 13;
    private static final int EXT_AFTER_NAME = 14;   // BWS, then '=', ';' or CR
    private static final int EXT_BEFORE_VALUE = 15; // BWS after '=', then a token or a quoted string
    private static final int EXT_TOKEN = 16;
    private static final int EXT_QUOTED = 17;
    private static final int EXT_QUOTED_PAIR = 18;  // the byte after a backslash in a quoted string
    private static final int EXT_AFTER_VALUE = 19;  // BWS, then ';' or CR

    private Mode mode = Mode.NONE;
    private long remaining;
    private boolean complete = true;
    private @Nullable String error;

    private int chunkState;
    private int lineBytes;
    private int trailerBytes;
    private long maxData = Long.MAX_VALUE; // chunked: data bytes allowed in all (limits.max_body)
    private long dataSeen;                 // chunked: data bytes declared by the sizes read so far
    private boolean overLimit;

    public void reset(Mode mode, long contentLength) {
        this.mode = mode;
        this.error = null;
        this.chunkState = SIZE_START;
        this.lineBytes = 0;
        this.trailerBytes = 0;
        this.maxData = Long.MAX_VALUE;
        this.dataSeen = 0;
        this.overLimit = false;
        switch (mode) {
            case NONE -> {
                remaining = 0;
                complete = true;
            }
            case LENGTH -> {
                if (contentLength < 0) {
                    throw new IllegalArgumentException("negative content length: " + contentLength);
                }
                remaining = contentLength;
                complete = contentLength == 0;
            }
            case CHUNKED, UNTIL_CLOSE -> {
                remaining = 0;
                complete = false;
            }
            default -> throw new IllegalArgumentException(String.valueOf(mode));
        }
    }

    /**
     * A chunked body may carry at most {@code bytes} of data in all (after {@link #reset}): a chunk
     * size that would pass it ends the scan with an error before any byte of that chunk, and
     * {@link #overLimit()} says why.
     */
    public void limitData(long bytes) {
        this.maxData = bytes;
    }

    /** The chunked body declared more data than {@link #limitData} allows (an error is set too). */
    public boolean overLimit() {
        return overLimit;
    }

    /**
     * Looks at {@code in}'s readable bytes (without moving the reader index) and returns how many of
     * them, from the reader index on, belong to the current body. After the call {@link #isComplete()}
     * tells whether the body ended within those bytes; {@link #error()} is non-null when the chunked
     * framing is malformed (the returned count then covers only the valid prefix).
     */
    public int scan(ByteBuf in) {
        if (complete || error != null) {
            return 0;
        }
        int readable = in.readableBytes();
        switch (mode) {
            case LENGTH: {
                int n = (int) Math.min(remaining, readable);
                remaining -= n;
                complete = remaining == 0;
                return n;
            }
            case UNTIL_CLOSE:
                return readable;
            case CHUNKED:
                return scanChunked(in, in.readerIndex(), readable);
            default:
                return 0;
        }
    }

    private int scanChunked(ByteBuf in, int from, int readable) {
        int i = 0;
        while (i < readable) {
            if (chunkState == DATA) {
                int n = (int) Math.min(remaining, readable - i);
                i += n;
                remaining -= n;
                if (remaining == 0) {
                    chunkState = DATA_CR;
                }
                continue;
            }
            byte b = in.getByte(from + i);
            if (!step(b)) {
                return i;
            }
            i++;
            if (complete) {
                return i;
            }
        }
        return i;
    }

    /** Advances the chunk state machine by one byte outside chunk data; false (with error set) if it is invalid. */
    private boolean step(byte b) {
        switch (chunkState) {
            case SIZE_START: {
                int d = Ascii.hexValue(b);
                if (d < 0) {
                    return fail("invalid chunk size");
                }
                remaining = d;
                lineBytes = 1;
                chunkState = SIZE;
                return true;
            }
            case SIZE: {
                if (++lineBytes > MAX_CHUNK_LINE) {
                    return fail("chunk size line too long");
                }
                int d = Ascii.hexValue(b);
                if (d >= 0) {
                    if (remaining > (MAX_CHUNK_SIZE - d) >> 4) {
                        return fail("chunk size too large");
                    }
                    remaining = (remaining << 4) | d;
                    return true;
                }
                if (b == ';') {
                    chunkState = EXT_BEFORE_NAME;
                    return true;
                }
                if (b == Ascii.CR) {
                    chunkState = SIZE_LF;
                    return true;
                }
                return fail("invalid chunk size");
            }
            case EXT_BEFORE_NAME, EXT_NAME, EXT_AFTER_NAME, EXT_BEFORE_VALUE, EXT_TOKEN, EXT_QUOTED, EXT_QUOTED_PAIR,
                 EXT_AFTER_VALUE: {
                if (++lineBytes > MAX_CHUNK_LINE) {
                    return fail("chunk size line too long");
                }
                return extension(b);
            }
            case SIZE_LF: {
                if (b != Ascii.LF) {
                    return fail("bare CR in a chunk size line");
                }
                if (remaining > maxData - dataSeen) {
                    overLimit = true;
                    return fail("chunked body larger than " + maxData + " bytes");
                }
                dataSeen += remaining;
                chunkState = remaining == 0 ? TRAILER_START : DATA;
                return true;
            }
            case DATA_CR: {
                if (b != Ascii.CR) {
                    return fail("missing CRLF after chunk data");
                }
                chunkState = DATA_LF;
                return true;
            }
            case DATA_LF: {
                if (b != Ascii.LF) {
                    return fail("missing CRLF after chunk data");
                }
                chunkState = SIZE_START;
                return true;
            }
            case TRAILER_START: {
                if (++trailerBytes > MAX_TRAILERS) {
                    return fail("trailer section too large");
                }
                if (b == Ascii.CR) {
                    chunkState = FINAL_LF;
                    return true;
                }
                if (!Ascii.isTchar(b)) {
                    return fail(Ascii.isOws(b) ? "obs-fold in trailers" : "invalid trailer field name");
                }
                chunkState = TRAILER_NAME;
                return true;
            }
            case TRAILER_NAME: {
                if (++trailerBytes > MAX_TRAILERS) {
                    return fail("trailer section too large");
                }
                if (b == ':') {
                    chunkState = TRAILER_VALUE;
                    return true;
                }
                if (!Ascii.isTchar(b)) {
                    return fail("invalid trailer field name");
                }
                return true;
            }
            case TRAILER_VALUE: {
                if (++trailerBytes > MAX_TRAILERS) {
                    return fail("trailer section too large");
                }
                if (b == Ascii.CR) {
                    chunkState = TRAILER_LF;
                    return true;
                }
                if (Ascii.isSpecial(b) && b != Ascii.HT) {
                    return fail("invalid character in a trailer field");
                }
                return true;
            }
            case TRAILER_LF: {
                if (b != Ascii.LF) {
                    return fail("bare CR in trailers");
                }
                chunkState = TRAILER_START;
                return true;
            }
            case FINAL_LF: {
                if (b != Ascii.LF) {
                    return fail("bare CR at the end of the chunked body");
                }
                complete = true;
                return true;
            }
            default:
                return fail("framer in an invalid state");
        }
    }

    /**
     * One byte of a chunk extension. Strict, so that the proxy and the upstream cannot disagree on
     * where the size line ends: a quoted string must close before the CR (an unterminated one,
     * {@code 0;a="x}, would make a lenient reader swallow the line end), names and token values are
     * tokens, and no CTL other than HTAB appears anywhere.
     */
    private boolean extension(byte b) {
        boolean ws = b == Ascii.SP || b == Ascii.HT;
        switch (chunkState) {
            case EXT_BEFORE_NAME -> {
                if (Ascii.isTchar(b)) {
                    chunkState = EXT_NAME;
                } else if (!ws) {
                    return fail("invalid chunk extension name");
                }
            }
            case EXT_NAME, EXT_AFTER_NAME -> {
                if (b == '=') {
                    chunkState = EXT_BEFORE_VALUE;
                } else if (b == ';') {
                    chunkState = EXT_BEFORE_NAME;
                } else if (b == Ascii.CR) {
                    chunkState = SIZE_LF;
                } else if (ws) {
                    chunkState = EXT_AFTER_NAME;
                } else if (chunkState != EXT_NAME || !Ascii.isTchar(b)) {
                    return fail("invalid chunk extension name");
                }
            }
            case EXT_BEFORE_VALUE -> {
                if (b == '"') {
                    chunkState = EXT_QUOTED;
                } else if (Ascii.isTchar(b)) {
                    chunkState = EXT_TOKEN;
                } else if (!ws) {
                    return fail("invalid chunk extension value");
                }
            }
            case EXT_TOKEN, EXT_AFTER_VALUE -> {
                if (b == ';') {
                    chunkState = EXT_BEFORE_NAME;
                } else if (b == Ascii.CR) {
                    chunkState = SIZE_LF;
                } else if (ws) {
                    chunkState = EXT_AFTER_VALUE;
                } else if (chunkState != EXT_TOKEN || !Ascii.isTchar(b)) {
                    return fail("invalid chunk extension value");
                }
            }
            case EXT_QUOTED -> {
                if (b == '"') {
                    chunkState = EXT_AFTER_VALUE;
                } else if (b == '\\') {
                    chunkState = EXT_QUOTED_PAIR;
                } else if (b == Ascii.CR || b == Ascii.LF) {
                    return fail("unterminated quoted string in a chunk extension");
                } else if (Ascii.isSpecial(b) && b != Ascii.HT) {
                    return fail("invalid character in a chunk extension");
                }
            }
            case EXT_QUOTED_PAIR -> {
                if (b == Ascii.CR || b == Ascii.LF) {
                    return fail("unterminated quoted string in a chunk extension");
                }
                if (Ascii.isSpecial(b) && b != Ascii.HT) {
                    return fail("invalid character in a chunk extension");
                }
                chunkState = EXT_QUOTED;
            }
            default -> {
                return fail("framer in an invalid state");
            }
        }
        return true;
    }

    private boolean fail(String reason) {
        error = reason;
        return false;
    }

    /** True once the whole body (including the final chunk and trailers) has been scanned. */
    public boolean isComplete() {
        return complete;
    }

    /** Reason the framing is broken, or null. */
    public @Nullable String error() {
        return error;
    }

    public Mode mode() {
        return mode;
    }

    /** Bytes of the current chunk (or Content-Length body) still to come. */
    public long remaining() {
        return remaining;
    }
}

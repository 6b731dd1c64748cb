package dev.wakegate.http1;

import io.netty.util.concurrent.FastThreadLocal;
import org.jspecify.annotations.Nullable;

/**
 * The scratch arrays of request-head parsing (the parser's private copy of a head read from a
 * direct buffer, a head's kept bytes and its field offsets), lent per thread. A connection holds
 * them only while it parses or serves a request; between requests ({@link RequestHead#reset},
 * {@link HeadScanner#reset}) it gives them back here, so an idle keep-alive connection holds none
 * and the next request on the same event loop takes them again without allocating. An event loop
 * keeps at most {@link #MAX} of each; what does not fit, or grew large, is left to the GC.
 *
 * <p>Each thread has its own: no locks, and an array never changes thread.
 */
final class HeadScratch {
    /** The field capacity a head starts with; grown ones are not pooled. */
    static final int FIELDS = 32;
    /** Arrays kept per kind and thread: about the connections of a loop that parse at one time. */
    static final int MAX = 64;
    /** A byte array larger than this is not kept (as the parser did not keep its copy before). */
    static final int MAX_BYTES = 4096;

    private static final FastThreadLocal<HeadScratch> LOCAL = new FastThreadLocal<>() {
        @Override
        protected HeadScratch initialValue() {
            return new HeadScratch();
        }
    };

    private final byte[][] bytes = new byte[MAX][];
    private int byteCount;
    private final int[][] fields = new int[MAX * 4][];
    private int fieldCount;

    private HeadScratch() {
    }

    static HeadScratch local() {
        return LOCAL.get();
    }

    /** A byte array of any length from the pool, or null when it is empty. */
    byte @Nullable [] takeBytes() {
        if (byteCount == 0) {
            return null;
        }
        byte[] b = bytes[--byteCount];
        bytes[byteCount] = null;
        return b;
    }

    void giveBytes(byte[] b) {
        if (b.length > 0 && b.length <= MAX_BYTES && byteCount < MAX) {
            bytes[byteCount++] = b;
        }
    }

    /** Four int arrays of {@link #FIELDS} (name start, name end, value start, value end) into {@code head}. */
    void takeFields(RequestHead head) {
        if (fieldCount == 0) {
            head.nameStart = new int[FIELDS];
            head.nameEnd = new int[FIELDS];
            head.valueStart = new int[FIELDS];
            head.valueEnd = new int[FIELDS];
            return;
        }
        head.valueEnd = popFields();
        head.valueStart = popFields();
        head.nameEnd = popFields();
        head.nameStart = popFields();
    }

    /** Takes {@code head}'s four field arrays back when they have the standard size. */
    void giveFields(RequestHead head) {
        if (head.nameStart.length == FIELDS && fieldCount < fields.length) {
            fields[fieldCount++] = head.nameStart;
            fields[fieldCount++] = head.nameEnd;
            fields[fieldCount++] = head.valueStart;
            fields[fieldCount++] = head.valueEnd;
        }
    }

    /** Arrays held now, for tests. */
    int heldBytes() {
        return byteCount;
    }

    int heldFieldSets() {
        return fieldCount / 4;
    }

    private int[] popFields() {
        int[] a = fields[--fieldCount];
        fields[fieldCount] = null;
        return a;
    }
}

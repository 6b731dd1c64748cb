package dev.wakegate.http1;

import io.netty.buffer.ByteBuf;

/**
 * The line layer shared by {@link RequestHeadParser} and {@link ResponseHeadParser}: finds the lines
 * of a head in a cumulation buffer, enforces the size limits and the RFC 9112 line rules that hold
 * for both directions (CRLF; a bare CR is always an error, a bare LF too unless the subclass
 * accepts it as a line end, as RFC 9112 section 2.2 allows a recipient to; no CTL or NUL anywhere;
 * no obs-fold; no whitespace before a field's colon; field names are tokens), and hands each
 * complete line to the subclass once.
 *
 * <p>Incremental: the scan position survives between calls, so every byte is looked at a bounded
 * number of times however the head is split. Positions are relative to the buffer's reader index,
 * which the caller must not move while a head is being parsed. A buffer without a backing array is
 * copied (only the new bytes, only up to the head limit) into a private array so the hot loops run
 * over a plain {@code byte[]}.
 *
 * <p>Errors are detected in byte order, so the outcome for a given byte sequence does not depend on
 * how it was split.
 */
abstract class HeadScanner<H> {
    private static final byte[] NO_BYTES = new byte[0];

    private static final int START = 0;
    private static final int LEADING = 1;
    private static final int FIRST_LINE = 2;
    private static final int FIELDS = 3;
    private static final int DONE = 4;
    private static final int FAILED = 5;

    final int maxHeadSize;
    private final boolean skipLeadingEmptyLines;
    private final boolean bareLfEndsLines;
    private boolean sawBareLf;

    private byte[] copy = NO_BYTES;
    private int copied;

    private int state = START;
    private int lineStart;
    private int scanPos;
    private int headLength;

    HeadScanner(int maxHeadSize, boolean skipLeadingEmptyLines) {
        this(maxHeadSize, skipLeadingEmptyLines, false);
    }

    /** @param bareLfEndsLines a bare LF ends a line like CRLF (lenient reading of upstream heads) */
    HeadScanner(int maxHeadSize, boolean skipLeadingEmptyLines, boolean bareLfEndsLines) {
        if (maxHeadSize < 16) {
            throw new IllegalArgumentException("maxHeadSize too small: " + maxHeadSize);
        }
        this.maxHeadSize = maxHeadSize;
        this.skipLeadingEmptyLines = skipLeadingEmptyLines;
        this.bareLfEndsLines = bareLfEndsLines;
    }

    /** True when the head just parsed had at least one line ended by a bare LF. */
    public boolean sawBareLf() {
        return sawBareLf;
    }

    /**
     * Forgets any partial scan. The private copy goes back to the thread's {@link HeadScratch}
     * (a connection between requests holds none); the next head read from a direct buffer takes one.
     */
    public void reset() {
        state = START;
        lineStart = 0;
        scanPos = 0;
        headLength = 0;
        copied = 0;
        sawBareLf = false;
        if (copy != NO_BYTES) {
            HeadScratch.local().giveBytes(copy);
            copy = NO_BYTES;
        }
    }

    /** Resets the head object for a new message. */
    abstract void begin(H head);

    /** The status for a first line that does not fit (414 for requests, 431-like for responses). */
    abstract int firstLineLimit(int lineStart);

    abstract int firstLineLimitStatus();

    /** The first line is {@code a[start, end)} (CRLF excluded); {@code base} maps positions: pos = index - base. */
    abstract boolean firstLine(H head, byte[] a, int base, int start, int end);

    /** One syntactically valid field: name {@code a[ns, ne)}, value {@code a[vs, ve)} trimmed of OWS. */
    abstract boolean field(H head, byte[] a, int base, int ns, int ne, int vs, int ve);

    /** The empty line arrived; {@code headLength} includes it. Checks rules that span fields. */
    abstract boolean end(H head, int headLength);

    abstract void error(H head, int status, String reason);

    /** The head {@code a[base, base + headLength)} parsed without error; nothing to do by default. */
    void complete(H head, byte[] a, int base, int headLength) {
    }

    /**
     * The head's bytes {@code a[base, base + length)} in an array the caller may keep: the private
     * copy itself when the head was read from it ({@code spare} becomes the next copy, so two arrays
     * take turns and nothing is copied), otherwise {@code spare} or a new array filled from {@code a}.
     */
    final byte[] keep(byte[] a, int base, int length, byte[] spare) {
        if (a == copy) {
            copy = spare;
            copied = 0;
            return a;
        }
        byte[] kept = spare;
        if (kept.length < length) {
            HeadScratch scratch = HeadScratch.local();
            byte[] lent = scratch.takeBytes();
            if (lent != null && lent.length >= length) {
                kept = lent;
            } else {
                if (lent != null) {
                    scratch.giveBytes(lent);
                }
                kept = new byte[Math.max(length, 256)];
            }
        }
        System.arraycopy(a, base, kept, 0, length);
        return kept;
    }

    /** Records an error and returns false, so callbacks can {@code return fail(...)}. */
    final boolean fail(H head, int status, String reason) {
        state = FAILED;
        error(head, status, reason);
        return false;
    }

    final int scan(ByteBuf in, H head) {
        if (state == DONE) {
            return headLength;
        }
        if (state == FAILED) {
            return RequestHead.ERROR;
        }
        if (state == START) {
            begin(head);
            state = skipLeadingEmptyLines ? LEADING : FIRST_LINE;
        }
        int avail = Math.min(in.readableBytes(), maxHeadSize);
        byte[] a;
        int base;
        if (in.hasArray()) {
            a = in.array();
            base = in.arrayOffset() + in.readerIndex();
        } else {
            if (avail > copied) {
                if (copy == NO_BYTES) {
                    byte[] lent = HeadScratch.local().takeBytes();
                    if (lent != null) {
                        copy = lent;
                    }
                }
                if (copy.length < avail) {
                    byte[] grown = new byte[Math.min(maxHeadSize, Math.max(avail, Math.max(256, copy.length * 2)))];
                    System.arraycopy(copy, 0, grown, 0, copied);
                    copy = grown;
                }
                in.getBytes(in.readerIndex() + copied, copy, copied, avail - copied);
                copied = avail;
            }
            a = copy;
            base = 0;
        }
        return scanLines(head, a, base, avail);
    }

    private int scanLines(H head, byte[] a, int base, int avail) {
        int p = scanPos;
        for (;;) {
            if (state == LEADING) {
                if (p >= avail) {
                    return needMore(head, p, avail);
                }
                byte b = a[base + p];
                if (b == Ascii.CR) {
                    if (p + 1 >= avail) {
                        return needMore(head, p, avail);
                    }
                    if (a[base + p + 1] != Ascii.LF) {
                        fail(head, 400, "bare CR before the request line");
                        return RequestHead.ERROR;
                    }
                    p += 2;
                    continue;
                }
                if (b == Ascii.LF) {
                    fail(head, 400, "bare LF before the request line");
                    return RequestHead.ERROR;
                }
                state = FIRST_LINE;
                lineStart = p;
            }
            boolean first = state == FIRST_LINE;
            int limit;
            int limitStatus;
            if (first) {
                limit = Math.min(firstLineLimit(lineStart), maxHeadSize);
                limitStatus = limit < maxHeadSize ? firstLineLimitStatus() : 431;
            } else {
                limit = maxHeadSize;
                limitStatus = 431;
            }
            int end = Math.min(avail, limit);
            p = Ascii.skipPlain(a, base + p, base + end) - base;
            if (p >= end) {
                if (end >= limit) {
                    return limitExceeded(head, limitStatus);
                }
                return needMore(head, p, avail);
            }
            byte b = a[base + p];
            if (b == Ascii.HT && !first) {
                p++; // HTAB is allowed inside field lines; its position is checked by the field rules
                continue;
            }
            int eolLength = 2;
            if (b == Ascii.LF && bareLfEndsLines) {
                eolLength = 1;
                sawBareLf = true;
            } else if (b != Ascii.CR) {
                fail(head, 400, b == Ascii.LF ? "bare LF in the head (lines must end with CRLF)"
                        : (b == 0 ? "NUL in the head" : "control character 0x" + Integer.toHexString(b & 0xFF) + " in the head"));
                return RequestHead.ERROR;
            } else {
                if (p + 1 >= end) {
                    if (p + 1 >= limit) {
                        return limitExceeded(head, limitStatus);
                    }
                    return needMore(head, p, avail);
                }
                if (a[base + p + 1] != Ascii.LF) {
                    fail(head, 400, "bare CR in the head");
                    return RequestHead.ERROR;
                }
            }
            int ls = base + lineStart;
            int le = base + p;
            boolean ok;
            if (first) {
                ok = firstLine(head, a, base, ls, le);
                if (ok) {
                    state = FIELDS;
                }
            } else if (ls == le) {
                headLength = p + eolLength;
                ok = end(head, headLength);
                if (ok) {
                    state = DONE;
                    complete(head, a, base, headLength);
                    return headLength;
                }
            } else {
                ok = fieldLine(head, a, base, ls, le);
            }
            if (!ok) {
                return RequestHead.ERROR;
            }
            p += eolLength;
            lineStart = p;
        }
    }

    private boolean fieldLine(H head, byte[] a, int base, int start, int end) {
        byte b = a[start];
        if (Ascii.isOws(b)) {
            return fail(head, 400, "obs-fold or whitespace at the start of a field line");
        }
        int i = Ascii.skipNameWords(a, start, end);
        while (i < end && Ascii.isTchar(a[i])) {
            i++;
        }
        if (i == end) {
            return fail(head, 400, "field line without a colon");
        }
        b = a[i];
        if (b != ':') {
            if (Ascii.isOws(b)) {
                return fail(head, 400, "whitespace between field name and colon");
            }
            return fail(head, 400, i == start ? "empty field name" : "invalid character in field name");
        }
        if (i == start) {
            return fail(head, 400, "empty field name");
        }
        int ne = i++;
        while (i < end && Ascii.isOws(a[i])) {
            i++;
        }
        int ve = end;
        while (ve > i && Ascii.isOws(a[ve - 1])) {
            ve--;
        }
        return field(head, a, base, start, ne, i, ve);
    }

    static final int CONNECTION_CLOSE = 1;
    static final int CONNECTION_KEEP_ALIVE = 2;
    static final int CONNECTION_UPGRADE = 4;

    /** The Connection options this proxy acts on, from a comma list (case-insensitive, OWS around items). */
    static int connectionTokens(byte[] a, int vs, int ve) {
        int tokens = 0;
        int i = vs;
        while (i < ve) {
            int ts = Ascii.nextListElement(a, i, ve);
            i = Ascii.listElementEnd(a, ts, ve);
            int te = Ascii.trimOws(a, ts, i);
            switch (te - ts) {
                case 5 -> tokens |= Ascii.equalsLower(a, ts, te, "close") ? CONNECTION_CLOSE : 0;
                case 7 -> tokens |= Ascii.equalsLower(a, ts, te, "upgrade") ? CONNECTION_UPGRADE : 0;
                case 10 -> tokens |= Ascii.equalsLower(a, ts, te, "keep-alive") ? CONNECTION_KEEP_ALIVE : 0;
                default -> { }
            }
        }
        return tokens;
    }

    private int needMore(H head, int p, int avail) {
        if (avail >= maxHeadSize) {
            return limitExceeded(head, 431);
        }
        scanPos = p;
        return RequestHead.NEED_MORE;
    }

    private int limitExceeded(H head, int status) {
        fail(head, status, status == 414 ? "request line too long" : "head too large");
        return RequestHead.ERROR;
    }
}

package dev.wakegate.http1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte classes of RFC 9110/9112 used by the head parsers and the body framer, as lookup tables so
 * each byte costs one load, plus the case-insensitive in-place comparisons the parsers need to
 * recognise header names and tokens without making Strings.
 */
final class Ascii {
    static final byte CR = '\r';
    static final byte LF = '\n';
    static final byte SP = ' ';
    static final byte HT = '\t';

    /** tchar: the characters of a token (method, field name, transfer coding). */
    private static final boolean[] TCHAR = new boolean[256];
    /** Bytes that may appear in a request target: VCHAR (0x21-0x7E); SP, CTLs and non-ASCII may not. */
    private static final boolean[] TARGET = new boolean[256];
    /** Bytes that end the fast scan of a line: CTLs (CR, LF, HT, NUL...) and DEL. */
    private static final boolean[] SPECIAL = new boolean[256];
    /** Bytes of a Host value: reg-name / IP-literal / port characters (RFC 3986), no '/', '@', '?', '#'. */
    private static final boolean[] HOST = new boolean[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        for (int c = 0x21; c <= 0x7E; c++) {
            TARGET[c] = true;
        }
        for (int c = 0; c < 0x20; c++) {
            SPECIAL[c] = true;
        }
        SPECIAL[0x7F] = true;
        for (int c = 0; c < 256; c++) {
            HOST[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        for (char c : "-._~%!$&'()*+,;=:[]".toCharArray()) {
            HOST[c] = true;
        }
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Ascii() {
    }

    /**
     * Index of the first {@link #isSpecial special} byte in {@code a[from, to)}, or {@code to}. Eight
     * bytes at a time while none is special: most of a head is printable text.
     */
    static int skipPlain(byte[] a, int from, int to) {
        int i = from;
        while (i + 8 <= to) {
            long special = specials((long) LONGS.get(a, i));
            if (special != 0) {
                // the lowest flagged byte is exact (see specials), and little-endian puts it first
                return i + (Long.numberOfTrailingZeros(special) >>> 3);
            }
            i += 8;
        }
        while (i < to && !SPECIAL[a[i] & 0xFF]) {
            i++;
        }
        return i;
    }

    /**
     * Whether any byte of {@code w} is a CTL (below 0x20) or DEL. Both tests are the exact "has a byte
     * less than n" / "has a zero byte" word tricks: a borrow only starts at a byte that matches, so a
     * word without one is never flagged and a word with one always is.
     */
    static boolean hasSpecial(long w) {
        return specials(w) != 0;
    }

    /**
     * The high bit of each byte of {@code w} that is a CTL or DEL, as far as the lowest one: a borrow
     * makes bytes above a special one unreliable, but none below it is ever flagged.
     */
    static long specials(long w) {
        long below = (w - 0x20 * ONES) & ~w & HIGHS;
        long x = w ^ (0x7F * ONES);
        long del = (x - ONES) & ~x & HIGHS;
        return below | del;
    }

    /**
     * Whether {@code a[from, to)} holds only target characters, given that the caller's line scan has
     * already excluded CTLs and DEL: so only SP and non-ASCII bytes remain to reject, eight at a time.
     */
    static boolean targetChars(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(a, i);
            long sp = w ^ (SP * ONES);
            if (((w | ((sp - ONES) & ~sp)) & HIGHS) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            if (!TARGET[a[i] & 0xFF]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Index of the first byte in {@code a[from, to)} at which a run of whole words of the common field
     * name characters (letters, digits, '-') stops; the caller checks the rest byte by byte. Needs a
     * range without CTLs (a scanned line): OR-ing 0x20 then folds no CTL onto an accepted byte.
     */
    static int skipNameWords(byte[] a, int from, int to) {
        int i = from;
        while (i + 8 <= to && commonNameWord((long) LONGS.get(a, i))) {
            i += 8;
        }
        return i;
    }

    private static boolean commonNameWord(long w) {
        if ((w & HIGHS) != 0) {
            return false;
        }
        long x = w | (0x20 * ONES);
        return (between(x, 'a', 'z') | between(x, '0', '9') | between(x, '-', '-')) == HIGHS;
    }

    /** High bit of each byte of {@code x} (all below 0x80) within [lo, hi]; no byte carries into the next. */
    private static long between(long x, int lo, int hi) {
        long atLeastLo = x + (0x80 - lo) * ONES;
        long aboveHi = x + (0x7F - hi) * ONES;
        return atLeastLo & ~aboveHi & HIGHS;
    }

    static boolean isTchar(byte b) {
        return TCHAR[b & 0xFF];
    }

    static boolean isTargetChar(byte b) {
        return TARGET[b & 0xFF];
    }

    static boolean isSpecial(byte b) {
        return SPECIAL[b & 0xFF];
    }

    static boolean isHostChar(byte b) {
        return HOST[b & 0xFF];
    }

    static boolean isOws(byte b) {
        return b == SP || b == HT;
    }

    /**
     * Where the next element of a comma list (RFC 9110 section 5.6.1) starts at or after {@code i}:
     * OWS and empty elements are skipped; {@code end} when none is left.
     */
    static int nextListElement(byte[] a, int i, int end) {
        while (i < end && (isOws(a[i]) || a[i] == ',')) {
            i++;
        }
        return i;
    }

    /** Where the list element starting at {@code start} ends: at the next comma, or {@code end}. */
    static int listElementEnd(byte[] a, int start, int end) {
        int i = start;
        while (i < end && a[i] != ',') {
            i++;
        }
        return i;
    }

    /** {@code end} moved back over trailing OWS, not before {@code start}. */
    static int trimOws(byte[] a, int start, int end) {
        int e = end;
        while (e > start && isOws(a[e - 1])) {
            e--;
        }
        return e;
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** Value of a hex digit, or -1. */
    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int lower = b | 0x20;
        if (lower >= 'a' && lower <= 'f') {
            return lower - 'a' + 10;
        }
        return -1;
    }

    /**
     * Whether {@code a[start, end)} equals {@code lowerCase} ignoring ASCII case. {@code lowerCase} holds
     * only lower-case letters, digits and '-', so OR-ing 0x20 into the input byte is an exact fold for
     * token bytes.
     */
    static boolean equalsLower(byte[] a, int start, int end, String lowerCase) {
        int n = lowerCase.length();
        if (end - start != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            byte b = a[start + i];
            char c = lowerCase.charAt(i);
            if (b != c && (b | 0x20) != c) {
                return false;
            }
        }
        return true;
    }

    /** As {@link #equalsLower(byte[], int, int, String)} with the lower-case bytes prepared; lengths must already match. */
    static boolean equalsLower(byte[] a, int start, byte[] lowerCase) {
        for (int i = 0; i < lowerCase.length; i++) {
            byte b = a[start + i];
            byte c = lowerCase[i];
            if (b != c && (b | 0x20) != c) {
                return false;
            }
        }
        return true;
    }

    static byte[] lower(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** The bytes as a String, one char per byte (ISO-8859-1), so obs-text survives unchanged. */
    @SuppressWarnings("deprecation")
    static String string(byte[] a, int start, int end) {
        return new String(a, 0, start, end - start);
    }
}

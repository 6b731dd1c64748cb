package dev.wakegate.http1;

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

    private Ascii() {
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

    /** The bytes as a String, one char per byte (ISO-8859-1), so obs-text survives unchanged. */
    @SuppressWarnings("deprecation")
    static String string(byte[] a, int start, int end) {
        return new String(a, 0, start, end - start);
    }
}

package dev.wakegate.http1;

import org.jspecify.annotations.Nullable;

/**
 * The standard request methods as shared String constants: the parser returns these instances for
 * the common methods, so comparing with {@code ==} is valid for them and parsing allocates nothing.
 */
public final class Methods {
    public static final String GET = "GET";
    public static final String HEAD = "HEAD";
    public static final String POST = "POST";
    public static final String PUT = "PUT";
    public static final String DELETE = "DELETE";
    public static final String OPTIONS = "OPTIONS";
    public static final String PATCH = "PATCH";
    public static final String CONNECT = "CONNECT";
    public static final String TRACE = "TRACE";

    private Methods() {
    }

    /**
     * RFC 9110 section 9.2.2: GET, HEAD, OPTIONS, TRACE (the safe methods), PUT and DELETE are
     * idempotent; POST, PATCH, CONNECT and every method this list does not name are not (an
     * unknown method may do anything). Methods are case-sensitive.
     */
    public static boolean isIdempotent(String method) {
        return switch (method) {
            case GET, HEAD, OPTIONS, TRACE, PUT, DELETE -> true;
            default -> false;
        };
    }

    /** The shared constant for the method in {@code a[start, end)} (case-sensitive), or null. */
    static @Nullable String known(byte[] a, int start, int end) {
        switch (end - start) {
            case 3:
                if (a[start] == 'G' && a[start + 1] == 'E' && a[start + 2] == 'T') {
                    return GET;
                }
                if (a[start] == 'P' && a[start + 1] == 'U' && a[start + 2] == 'T') {
                    return PUT;
                }
                return null;
            case 4:
                return is(a, start, HEAD) ? HEAD : is(a, start, POST) ? POST : null;
            case 5:
                return is(a, start, PATCH) ? PATCH : is(a, start, TRACE) ? TRACE : null;
            case 6:
                return is(a, start, DELETE) ? DELETE : null;
            case 7:
                return is(a, start, OPTIONS) ? OPTIONS : is(a, start, CONNECT) ? CONNECT : null;
            default:
                return null;
        }
    }

    private static boolean is(byte[] a, int start, String method) {
        for (int i = 0; i < method.length(); i++) {
            if (a[start + i] != method.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

package dev.wakegate.route;

import org.jspecify.annotations.Nullable;

import java.util.Locale;

/**
 * Host names as routes name them and as requests carry them. Config side: {@link #normalise}
 * validates a configured name ({@code app.example.com}, or {@code *.example.com} for exactly one
 * more label) and lower-cases it. Request side, called per request and so allocation-free:
 * {@link #end} finds where the name in a Host header ends (before {@code :port} and a trailing
 * dot), and {@link #sameHost} compares two of them ignoring ASCII case, ports and a trailing dot.
 */
public final class HostNames {
    /** A name is at most 253 characters (RFC 1035 with the dots, without the root's). */
    static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL = 63;

    private HostNames() {
    }

    /**
     * The configured host in its lookup form: lower case, no trailing dot.
     *
     * @throws IllegalArgumentException with a reason fit for a config error
     */
    public static String normalise(@Nullable String configured) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        String s = configured.trim().toLowerCase(Locale.ROOT);
        if (s.equals("*.") || s.equals("*")) {
            throw new IllegalArgumentException("'" + configured + "' has nothing after '*.': write *.example.com");
        }
        if (s.endsWith(".") && s.length() > 1) {
            s = s.substring(0, s.length() - 1);
        }
        String name = s.startsWith("*.") ? s.substring(2) : s;
        if (name.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'" + configured + "': a wildcard stands for exactly one whole first label,"
                    + " as in *.example.com");
        }
        if (name.indexOf(':') >= 0 || name.indexOf('[') >= 0) {
            throw new IllegalArgumentException("'" + configured + "': give a host name without a port"
                    + " (the Host header's port is ignored when routing)");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("'" + configured + "' is longer than " + MAX_LENGTH + " characters");
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : '.';
            if (c == '.') {
                int label = i - labelStart;
                if (label == 0) {
                    throw new IllegalArgumentException("'" + configured + "' has an empty label (two dots, or a leading dot)");
                }
                if (label > MAX_LABEL) {
                    throw new IllegalArgumentException("'" + configured + "' has a label longer than " + MAX_LABEL + " characters");
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                throw new IllegalArgumentException("'" + configured + "' has the character '" + c + "'; a host name has"
                        + " letters, digits, '-' and '.' (internationalised names in their xn-- form)");
            }
        }
        return s;
    }

    /** Whether a normalised name is a {@code *.suffix} wildcard. */
    public static boolean isWildcard(String normalised) {
        return normalised.startsWith("*.");
    }

    /**
     * Where the name in a Host header value ends: before the {@code :port}, and before a trailing
     * dot ({@code Example.COM.:8080} ends after {@code COM}). An IPv6 literal keeps its brackets.
     */
    public static int end(String host) {
        int end;
        if (!host.isEmpty() && host.charAt(0) == '[') {
            int close = host.indexOf(']');
            end = close < 0 ? host.length() : close + 1;
        } else {
            int colon = host.indexOf(':');
            end = colon < 0 ? host.length() : colon;
        }
        if (end > 1 && host.charAt(end - 1) == '.') {
            end--;
        }
        return end;
    }

    /**
     * Whether two Host-style values name the same host: ASCII case, a port and a trailing dot
     * aside. A null or empty value is the same as nothing but another null or empty one.
     */
    public static boolean sameHost(@Nullable String a, @Nullable String b) {
        if (a == null || a.isEmpty() || b == null || b.isEmpty()) {
            return (a == null || a.isEmpty()) && (b == null || b.isEmpty());
        }
        int ea = end(a);
        int eb = end(b);
        return ea == eb && regionEqualsIgnoreCase(a, 0, b, 0, ea);
    }

    /** ASCII case-insensitive compare of {@code a[from, from+length)} with {@code b[bFrom, bFrom+length)}. */
    static boolean regionEqualsIgnoreCase(String a, int from, String b, int bFrom, int length) {
        for (int i = 0; i < length; i++) {
            if (lower(a.charAt(from + i)) != lower(b.charAt(bFrom + i))) {
                return false;
            }
        }
        return true;
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}

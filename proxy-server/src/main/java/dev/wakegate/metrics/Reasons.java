package dev.wakegate.metrics;

import java.util.Locale;

/** Keeps reason labels short codes, so a free-text error can never blow up the number of series. */
final class Reasons {
    static final String NONE = "none";
    static final String OTHER = "other";
    private static final int MAX = 40;

    private Reasons() {
    }

    /** The reason lower-cased when it is a short code ({@code [a-z0-9_.-]}, at most 40 chars), else "other". */
    static String label(String reason) {
        if (reason == null || reason.isEmpty()) {
            return NONE;
        }
        if (reason.length() > MAX) {
            return OTHER;
        }
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '_' || c == '-' || c == '.';
            if (!ok) {
                return OTHER;
            }
        }
        return reason.toLowerCase(Locale.ROOT);
    }

    /** The label of the reason's first word ("idle for 31m" → idle); "other" when that is no code. */
    static String firstWord(String reason) {
        if (reason == null) {
            return NONE;
        }
        String trimmed = reason.strip();
        int space = trimmed.indexOf(' ');
        return label(space < 0 ? trimmed : trimmed.substring(0, space));
    }
}

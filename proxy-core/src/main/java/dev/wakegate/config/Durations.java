package dev.wakegate.config;

import java.time.Duration;

/** Parses the config's durations: {@code 500ms}, {@code 45s}, {@code 30m}, {@code 2h}, {@code 1d}. */
public final class Durations {
    private Durations() {
    }

    /** @throws IllegalArgumentException with a reason fit for a config error */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a duration like 500ms, 45s, 30m or 2h, got nothing");
        }
        String s = text.trim();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || i == s.length()) {
            throw new IllegalArgumentException("expected a duration like 500ms, 45s, 30m or 2h, got '" + s + "'");
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration '" + s + "' is too large");
        }
        try {
            return switch (s.substring(i)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException(
                        "unknown duration unit in '" + s + "' (use ms, s, m, h or d)");
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration '" + s + "' is too large");
        }
    }

    /** Formats a duration the way {@link #parse} reads it, with the largest exact unit. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms != 0 && ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms != 0 && ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    /** A duration in the units people think in, for logs and reasons: seconds under two minutes, else minutes. */
    public static String approx(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + "s" : s / 60 + "m";
    }
}

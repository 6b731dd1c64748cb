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

    /**
     * A duration in the notation {@link #parse} reads, exactly: the largest unit that divides it
     * ({@code 30m}, {@code 2h}, {@code 365d}, {@code 1500ms}), except that whole seconds under two
     * minutes stay seconds ({@code 60s}, {@code 90s}), as people say them. Config refusals, start
     * failures and engine deadlines all read this way.
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000L != 0) {
            return ms + "ms";
        }
        long s = ms / 1000L;
        if (s < 120) {
            return s + "s";
        }
        if (s % 86_400L == 0) {
            return s / 86_400L + "d";
        }
        if (s % 3_600L == 0) {
            return s / 3_600L + "h";
        }
        if (s % 60L == 0) {
            return s / 60L + "m";
        }
        return s + "s";
    }

    /**
     * {@link #format} of a duration cut to what people think in, for idle times and waits in logs
     * and reasons: whole seconds under two minutes, else whole minutes ({@code idle 3m of 30m}).
     */
    public static String approx(Duration d) {
        long s = d.toSeconds();
        return format(Duration.ofSeconds(s < 120 ? s : s / 60 * 60));
    }
}

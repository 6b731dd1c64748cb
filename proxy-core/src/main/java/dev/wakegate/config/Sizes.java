package dev.wakegate.config;

import java.util.Locale;

/** Parses the config's byte sizes: {@code 65536}, {@code 512B}, {@code 64KiB}, {@code 1MiB}, {@code 1GiB}. */
public final class Sizes {
    private Sizes() {
    }

    /** @throws IllegalArgumentException with a reason fit for a config error */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("expected a size like 65536, 64KiB or 1MiB, got nothing");
        }
        String s = text.trim();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("expected a size like 65536, 64KiB or 1MiB, got '" + s + "'");
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + s + "' is too large");
        }
        long unit = switch (s.substring(i).trim().toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "kib", "k" -> 1L << 10;
            case "mib", "m" -> 1L << 20;
            case "gib", "g" -> 1L << 30;
            default -> throw new IllegalArgumentException(
                    "unknown size unit in '" + s + "' (use B, KiB, MiB or GiB)");
        };
        if (n > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("size '" + s + "' is too large");
        }
        return n * unit;
    }
}

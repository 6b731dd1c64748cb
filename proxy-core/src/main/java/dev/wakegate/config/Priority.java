package dev.wakegate.config;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How long a container may stay idle before the evictor stops it; CRITICAL is never stopped. */
public enum Priority {
    CRITICAL, HIGH, NORMAL, LOW;

    /** Lower-case name as it appears in YAML, labels and JSON. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code critical|high|normal|low} (any case); null when the text names no priority. */
    public static @Nullable Priority parse(@Nullable String text) {
        if (text == null) {
            return null;
        }
        for (Priority p : values()) {
            if (p.name().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        return null;
    }
}

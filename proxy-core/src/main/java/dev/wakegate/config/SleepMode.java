package dev.wakegate.config;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How an idle container is put to sleep ({@code containers.<name>.sleep}, label {@code wakegate.sleep}):
 * {@link #STOP} ends its processes ({@code docker stop}: memory freed, a cold start to wake);
 * {@link #PAUSE} freezes them ({@code docker pause}: memory kept, CPU to zero, woken by
 * {@code docker unpause} in milliseconds).
 */
public enum SleepMode {
    STOP, PAUSE;

    /** Lower-case name as it appears in YAML, labels and JSON. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code stop|pause} (any case); null when the text names no mode. */
    public static @Nullable SleepMode parse(@Nullable String text) {
        if (text == null) {
            return null;
        }
        for (SleepMode m : values()) {
            if (m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        return null;
    }
}

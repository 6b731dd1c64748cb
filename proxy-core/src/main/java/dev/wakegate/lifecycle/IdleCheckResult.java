package dev.wakegate.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one idle check did: what it stopped and, for each managed container it did not stop, why.
 *
 * @param ranHere false when another instance held the {@code idle-check} lease (or auto-stop is
 *                off), in which case {@code note} says so and nothing was examined
 * @param stopped containers stopped by this check, most idle first
 * @param skipped container → reason it was not stopped ("critical", "in flight", "idle 3m of 30m", ...)
 */
public record IdleCheckResult(Instant at, boolean ranHere, String note, List<String> stopped,
                              Map<String, String> skipped) {

    public IdleCheckResult {
        stopped = List.copyOf(stopped);
        skipped = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(skipped));
    }

    static IdleCheckResult notRun(Instant at, String note) {
        return new IdleCheckResult(at, false, note, List.of(), Map.of());
    }
}

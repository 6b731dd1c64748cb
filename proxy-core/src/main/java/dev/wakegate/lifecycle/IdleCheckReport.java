package dev.wakegate.lifecycle;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one idle check did: what it stopped and, for each managed container it did not stop, why.
 * The admin endpoints show it as their {@code AdminModel.IdleCheckResult} (proxy-server maps it).
 *
 * @param ranHere false when another instance held the {@code idle-check} lease (or auto-stop is
 *                off), in which case {@code note} says so and nothing was examined
 * @param note    why it did not run here, or what it found; empty when there is nothing to say
 * @param stopped containers stopped by this check, most idle first
 * @param skipped container → reason it was not stopped ("critical", "in flight", "idle 3m of 30m", ...)
 */
public record IdleCheckReport(Instant at, boolean ranHere, String note, List<String> stopped,
                              Map<String, String> skipped) {

    public IdleCheckReport {
        stopped = List.copyOf(stopped);
        skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    }

    static IdleCheckReport notRun(Instant at, String note) {
        return new IdleCheckReport(at, false, note, List.of(), Map.of());
    }
}

package dev.wakegate.lifecycle;

import dev.wakegate.config.AutomationSettings;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * The automation as {@code /health/automation} shows it.
 *
 * @param runtimeProblem the provider's account while the engine is away ("docker engine unreachable at ..."), else null
 * @param stateCounts    managed containers per state wire name ("ready", "stopped", ...)
 * @param eviction       whether idle stops are suspended now, and why
 * @param memory         {@code min_free_memory} and whether memory is short now
 */
public record AutomationSnapshot(AutomationSettings settings, String instanceId, boolean runtimeAvailable,
                                 @Nullable String runtimeProblem, String store, boolean storeAvailable, int managedContainers,
                                 Map<String, Integer> stateCounts, LifecycleStats.Snapshot statistics,
                                 Eviction eviction, Memory memory) {

    /**
     * Idle stops: {@code suspendedReason} is null while they may happen, else why they wait
     * (state store unavailable, re-reading the others after it came back, an instance unaccounted for).
     */
    /**
     * Early sleep under memory pressure, as the last idle check read it ({@code readAt}; null before
     * the first check): {@code minFreeBytes} 0 when off; {@code availableBytes} null when off, not read
     * yet or unreadable (then nothing sleeps early); {@code pressure} when available was below the minimum.
     */
    public record Memory(long minFreeBytes, @Nullable Long availableBytes, boolean pressure,
                         java.time.@Nullable Instant readAt) {
    }

    public record Eviction(@Nullable String suspendedReason, java.time.@Nullable Instant suspendedSince) {
        public boolean suspended() {
            return suspendedReason != null;
        }
    }
}

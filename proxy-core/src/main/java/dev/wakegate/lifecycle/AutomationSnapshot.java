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
 */
public record AutomationSnapshot(AutomationSettings settings, String instanceId, boolean runtimeAvailable,
                                 @Nullable String runtimeProblem, String store, boolean storeAvailable, int managedContainers,
                                 Map<String, Integer> stateCounts, LifecycleStats.Snapshot statistics,
                                 Eviction eviction) {

    /**
     * Idle stops: {@code suspendedReason} is null while they may happen, else why they wait
     * (state store unavailable, re-reading the others after it came back, an instance unaccounted for).
     */
    public record Eviction(@Nullable String suspendedReason, java.time.@Nullable Instant suspendedSince) {
        public boolean suspended() {
            return suspendedReason != null;
        }
    }
}

package dev.wakegate.lifecycle;

import dev.wakegate.config.AutomationSettings;

import java.util.Map;

/**
 * The automation as {@code /health/automation} shows it.
 *
 * @param runtimeProblem "docker engine unreachable: ..." while the engine is away, else null
 * @param stateCounts    managed containers per state wire name ("ready", "stopped", ...)
 */
public record AutomationSnapshot(AutomationSettings settings, String instanceId, boolean runtimeAvailable,
                                 String runtimeProblem, String store, boolean storeAvailable, int managedContainers,
                                 Map<String, Integer> stateCounts, LifecycleStats.Snapshot statistics) {
}

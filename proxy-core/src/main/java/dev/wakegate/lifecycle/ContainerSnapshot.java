package dev.wakegate.lifecycle;

import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.config.Priority;

import java.time.Instant;
import java.util.List;

/**
 * One managed container as {@code /health/containers} shows it.
 *
 * @param lastAccess         latest access known (local or shared), null if never
 * @param idleTimeoutMinutes its idle timeout in minutes, 0 when never stopped (critical)
 * @param inFlight           requests in flight through this instance
 * @param openConnections    open WebSocket/TCP connections through this instance
 * @param cordoned           true while a stop is being prepared or runs
 */
public record ContainerSnapshot(String name, ContainerState state, Priority priority, Instant lastAccess,
                                long idleTimeoutMinutes, long inFlight, long openConnections,
                                WorkloadInfo.Health health, boolean hasHealthcheck, boolean cordoned,
                                List<String> dependsOn, Instant lastStarted, Instant lastStopped,
                                boolean fromLabels) {
}

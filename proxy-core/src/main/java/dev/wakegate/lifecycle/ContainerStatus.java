package dev.wakegate.lifecycle;

import dev.wakegate.config.Priority;
import dev.wakegate.provider.WorkloadInfo;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * Where one managed container stands now, as the lifecycle knows it ({@link Lifecycle#containers}).
 * The {@code /health/containers} document is made from it (proxy-server maps it to the admin
 * endpoints' own {@code AdminModel.ContainerSnapshot}, in the words docs/operating.md shows).
 *
 * @param lastAccess         latest access known (local or shared), null if never
 * @param idleTimeoutMinutes its idle timeout in minutes, 0 when never stopped (critical)
 * @param inFlight           requests in flight through this instance
 * @param openConnections    open WebSocket/TCP connections through this instance
 * @param cordoned           true while a stop is being prepared or runs
 * @param lastStarted        when this instance last saw it become ready after a start, or null
 * @param lastStopped        when this instance last stopped it, or null
 * @param fromLabels         configured by its Docker labels rather than the file
 */
public record ContainerStatus(String name, ContainerState state, Priority priority, @Nullable Instant lastAccess,
                              long idleTimeoutMinutes, long inFlight, long openConnections,
                              WorkloadInfo.Health health, boolean hasHealthcheck, boolean cordoned,
                              List<String> dependsOn, @Nullable Instant lastStarted, @Nullable Instant lastStopped,
                              boolean fromLabels) {
}

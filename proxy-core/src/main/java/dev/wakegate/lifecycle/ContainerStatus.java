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
 * @param sleepingSince      since when it has slept, stopped or paused (as this instance saw it go, or first found it), or null
 *                           while it runs
 * @param startRequested     when the start (or readiness check) in progress was asked for, or null when none runs
 * @param expectedStartMillis the median of its last few cold starts through this instance ({@link ColdStarts}), 0
 *                           when none has been seen
 * @param lastFailure        why its latest start failed, until the next start is asked for; null otherwise
 */
public record ContainerStatus(String name, ContainerState state, Priority priority, @Nullable Instant lastAccess,
                              long idleTimeoutMinutes, long inFlight, long openConnections,
                              WorkloadInfo.Health health, boolean hasHealthcheck, boolean cordoned,
                              List<String> dependsOn, @Nullable Instant lastStarted, @Nullable Instant lastStopped,
                              boolean fromLabels, @Nullable Instant sleepingSince, @Nullable Instant startRequested,
                              long expectedStartMillis, @Nullable StartFailure lastFailure) {

    /**
     * Where a start of it stands, in the words the waiting page and {@code /health/wake} use:
     * {@code ready}; {@code failed} (its last start failed and none runs now); {@code running} (the
     * engine runs it, its health check or first answer is awaited); {@code starting}; {@code waiting}
     * (a start was asked for and waits: for what it depends on, or for a stop to finish);
     * {@code stopping}; {@code stopped}; {@code paused}; {@code missing}.
     */
    public String wakeState() {
        if (state == ContainerState.READY && !cordoned) {
            return "ready";
        }
        if (startRequested == null && lastFailure != null) {
            return "failed";
        }
        return switch (state) {
            case RUNNING, READY -> "running";
            case STARTING -> "starting";
            case STOPPING -> "stopping";
            case PAUSED -> startRequested != null ? "starting" : "paused";
            case MISSING -> "missing";
            case STOPPED, UNKNOWN -> startRequested != null ? "waiting" : "stopped";
        };
    }
}

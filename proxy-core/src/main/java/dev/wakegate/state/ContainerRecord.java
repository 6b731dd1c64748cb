package dev.wakegate.state;

import java.time.Instant;

/**
 * What the shared state holds for one container: one field of the {@code container_states} hash,
 * stored as JSON ({@code {"state":"running","priority":"normal","last_access":"2024-01-15T10:30:00Z",...}}).
 *
 * @param state      running, stopped, starting, stopping, missing, unknown
 * @param lastAccess last request through any instance, or null if never
 */
public record ContainerRecord(String state, String priority, Instant lastAccess, Instant lastStarted,
                              Instant lastStopped, String updatedBy) {
}

package dev.wakegate.state;

import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * What the shared state holds for one container: one field of the {@code container_states} hash,
 * stored as JSON ({@code {"state":"running","priority":"normal","last_access":"2024-01-15T10:30:00Z",...}}).
 *
 * @param state      running, stopped, starting, stopping, missing, unknown
 * @param lastAccess last request through any instance, or null if never
 * (every component may be null: a record written by another tool may lack any key)
 */
public record ContainerRecord(@Nullable String state, @Nullable String priority, @Nullable Instant lastAccess,
                              @Nullable Instant lastStarted, @Nullable Instant lastStopped, @Nullable String updatedBy) {
}

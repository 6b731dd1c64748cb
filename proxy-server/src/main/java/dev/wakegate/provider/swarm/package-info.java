/**
 * The {@link dev.wakegate.provider.WorkloadProvider} for Docker Swarm services
 * ({@link dev.wakegate.provider.swarm.SwarmProvider}): a wake scales a replicated service up to its
 * replicas, a sleep scales it to 0, and it counts as running once every replica's task runs. One
 * verb per class, over the Docker provider's engine calls (same pool, deadlines and typed failures).
 */
@NullMarked
package dev.wakegate.provider.swarm;

import org.jspecify.annotations.NullMarked;

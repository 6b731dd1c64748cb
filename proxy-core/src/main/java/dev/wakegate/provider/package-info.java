/**
 * The seam between the lifecycle and an engine that runs workloads:
 * {@link dev.wakegate.provider.WorkloadProvider} (start, stop, pause, unpause, inspect, list, subscribe) and what
 * it reports ({@link dev.wakegate.provider.WorkloadInfo}, {@link dev.wakegate.provider.WorkloadEvent}).
 * Each engine is a package of its own beside it: the Docker one is
 * {@code dev.wakegate.provider.docker} in proxy-server.
 */
@NullMarked
package dev.wakegate.provider;

import org.jspecify.annotations.NullMarked;

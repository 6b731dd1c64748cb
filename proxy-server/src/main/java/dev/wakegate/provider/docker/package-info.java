/**
 * The {@link dev.wakegate.provider.WorkloadProvider} for a Docker Engine's containers:
 * {@link dev.wakegate.provider.docker.DockerProvider}, one class per verb, every engine call bounded
 * by {@code timeouts.docker_call} and its failure typed.
 */
@NullMarked
package dev.wakegate.provider.docker;

import org.jspecify.annotations.NullMarked;

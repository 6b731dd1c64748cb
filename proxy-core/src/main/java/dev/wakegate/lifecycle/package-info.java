/**
 * The managed containers' lifecycle: {@link dev.wakegate.lifecycle.Lifecycle} wires the live view
 * ({@link dev.wakegate.lifecycle.ContainerRegistry}), single-flight starts and stops
 * ({@link dev.wakegate.lifecycle.StartupCoordinator}), the idle rule
 * ({@link dev.wakegate.lifecycle.IdleEvictor}) and usage shared through the state store
 * ({@link dev.wakegate.lifecycle.ActivityTracker}), all on one serial lane; the data path sees only
 * {@link dev.wakegate.lifecycle.ContainerGate}. The engine behind it is a
 * {@link dev.wakegate.provider.WorkloadProvider}, whichever it is. Failures are
 * {@link dev.wakegate.lifecycle.StartFailure}s, decided on by their kind.
 */
@NullMarked
package dev.wakegate.lifecycle;

import org.jspecify.annotations.NullMarked;

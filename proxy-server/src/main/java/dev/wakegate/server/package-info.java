/**
 * The process: {@link dev.wakegate.server.Main} (options, exit codes, signals),
 * {@link dev.wakegate.server.WakegateServer} (the wiring), label discovery and the admin model over
 * the lifecycle.
 */
@NullMarked
package dev.wakegate.server;

import org.jspecify.annotations.NullMarked;

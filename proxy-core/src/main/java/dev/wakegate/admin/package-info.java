/**
 * The proxy's own {@code /health/*} endpoints: {@link dev.wakegate.admin.LocalEndpoints} is what
 * the front handler asks for each request head, {@link dev.wakegate.admin.AdminEndpoints} answers
 * (JSON, Prometheus text, problem+json errors) from the narrow lifecycle view
 * {@link dev.wakegate.admin.AdminModel}, and {@link dev.wakegate.admin.ConfigReload} is the reload
 * the wiring implements. Nothing here blocks an event loop.
 */
@NullMarked
package dev.wakegate.admin;

import org.jspecify.annotations.NullMarked;

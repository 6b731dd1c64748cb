/**
 * Which route a request takes: the frozen {@link dev.wakegate.route.HostRouter} (host first, then
 * the longest path prefix in a {@link dev.wakegate.route.RouteTrie}), whose lookups allocate nothing,
 * held by the {@link dev.wakegate.route.RouteTable} that label discovery replaces whole, and the
 * {@link dev.wakegate.route.Route} it finds. A miss is null, never an exception.
 */
@NullMarked
package dev.wakegate.route;

import org.jspecify.annotations.NullMarked;

/**
 * What instances share: the {@link dev.wakegate.state.StateStore} contract (records, last access,
 * leases, usage heartbeats, cordons; docs/redis.md) and its in-memory implementation for a single
 * instance. Redis is {@code dev.wakegate.state.redis} in proxy-server.
 */
@NullMarked
package dev.wakegate.state;

import org.jspecify.annotations.NullMarked;

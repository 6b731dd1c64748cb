/** The {@link dev.wakegate.state.StateStore} on Redis (Lettuce, async only; layout in docs/redis.md). */
@NullMarked
package dev.wakegate.state.redis;

import org.jspecify.annotations.NullMarked;

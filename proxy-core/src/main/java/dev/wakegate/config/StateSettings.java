package dev.wakegate.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The shared state ({@code state:} in YAML).
 *
 * @param redis           the Redis URL ({@code state.redis}, or {@code REDIS_URL}); empty for the in-memory store
 * @param instanceTimeout how long another instance sharing the store may be silent before it is
 *                        presumed dead and no longer holds idle stops up ({@code state.instance_timeout})
 */
public record StateSettings(Optional<String> redis, Duration instanceTimeout) {
    public static final Duration DEFAULT_INSTANCE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration MIN_INSTANCE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration MAX_INSTANCE_TIMEOUT = Duration.ofHours(1);
    public static final StateSettings DEFAULTS = new StateSettings(Optional.empty(), DEFAULT_INSTANCE_TIMEOUT);

    public StateSettings withRedis(Optional<String> url) {
        return new StateSettings(url, instanceTimeout);
    }
}

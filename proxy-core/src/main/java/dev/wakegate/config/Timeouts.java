package dev.wakegate.config;

import java.time.Duration;

/** Data-path timeouts ({@code timeouts:} in YAML). */
public record Timeouts(
        Duration headerRead,       // whole request head must arrive within this (slow-loris gets 408)
        Duration idleKeepAlive,    // idle client connection between requests is closed after this
        Duration upstreamConnect,
        Duration upstreamResponse, // from request fully sent to response head received (504 after)
        Duration upstreamIdle,     // pooled idle upstream connection is closed after this
        Duration drain) {          // graceful shutdown waits at most this for in-flight work

    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(75),
            Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(15));
}

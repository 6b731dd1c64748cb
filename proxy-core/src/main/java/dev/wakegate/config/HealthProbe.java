package dev.wakegate.config;

import org.jspecify.annotations.Nullable;

/**
 * How readiness of a container is decided when it has no Docker HEALTHCHECK: an HTTP GET of
 * {@code path} against its upstream (2xx/3xx is ready), a TCP connect, or nothing configured
 * ({@link Kind#DEFAULT}: TCP connect when the container has an upstream, else "running").
 */
public record HealthProbe(Kind kind, @Nullable String path) {
    public enum Kind { DEFAULT, HTTP, TCP }

    public static final HealthProbe DEFAULT = new HealthProbe(Kind.DEFAULT, null);
    public static final HealthProbe TCP = new HealthProbe(Kind.TCP, null);

    public static HealthProbe http(String path) {
        return new HealthProbe(Kind.HTTP, path);
    }
}

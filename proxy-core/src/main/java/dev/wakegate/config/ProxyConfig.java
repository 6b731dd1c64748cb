package dev.wakegate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole, validated configuration. Immutable; built by {@link ConfigLoader}.
 *
 * @param source     the file it was read from (empty when built in code)
 * @param containers managed containers by name, in declaration order
 * @param adminToken bearer token required by admin POSTs ({@code WAKEGATE_ADMIN_TOKEN})
 * @param state      the shared state: Redis URL (empty: in memory) and instance timeout
 * @param tls        the HTTPS listener and its certificates, when configured
 */
public record ProxyConfig(
        Optional<Path> source,
        HostPort listen,
        int workers,
        AutomationSettings automation,
        StateSettings state,
        String dockerHost,
        Map<String, ContainerSpec> containers,
        List<RouteSpec> routes,
        List<TcpSpec> tcp,
        Timeouts timeouts,
        Limits limits,
        Optional<String> adminToken,
        boolean jsonLogs,
        Discovery discovery,
        Optional<TlsSettings> tls) {

    public ProxyConfig {
        containers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(containers));
        routes = List.copyOf(routes);
        tcp = List.copyOf(tcp);
    }

    /** The Redis URL; empty for the in-memory store. */
    public Optional<String> redisUrl() {
        return state.redis();
    }

    /** The same config with other containers and routes (label discovery adds its own). */
    public ProxyConfig withRoutes(Map<String, ContainerSpec> newContainers, List<RouteSpec> newRoutes) {
        return new ProxyConfig(source, listen, workers, automation, state, dockerHost, newContainers, newRoutes, tcp,
                timeouts, limits, adminToken, jsonLogs, discovery, tls);
    }
}

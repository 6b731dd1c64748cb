package dev.wakegate.config;

import dev.wakegate.net.CidrSet;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole, validated configuration. Immutable; read by {@link ConfigLoader}, or made in code
 * with {@link #builder()} (everything at its default) and changed with {@link #toBuilder()}.
 *
 * @param source     the file it was read from (empty when built in code)
 * @param containers managed containers by name, in declaration order
 * @param adminToken bearer token required by admin POSTs ({@code WAKEGATE_ADMIN_TOKEN})
 * @param state      the shared state: Redis URL (empty: in memory) and instance timeout
 * @param tls        the HTTPS listener and its certificates, when configured
 * @param accessLog  the access log, when configured
 * @param trustedProxies peers whose X-Forwarded-For names the client
 * @param proxyProtocol  connections to {@code listen} start with a PROXY protocol header
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
        Optional<TlsSettings> tls,
        Optional<AccessLogSettings> accessLog,
        CidrSet trustedProxies,
        boolean proxyProtocol) {

    public ProxyConfig {
        containers = Collections.unmodifiableMap(new LinkedHashMap<>(containers));
        routes = List.copyOf(routes);
        tcp = List.copyOf(tcp);
    }

    /** Everything at its default: no file, no containers, no routes, listening on {@link ConfigLoader#DEFAULT_LISTEN}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to make a copy that differs in a few. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The Redis URL; empty for the in-memory store. */
    public Optional<String> redisUrl() {
        return state.redis();
    }

    /** The same config with other containers and routes (label discovery adds its own). */
    public ProxyConfig withRoutes(Map<String, ContainerSpec> newContainers, List<RouteSpec> newRoutes) {
        return toBuilder().containers(newContainers).routes(newRoutes).build();
    }

    /** Collects the components by name; {@link #build} makes the record (which copies the collections). */
    public static final class Builder {
        private Optional<Path> source = Optional.empty();
        private HostPort listen = ConfigLoader.DEFAULT_LISTEN;
        private int workers = Runtime.getRuntime().availableProcessors();
        private AutomationSettings automation = AutomationSettings.DEFAULTS;
        private StateSettings state = StateSettings.DEFAULTS;
        private String dockerHost = ConfigLoader.DEFAULT_DOCKER_HOST;
        private Map<String, ContainerSpec> containers = Map.of();
        private List<RouteSpec> routes = List.of();
        private List<TcpSpec> tcp = List.of();
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private Limits limits = Limits.DEFAULTS;
        private Optional<String> adminToken = Optional.empty();
        private boolean jsonLogs;
        private Discovery discovery = Discovery.DEFAULT;
        private Optional<TlsSettings> tls = Optional.empty();
        private Optional<AccessLogSettings> accessLog = Optional.empty();
        private CidrSet trustedProxies = CidrSet.EMPTY;
        private boolean proxyProtocol;

        private Builder() {
        }

        private Builder(ProxyConfig c) {
            source = c.source;
            listen = c.listen;
            workers = c.workers;
            automation = c.automation;
            state = c.state;
            dockerHost = c.dockerHost;
            containers = c.containers;
            routes = c.routes;
            tcp = c.tcp;
            timeouts = c.timeouts;
            limits = c.limits;
            adminToken = c.adminToken;
            jsonLogs = c.jsonLogs;
            discovery = c.discovery;
            tls = c.tls;
            accessLog = c.accessLog;
            trustedProxies = c.trustedProxies;
            proxyProtocol = c.proxyProtocol;
        }

        /** The file it was read from. */
        public Builder source(Path file) {
            this.source = Optional.of(file);
            return this;
        }

        public Builder listen(HostPort listen) {
            this.listen = Objects.requireNonNull(listen, "listen");
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        public Builder automation(AutomationSettings automation) {
            this.automation = Objects.requireNonNull(automation, "automation");
            return this;
        }

        public Builder state(StateSettings state) {
            this.state = Objects.requireNonNull(state, "state");
            return this;
        }

        public Builder dockerHost(String dockerHost) {
            this.dockerHost = Objects.requireNonNull(dockerHost, "dockerHost");
            return this;
        }

        public Builder containers(Map<String, ContainerSpec> containers) {
            this.containers = Objects.requireNonNull(containers, "containers");
            return this;
        }

        public Builder routes(List<RouteSpec> routes) {
            this.routes = Objects.requireNonNull(routes, "routes");
            return this;
        }

        public Builder tcp(List<TcpSpec> tcp) {
            this.tcp = Objects.requireNonNull(tcp, "tcp");
            return this;
        }

        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder adminToken(Optional<String> adminToken) {
            this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
            return this;
        }

        public Builder jsonLogs(boolean jsonLogs) {
            this.jsonLogs = jsonLogs;
            return this;
        }

        public Builder discovery(Discovery discovery) {
            this.discovery = Objects.requireNonNull(discovery, "discovery");
            return this;
        }

        public Builder tls(Optional<TlsSettings> tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        public Builder accessLog(Optional<AccessLogSettings> accessLog) {
            this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
            return this;
        }

        public Builder trustedProxies(CidrSet trustedProxies) {
            this.trustedProxies = Objects.requireNonNull(trustedProxies, "trustedProxies");
            return this;
        }

        public Builder proxyProtocol(boolean proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
            return this;
        }

        public ProxyConfig build() {
            return new ProxyConfig(source, listen, workers, automation, state, dockerHost, containers, routes, tcp,
                    timeouts, limits, adminToken, jsonLogs, discovery, tls, accessLog, trustedProxies, proxyProtocol);
        }
    }
}

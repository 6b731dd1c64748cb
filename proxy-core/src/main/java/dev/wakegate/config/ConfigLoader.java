package dev.wakegate.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.wakegate.route.RouteTrie;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the YAML config file (the contract in DESIGN.md "Config") into a validated, immutable
 * {@link ProxyConfig}, then applies the environment overrides ({@link EnvOverrides}).
 *
 * <p>The YAML is read into a Jackson tree and checked by hand rather than bound to classes, so that
 * every refusal names the file, the key path ({@code routes[2].upstream},
 * {@code containers.grafana.depends_on[0]}) and the reason. Unknown keys are refused everywhere:
 * a typo must not silently fall back to a default. Called once at start-up, off any event loop.
 */
public final class ConfigLoader {
    public static final HostPort DEFAULT_LISTEN = new HostPort("0.0.0.0", 8000);
    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

    /**
     * Event-loop threads at most: each is a thread with its own allocator caches, and more loops
     * than cores only add switching; far more (say 100000) would exhaust memory before serving.
     */
    public static final int MAX_WORKERS = 256;
    /** The idle check reads every container and takes a store lease each time: never a busy loop. */
    public static final Duration MIN_IDLE_CHECK_INTERVAL = Duration.ofMillis(100);

    // Docker's own container-name rule; also keeps names apart from HOST:PORT addresses.
    private static final Pattern CONTAINER_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

    // EMPTY_STRING_AS_NULL: "bare:" with no value means null in YAML, not "".
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigLoader() {
    }

    /** Everything at its default, no file and no environment: for tests and code-built configs. */
    public static ProxyConfig defaults() {
        return new ProxyConfig(Optional.empty(), DEFAULT_LISTEN, Runtime.getRuntime().availableProcessors(),
                AutomationSettings.DEFAULTS, Optional.empty(), DEFAULT_DOCKER_HOST, Map.of(), List.of(), List.of(),
                Timeouts.DEFAULTS, Limits.DEFAULTS, Optional.empty(), false, Discovery.DEFAULT);
    }

    /** Reads {@code file}, validates it and applies {@code env} (which wins over the file). */
    public static ProxyConfig load(Path file, Map<String, String> env) throws ConfigException {
        String name = file.toString();
        if (Files.isDirectory(file)) {
            throw new ConfigException(name, "(file)", "is a directory, not a config file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, "(file)", "no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(name, "(file)", "cannot be read: permission denied");
        } catch (MalformedInputException e) {
            throw new ConfigException(name, "(file)", "is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(name, "(file)", "cannot be read: " + e);
        }
        ProxyConfig parsed = parse(text, name, env);
        return new ProxyConfig(Optional.of(file), parsed.listen(), parsed.workers(), parsed.automation(),
                parsed.redisUrl(), parsed.dockerHost(), parsed.containers(), parsed.routes(), parsed.tcp(),
                parsed.timeouts(), parsed.limits(), parsed.adminToken(), parsed.jsonLogs(), parsed.discovery());
    }

    /**
     * Parses and validates {@code yaml}; {@code fileName} is only used in error messages.
     *
     * @throws ConfigException naming {@code fileName} (or "environment"), the key and the reason
     */
    public static ProxyConfig parse(String yaml, String fileName, Map<String, String> env) throws ConfigException {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JacksonException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "(root)" : "(line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw new ConfigException(fileName, where, "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(fileName, "(file)", "cannot be read: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(fileName, "(file)", "is empty: expected a YAML mapping with at least routes: or containers:");
        }
        ProxyConfig fromFile = new Reader(fileName).read(YamlSection.of(fileName, "", tree,
                "listen", "workers", "automation", "state", "docker", "containers", "routes", "tcp",
                "timeouts", "limits", "logging"));
        return EnvOverrides.apply(fromFile, env);
    }

    static boolean validContainerName(String name) {
        return CONTAINER_NAME.matcher(name).matches();
    }

    static void checkRedisUrl(String file, String key, String url) throws ConfigException {
        if (!(url.startsWith("redis://") || url.startsWith("rediss://") || url.startsWith("redis-socket://"))) {
            throw new ConfigException(file, key, "expected a redis://, rediss:// or redis-socket:// URL, got '" + url + "'");
        }
    }

    static void checkDockerHost(String file, String key, String host) throws ConfigException {
        if (!(host.startsWith("unix://") || host.startsWith("tcp://") || host.startsWith("npipe://"))) {
            throw new ConfigException(file, key, "expected unix:///path, tcp://HOST:PORT or npipe://..., got '" + host + "'");
        }
    }

    /** One pass over one file; holds the file name for error messages. */
    private static final class Reader {
        private final String file;

        Reader(String file) {
            this.file = file;
        }

        ProxyConfig read(YamlSection root) throws ConfigException {
            HostPort listen = root.hostPort("listen", DEFAULT_LISTEN);
            int workers = root.integer("workers", Runtime.getRuntime().availableProcessors(), 1, MAX_WORKERS);
            AutomationSettings automation = automation(root.section("automation",
                    "auto_start", "auto_stop", "idle_timeout", "high_idle_timeout", "low_idle_timeout",
                    "startup_timeout", "health_check_interval", "idle_check_interval", "max_stops_per_cycle",
                    "min_running"));

            YamlSection state = root.section("state", "redis");
            Optional<String> redis = Optional.ofNullable(state.string("redis", null));
            if (redis.isPresent()) {
                checkRedisUrl(file, state.keyPath("redis"), redis.get());
            }
            YamlSection docker = root.section("docker", "host", "labels", "project");
            String dockerHost = docker.string("host", DEFAULT_DOCKER_HOST);
            checkDockerHost(file, docker.keyPath("host"), dockerHost);
            Discovery discovery = new Discovery(docker.bool("labels", true),
                    Optional.ofNullable(docker.string("project", null)));

            Map<String, ContainerSpec> containers = containers(root.anyKeys("containers"));
            ConfigChecks.checkDependencies(file, containers);
            List<RouteSpec> routes = routes(root, containers);
            List<TcpSpec> tcp = tcp(root, containers, listen);
            Timeouts timeouts = timeouts(root.section("timeouts", "header_read", "body_read", "idle_keep_alive",
                    "client_send", "upstream_connect", "upstream_send", "upstream_response", "upstream_read", "upstream_idle", "docker_call",
                    "drain"));
            Limits limits = limits(root.section("limits", "max_request_line", "max_head_size", "max_headers",
                    "park_buffer", "max_parked"));
            boolean json = root.section("logging", "json").bool("json", false);

            return new ProxyConfig(Optional.empty(), listen, workers, automation, redis, dockerHost, containers,
                    routes, tcp, timeouts, limits, Optional.empty(), json, discovery);
        }

        private AutomationSettings automation(YamlSection a) throws ConfigException {
            AutomationSettings d = AutomationSettings.DEFAULTS;
            return new AutomationSettings(
                    a.bool("auto_start", d.autoStart()),
                    a.bool("auto_stop", d.autoStop()),
                    a.duration("idle_timeout", d.idleTimeout()),
                    a.duration("high_idle_timeout", d.highIdleTimeout()),
                    a.duration("low_idle_timeout", d.lowIdleTimeout()),
                    a.duration("startup_timeout", d.startupTimeout()),
                    a.duration("health_check_interval", d.healthCheckInterval()),
                    a.duration("idle_check_interval", d.idleCheckInterval(), MIN_IDLE_CHECK_INTERVAL),
                    a.integer("max_stops_per_cycle", d.maxStopsPerCycle(), 1),
                    a.integer("min_running", d.minRunning(), 0));
        }

        private Map<String, ContainerSpec> containers(YamlSection section) throws ConfigException {
            Map<String, ContainerSpec> out = new LinkedHashMap<>();
            for (String name : section.keys()) {
                if (!validContainerName(name)) {
                    throw section.error(name, "not a valid container name (letters, digits, '_', '.', '-';"
                            + " starting with a letter or digit)");
                }
                YamlSection c = section.section(name, "priority", "upstream", "health", "depends_on", "idle_timeout");
                Priority priority = Priority.NORMAL;
                if (c.has("priority")) {
                    String p = c.string("priority", null);
                    priority = Priority.parse(p);
                    if (priority == null) {
                        throw c.error("priority", "unknown priority '" + p + "' (expected critical, high, normal or low)");
                    }
                }
                Optional<HostPort> upstream = Optional.ofNullable(c.hostPort("upstream", null));
                HealthProbe health = health(c.section("health", "http", "tcp"));
                List<String> deps = c.strings("depends_on");
                for (int i = 0; i < deps.size(); i++) {
                    if (deps.indexOf(deps.get(i)) != i) {
                        throw new ConfigException(file, c.keyPath("depends_on") + "[" + i + "]",
                                "'" + deps.get(i) + "' is listed twice");
                    }
                }
                Optional<Duration> idle = Optional.ofNullable(c.duration("idle_timeout", null));
                out.put(name, new ContainerSpec(name, priority, upstream, health, deps, idle, false));
            }
            return out;
        }

        private HealthProbe health(YamlSection h) throws ConfigException {
            if (h.has("http") && h.has("tcp")) {
                throw new ConfigException(file, h.path(), "give either http: /path or tcp: true, not both");
            }
            if (h.has("http")) {
                String path = h.string("http", null);
                if (!path.startsWith("/")) {
                    throw h.error("http", "health check path must start with '/', got '" + path + "'");
                }
                return HealthProbe.http(path);
            }
            if (h.has("tcp")) {
                if (!h.bool("tcp", false)) {
                    throw h.error("tcp", "only tcp: true is meaningful (leave health: out for the default)");
                }
                return HealthProbe.TCP;
            }
            return HealthProbe.DEFAULT;
        }

        private List<RouteSpec> routes(YamlSection root, Map<String, ContainerSpec> containers) throws ConfigException {
            List<JsonNode> items = root.list("routes");
            List<RouteSpec> out = new ArrayList<>(items.size());
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).isNull()) {
                    throw new ConfigException(file, "routes[" + i + "]", "is empty: a route needs at least path:");
                }
                YamlSection r = YamlSection.of(file, "routes[" + i + "]", items.get(i),
                        "path", "containers", "upstream", "waiting_page");
                String rawPath = r.string("path", null);
                if (rawPath == null) {
                    throw r.error("path", "is missing: every route needs a path prefix like /api");
                }
                String path;
                try {
                    path = RouteTrie.Builder.normalise(rawPath);
                } catch (IllegalArgumentException e) {
                    throw r.error("path", e.getMessage());
                }
                Integer earlier = seen.putIfAbsent(path, i);
                if (earlier != null) {
                    throw r.error("path", "duplicate route path " + path + " (also routes[" + earlier + "])");
                }
                List<String> names = new ArrayList<>(r.strings("containers"));
                for (int j = 0; j < names.size(); j++) {
                    if (!containers.containsKey(names.get(j))) {
                        throw new ConfigException(file, r.keyPath("containers") + "[" + j + "]",
                                "container '" + names.get(j) + "' is not declared under containers:");
                    }
                }
                Target target = target(r, "upstream", names, containers, "route " + path);
                if (target.container != null && !names.contains(target.container)) {
                    // Forwarding to a container the route would not wake makes no sense: wake it too.
                    names.add(target.container);
                }
                out.add(new RouteSpec(path, names, target.address, target.name, r.bool("waiting_page", true)));
            }
            return out;
        }

        private List<TcpSpec> tcp(YamlSection root, Map<String, ContainerSpec> containers, HostPort frontListen)
                throws ConfigException {
            List<JsonNode> items = root.list("tcp");
            List<TcpSpec> out = new ArrayList<>(items.size());
            Map<HostPort, Integer> seen = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                YamlSection t = YamlSection.of(file, "tcp[" + i + "]", items.get(i), "listen", "container", "upstream");
                HostPort listen = t.hostPort("listen", null);
                if (listen == null) {
                    throw t.error("listen", "is missing: a tcp entry needs listen: HOST:PORT");
                }
                Integer earlier = seen.putIfAbsent(listen, i);
                if (earlier != null) {
                    throw t.error("listen", "duplicate tcp listen address " + listen + " (also tcp[" + earlier + "])");
                }
                if (listen.equals(frontListen)) {
                    throw t.error("listen", "the HTTP front listener already uses " + listen);
                }
                String container = t.string("container", null);
                if (container != null && !containers.containsKey(container)) {
                    throw t.error("container", "container '" + container + "' is not declared under containers:");
                }
                Target target = target(t, "upstream", container == null ? List.of() : List.of(container), containers,
                        "tcp " + listen);
                out.add(new TcpSpec(listen, Optional.ofNullable(container), target.address));
            }
            return out;
        }

        /** What an {@code upstream:} resolves to; container is null when it was a HOST:PORT. */
        private record Target(HostPort address, String name, String container) {
        }

        private Target target(YamlSection s, String key, List<String> candidates, Map<String, ContainerSpec> containers,
                              String what) throws ConfigException {
            String given = s.string(key, null);
            if (given == null) {
                List<String> withUpstream = candidates.stream()
                        .filter(n -> containers.get(n).upstream().isPresent()).toList();
                if (withUpstream.size() == 1) {
                    String n = withUpstream.get(0);
                    return new Target(containers.get(n).upstream().get(), n, n);
                }
                throw s.error(key, withUpstream.isEmpty()
                        ? "is missing: " + what + " needs upstream: HOST:PORT or a container with an upstream address"
                        : "is missing and ambiguous: " + String.join(" and ", withUpstream)
                                + " both have an upstream address; name one");
            }
            if (HostPort.looksLikeAddress(given)) {
                return new Target(s.hostPort(key, null), given, null);
            }
            ContainerSpec spec = containers.get(given);
            if (spec == null) {
                throw s.error(key, "'" + given + "' is neither HOST:PORT nor a container declared under containers:");
            }
            if (spec.upstream().isEmpty()) {
                throw s.error(key, "container '" + given + "' has no upstream address (give it upstream: HOST:PORT)");
            }
            return new Target(spec.upstream().get(), given, given);
        }

        private Timeouts timeouts(YamlSection t) throws ConfigException {
            Timeouts d = Timeouts.DEFAULTS;
            return new Timeouts(
                    t.duration("header_read", d.headerRead()),
                    t.duration("body_read", d.bodyRead()),
                    t.duration("idle_keep_alive", d.idleKeepAlive()),
                    t.duration("client_send", d.clientSend()),
                    t.duration("upstream_connect", d.upstreamConnect()),
                    t.duration("upstream_send", d.upstreamSend()),
                    t.duration("upstream_response", d.upstreamResponse()),
                    t.duration("upstream_read", d.upstreamRead()),
                    t.duration("upstream_idle", d.upstreamIdle()),
                    t.duration("docker_call", d.dockerCall()),
                    t.duration("drain", d.drain()));
        }

        private Limits limits(YamlSection l) throws ConfigException {
            Limits d = Limits.DEFAULTS;
            return new Limits(
                    l.size("max_request_line", d.maxRequestLine()),
                    l.size("max_head_size", d.maxHeadSize()),
                    l.integer("max_headers", d.maxHeaders(), 1),
                    l.size("park_buffer", d.parkBufferBytes()),
                    l.integer("max_parked", d.maxParked(), 1));
        }
    }
}

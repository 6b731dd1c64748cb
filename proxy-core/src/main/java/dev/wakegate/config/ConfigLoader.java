package dev.wakegate.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.wakegate.net.CidrSet;
import dev.wakegate.route.HostNames;
import dev.wakegate.route.RouteTrie;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the YAML config file (every key: docs/configuration.md) into a validated, immutable
 * {@link ProxyConfig}, then applies the environment overrides ({@link EnvOverrides}).
 *
 * <p>The YAML is read into a Jackson tree and checked by hand rather than bound to classes, so that
 * every refusal names the file, the key path ({@code routes[2].upstream},
 * {@code containers.grafana.depends_on[0]}) and the reason. Unknown keys are refused everywhere:
 * a typo must not silently fall back to a default. The keys each mapping accepts are declared in
 * {@link ConfigKeys}. Called once at start-up, off any event loop.
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
        return ProxyConfig.builder().build();
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
        Path base = Objects.requireNonNull(file.toAbsolutePath().getParent(), "a file has a parent directory");
        ProxyConfig parsed = parse(text, name, env, base);
        if (parsed.tls().isPresent()) {
            TlsChecks.checkCertificates(name, parsed.tls().get());
        }
        return parsed.toBuilder().source(file).build();
    }

    /**
     * Parses and validates {@code yaml}; {@code fileName} is only used in error messages. Relative
     * certificate paths are taken from the working directory, and the certificate files are not
     * read: {@link #load} does that.
     *
     * @throws ConfigException naming {@code fileName} (or "environment"), the key and the reason
     */
    public static ProxyConfig parse(String yaml, String fileName, Map<String, String> env) throws ConfigException {
        return parse(yaml, fileName, env, Path.of("").toAbsolutePath());
    }

    private static ProxyConfig parse(String yaml, String fileName, Map<String, String> env, Path baseDir)
            throws ConfigException {
        JsonNode tree;
        try {
            tree = YAML.readTree(yaml);
        } catch (JacksonException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "(root)" : "(line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
            throw new ConfigException(fileName, where, "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(fileName, "(file)", "cannot be read: " + String.valueOf(e.getMessage()));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new ConfigException(fileName, "(file)", "is empty: expected a YAML mapping with at least routes: or containers:");
        }
        ProxyConfig fromFile = new Reader(fileName, baseDir).read(YamlSection.of(fileName, "", tree, ConfigKeys.ROOT));
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
        private final Path baseDir;
        /** The largest waiting-page template accepted. */
        static final int MAX_TEMPLATE = 64 * 1024;

        Reader(String file, Path baseDir) {
            this.file = file;
            this.baseDir = baseDir;
        }

        ProxyConfig read(YamlSection root) throws ConfigException {
            HostPort listen = root.hostPort("listen", DEFAULT_LISTEN);
            int workers = root.integer("workers", Runtime.getRuntime().availableProcessors(), 1, MAX_WORKERS);
            AutomationSettings automation = automation(root.section("automation", ConfigKeys.AUTOMATION));

            YamlSection stateSection = root.section("state", ConfigKeys.STATE);
            Optional<String> redis = Optional.ofNullable(stateSection.optString("redis"));
            if (redis.isPresent()) {
                checkRedisUrl(file, stateSection.keyPath("redis"), redis.get());
            }
            Duration instanceTimeout = stateSection.duration("instance_timeout", StateSettings.DEFAULT_INSTANCE_TIMEOUT);
            if (instanceTimeout.compareTo(StateSettings.MIN_INSTANCE_TIMEOUT) < 0
                    || instanceTimeout.compareTo(StateSettings.MAX_INSTANCE_TIMEOUT) > 0) {
                throw new ConfigException(file, stateSection.keyPath("instance_timeout"), "must be between "
                        + Durations.format(StateSettings.MIN_INSTANCE_TIMEOUT) + " (longer than an instance's usage"
                        + " lasts in the store) and " + Durations.format(StateSettings.MAX_INSTANCE_TIMEOUT)
                        + ", got " + Durations.format(instanceTimeout));
            }
            StateSettings state = new StateSettings(redis, instanceTimeout);
            YamlSection docker = root.section("docker", ConfigKeys.DOCKER);
            String dockerHost = docker.string("host", DEFAULT_DOCKER_HOST);
            checkDockerHost(file, docker.keyPath("host"), dockerHost);
            Discovery discovery = new Discovery(docker.bool("labels", true),
                    Optional.ofNullable(docker.optString("project")));

            Map<String, ContainerSpec> containers = containers(root.anyKeys("containers"));
            ConfigChecks.checkDependencies(file, containers);
            List<RouteSpec> routes = routes(root, containers);
            Optional<TlsSettings> tls = root.has("tls")
                    ? Optional.of(tls(root.section("tls", ConfigKeys.TLS), listen))
                    : Optional.empty();
            List<TcpSpec> tcp = tcp(root, containers, listen, tls);
            Timeouts timeouts = timeouts(root.section("timeouts", ConfigKeys.TIMEOUTS));
            Limits limits = limits(root.section("limits", ConfigKeys.LIMITS));
            boolean json = root.section("logging", ConfigKeys.LOGGING).bool("json", false);
            Optional<AccessLogSettings> accessLog = root.has("access_log")
                    ? Optional.of(accessLog(root.section("access_log", ConfigKeys.ACCESS_LOG)))
                    : Optional.empty();
            CidrSet trusted = cidrs(root, "trusted_proxies");

            return ProxyConfig.builder().listen(listen).workers(workers).automation(automation).state(state)
                    .dockerHost(dockerHost).containers(containers).routes(routes).tcp(tcp).timeouts(timeouts)
                    .limits(limits).jsonLogs(json).discovery(discovery).tls(tls).accessLog(accessLog)
                    .trustedProxies(trusted).proxyProtocol(root.bool("proxy_protocol", false)).build();
        }

        private AccessLogSettings accessLog(YamlSection a) throws ConfigException {
            String path = a.string("path", "stdout");
            if (path.isBlank()) {
                throw a.error("path", "is empty: give stdout or a file");
            }
            Optional<Path> file = path.equals("stdout") ? Optional.empty()
                    : Optional.of(baseDir.resolve(path).normalize());
            if (file.isPresent() && Files.isDirectory(file.get())) {
                throw a.error("path", "'" + path + "' is a directory, not a file");
            }
            if (file.isPresent() && (file.get().getParent() == null || !Files.isDirectory(file.get().getParent()))) {
                throw a.error("path", "the directory of '" + path + "' does not exist");
            }
            String format = a.string("format", "combined");
            AccessLogSettings.Format f = switch (format) {
                case "combined" -> AccessLogSettings.Format.COMBINED;
                case "json" -> AccessLogSettings.Format.JSON;
                default -> throw a.error("format", "unknown format '" + format + "' (expected combined or json)");
            };
            return new AccessLogSettings(file, f);
        }

        /** A list of CIDR blocks under {@code key} of {@code s}; empty when absent. */
        private CidrSet cidrs(YamlSection s, String key) throws ConfigException {
            if (!s.has(key)) {
                return CidrSet.EMPTY;
            }
            List<String> texts = s.strings(key);
            try {
                return CidrSet.parse(texts);
            } catch (IllegalArgumentException e) {
                String m = String.valueOf(e.getMessage());
                int colon = m.indexOf(':');
                throw new ConfigException(file, s.keyPath(key) + "[" + m.substring(0, colon) + "]", m.substring(colon + 2));
            }
        }

        private AutomationSettings automation(YamlSection a) throws ConfigException {
            AutomationSettings d = AutomationSettings.DEFAULTS;
            ZoneId zone = d.timezone();
            String tz = a.optString("timezone");
            if (tz != null) {
                zone = zone(a, tz);
            }
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
                    a.integer("min_running", d.minRunning(), 0),
                    zone,
                    a.has("no_wake") ? NoWake.read(a.section("no_wake", ConfigKeys.NO_WAKE)) : d.noWake(),
                    a.bytes("min_free_memory", d.minFreeMemory()));
        }

        /** An IANA zone name ({@code Europe/Berlin}) or {@code UTC}; offsets and abbreviations are refused. */
        private ZoneId zone(YamlSection a, String tz) throws ConfigException {
            if (tz.equals("UTC")) {
                return AutomationSettings.UTC;
            }
            if (!ZoneId.getAvailableZoneIds().contains(tz)) {
                throw a.error("timezone", "unknown time zone '" + tz + "' (expected an IANA zone name like"
                        + " Europe/Berlin or America/New_York, or UTC)");
            }
            return ZoneId.of(tz);
        }

        private Map<String, ContainerSpec> containers(YamlSection section) throws ConfigException {
            Map<String, ContainerSpec> out = new LinkedHashMap<>();
            for (String name : section.keys()) {
                if (!validContainerName(name)) {
                    throw section.error(name, "not a valid container name (letters, digits, '_', '.', '-';"
                            + " starting with a letter or digit)");
                }
                YamlSection c = section.section(name, ConfigKeys.CONTAINER);
                Priority priority = Priority.NORMAL;
                if (c.has("priority")) {
                    String p = c.optString("priority");
                    priority = Priority.parse(p);
                    if (priority == null) {
                        throw c.error("priority", "unknown priority '" + p + "' (expected critical, high, normal or low)");
                    }
                }
                Optional<HostPort> upstream = Optional.ofNullable(c.optHostPort("upstream"));
                HealthProbe health = health(c.section("health", ConfigKeys.HEALTH));
                List<String> deps = c.strings("depends_on");
                for (int i = 0; i < deps.size(); i++) {
                    if (deps.indexOf(deps.get(i)) != i) {
                        throw new ConfigException(file, c.keyPath("depends_on") + "[" + i + "]",
                                "'" + deps.get(i) + "' is listed twice");
                    }
                }
                Optional<Duration> idle = Optional.ofNullable(c.optDuration("idle_timeout"));
                SleepPolicy sleep = sleep(c, upstream);
                Workload workload = workload(c);
                if (workload.isService() && sleep.mode() == SleepMode.PAUSE) {
                    throw c.error("sleep", Workload.NO_PAUSE);
                }
                out.put(name, new ContainerSpec(name, priority, upstream, health, deps, idle, false, sleep, workload));
            }
            return out;
        }

        /** {@code kind: container | service} and a service's {@code replicas}. */
        private Workload workload(YamlSection c) throws ConfigException {
            String kind = c.string("kind", Workload.Kind.CONTAINER.wireName());
            if (kind.equals(Workload.Kind.CONTAINER.wireName())) {
                if (c.has("replicas")) {
                    throw c.error("replicas", "only a Swarm service has replicas (add kind: service)");
                }
                return Workload.CONTAINER;
            }
            if (!kind.equals(Workload.Kind.SERVICE.wireName())) {
                throw c.error("kind", "unknown kind '" + kind + "' (expected container or service)");
            }
            if (!c.has("replicas")) {
                return Workload.service(OptionalInt.empty());
            }
            return Workload.service(OptionalInt.of(c.integer("replicas", 1, 1, Workload.MAX_REPLICAS)));
        }

        /** {@code sleep}, {@code keep_awake} and {@code idle_veto} of one container. */
        private SleepPolicy sleep(YamlSection c, Optional<HostPort> upstream) throws ConfigException {
            SleepMode mode = SleepMode.STOP;
            String m = c.optString("sleep");
            if (m != null) {
                mode = SleepMode.parse(m);
                if (mode == null) {
                    throw c.error("sleep", "unknown sleep mode '" + m + "' (expected stop or pause)");
                }
            }
            List<String> given = c.strings("keep_awake");
            List<KeepAwakeWindow> windows = new ArrayList<>(given.size());
            for (int i = 0; i < given.size(); i++) {
                try {
                    windows.add(KeepAwakeWindow.parse(given.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file, c.keyPath("keep_awake") + "[" + i + "]", String.valueOf(e.getMessage()));
                }
            }
            Optional<IdleVeto> veto = Optional.empty();
            YamlSection v = c.section("idle_veto", ConfigKeys.IDLE_VETO);
            if (c.has("idle_veto")) {
                String path = v.optString("http");
                if (path == null) {
                    throw c.error("idle_veto", "give http: /path (the path asked before the container is put to sleep)");
                }
                if (!path.startsWith("/")) {
                    throw v.error("http", "the idle veto path must start with '/', got '" + path + "'");
                }
                if (upstream.isEmpty()) {
                    throw c.error("idle_veto", "the veto is asked of the container's upstream: give it upstream: HOST:PORT");
                }
                veto = Optional.of(new IdleVeto(path));
            }
            return new SleepPolicy(mode, windows, veto);
        }

        private HealthProbe health(YamlSection h) throws ConfigException {
            if (h.has("http") && h.has("tcp")) {
                throw new ConfigException(file, h.path(), "give either http: /path or tcp: true, not both");
            }
            if (h.has("http")) {
                String path = h.string("http", "");
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

        /**
         * {@code waiting_page: FILE}: the template, read now (relative to the config file's folder),
         * at most {@link #MAX_TEMPLATE} bytes of UTF-8, with {@code {{refresh}}} or {@code {{script}}}
         * (else the page would never turn into the site).
         */
        private String waitingTemplate(YamlSection r, String name) throws ConfigException {
            String key = r.keyPath("waiting_page");
            Path p = baseDir.resolve(name);
            byte[] bytes;
            try {
                if (java.nio.file.Files.size(p) > MAX_TEMPLATE) {
                    throw new ConfigException(file, key, p + " is larger than " + MAX_TEMPLATE / 1024 + " KiB");
                }
                bytes = java.nio.file.Files.readAllBytes(p);
            } catch (java.io.IOException e) {
                throw new ConfigException(file, key, "cannot read the template " + p + ": " + e);
            }
            String text;
            try {
                text = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ConfigException(file, key, "the template " + p + " is not UTF-8");
            }
            if (!text.contains("{{refresh}}") && !text.contains("{{script}}")) {
                throw new ConfigException(file, key, "the template " + p + " has neither {{script}} nor {{refresh}}:"
                        + " the page would never turn into the site");
            }
            return text;
        }

        private List<RouteSpec> routes(YamlSection root, Map<String, ContainerSpec> containers) throws ConfigException {
            List<JsonNode> items = root.list("routes");
            List<RouteSpec> out = new ArrayList<>(items.size());
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i).isNull()) {
                    throw new ConfigException(file, "routes[" + i + "]", "is empty: a route needs at least path:");
                }
                YamlSection r = YamlSection.of(file, "routes[" + i + "]", items.get(i), ConfigKeys.ROUTE);
                String rawPath = r.optString("path");
                if (rawPath == null) {
                    throw r.error("path", "is missing: every route needs a path prefix like /api");
                }
                String path;
                try {
                    path = RouteTrie.Builder.normalise(rawPath);
                } catch (IllegalArgumentException e) {
                    throw r.error("path", String.valueOf(e.getMessage()));
                }
                List<String> hosts = hosts(r);
                for (String key : hosts.isEmpty() ? List.of(path) : hosts.stream().map(h -> h + path).toList()) {
                    Integer earlier = seen.putIfAbsent(key, i);
                    if (earlier != null) {
                        throw r.error("path", "duplicate route " + (hosts.isEmpty() ? "path " : "") + key
                                + " (also routes[" + earlier + "])");
                    }
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
                long maxBody = r.has("max_body") ? r.size("max_body", 1) : 0;
                JsonNode page = r.get("waiting_page");
                boolean waitingPage = page == null || !page.isTextual() ? r.bool("waiting_page", true) : true;
                String template = page != null && page.isTextual() ? waitingTemplate(r, page.asText()) : null;
                NoWake noWake = r.has("no_wake") ? NoWake.read(r.section("no_wake", ConfigKeys.ROUTE_NO_WAKE)) : null;
                out.add(new RouteSpec(path, names, target.address, target.name, waitingPage, hosts,
                        maxBody, cidrs(r, "allow"), cidrs(r, "deny"), template, noWake));
            }
            return out;
        }

        /** {@code host:} as one name or a list of names, normalised; empty when absent. */
        private List<String> hosts(YamlSection r) throws ConfigException {
            JsonNode v = r.get("host");
            if (v == null) {
                return List.of();
            }
            List<String> given;
            List<String> keys = new ArrayList<>();
            if (v.isArray()) {
                given = r.strings("host");
                if (given.isEmpty()) {
                    throw r.error("host", "is an empty list: leave host: out for a route that serves any host");
                }
                for (int j = 0; j < given.size(); j++) {
                    keys.add(r.keyPath("host") + "[" + j + "]");
                }
            } else {
                given = List.of(r.optString("host"));
                keys.add(r.keyPath("host"));
            }
            List<String> out = new ArrayList<>();
            for (int j = 0; j < given.size(); j++) {
                String h;
                try {
                    h = HostNames.normalise(given.get(j));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file, keys.get(j), String.valueOf(e.getMessage()));
                }
                if (out.contains(h)) {
                    throw new ConfigException(file, keys.get(j), "'" + h + "' is listed twice");
                }
                out.add(h);
            }
            return out;
        }

        private TlsSettings tls(YamlSection t, HostPort frontListen) throws ConfigException {
            HostPort listen = t.optHostPort("listen");
            if (listen == null) {
                throw t.error("listen", "is missing: the HTTPS listener needs listen: HOST:PORT (e.g. 0.0.0.0:443)");
            }
            if (listen.equals(frontListen)) {
                throw t.error("listen", "the HTTP front listener already uses " + listen);
            }
            List<JsonNode> items = t.list("certificates");
            if (items.isEmpty()) {
                throw t.error("certificates", "is missing: give at least one { cert: FILE, key: FILE }");
            }
            List<TlsSettings.CertificateFiles> certificates = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                YamlSection c = YamlSection.of(file, t.keyPath("certificates") + "[" + i + "]", items.get(i),
                        ConfigKeys.CERTIFICATE);
                String cert = c.optString("cert");
                String key = c.optString("key");
                if (cert == null) {
                    throw c.error("cert", "is missing: the PEM file with the certificate chain, leaf first");
                }
                if (key == null) {
                    throw c.error("key", "is missing: the PEM file with the private key");
                }
                TlsSettings.CertificateFiles files = new TlsSettings.CertificateFiles(baseDir.resolve(cert).normalize(),
                        baseDir.resolve(key).normalize());
                for (int j = 0; j < certificates.size(); j++) {
                    if (certificates.get(j).cert().equals(files.cert())) {
                        throw c.error("cert", "'" + cert + "' is listed twice (also " + t.keyPath("certificates")
                                + "[" + j + "])");
                    }
                }
                certificates.add(files);
            }
            Optional<Integer> redirectPort = Optional.empty();
            if (t.has("redirect_port")) {
                int port = t.integer("redirect_port", 443, 1);
                if (port > 65535) {
                    throw t.error("redirect_port", "must be a port between 1 and 65535, got " + port);
                }
                redirectPort = Optional.of(port);
            }
            return new TlsSettings(listen, certificates, t.bool("redirect_http", false), redirectPort,
                    Optional.ofNullable(t.optDuration("hsts")), t.bool("proxy_protocol", false));
        }

        private List<TcpSpec> tcp(YamlSection root, Map<String, ContainerSpec> containers, HostPort frontListen,
                                  Optional<TlsSettings> tls) throws ConfigException {
            List<JsonNode> items = root.list("tcp");
            List<TcpSpec> out = new ArrayList<>(items.size());
            Map<HostPort, Integer> seen = new HashMap<>();
            for (int i = 0; i < items.size(); i++) {
                YamlSection t = YamlSection.of(file, "tcp[" + i + "]", items.get(i), ConfigKeys.TCP);
                HostPort listen = t.optHostPort("listen");
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
                if (tls.isPresent() && listen.equals(tls.get().listen())) {
                    throw t.error("listen", "the HTTPS listener (tls.listen) already uses " + listen);
                }
                boolean terminate = t.bool("tls", false);
                if (terminate && tls.isEmpty()) {
                    throw t.error("tls", "needs certificates: add a tls: section with listen: and certificates:");
                }
                String container = t.optString("container");
                if (container != null && !containers.containsKey(container)) {
                    throw t.error("container", "container '" + container + "' is not declared under containers:");
                }
                Target target = target(t, "upstream", container == null ? List.of() : List.of(container), containers,
                        "tcp " + listen);
                out.add(new TcpSpec(listen, Optional.ofNullable(container), target.address, terminate,
                        t.bool("proxy_protocol", false)));
            }
            return out;
        }

        /** What an {@code upstream:} resolves to; container is null when it was a HOST:PORT. */
        private record Target(HostPort address, String name, @Nullable String container) {
        }

        private Target target(YamlSection s, String key, List<String> candidates, Map<String, ContainerSpec> containers,
                              String what) throws ConfigException {
            String given = s.optString(key);
            if (given == null) {
                List<String> withUpstream = candidates.stream()
                        .filter(n -> Objects.requireNonNull(containers.get(n)).upstream().isPresent()).toList();
                if (withUpstream.size() == 1) {
                    String n = withUpstream.get(0);
                    return new Target(Objects.requireNonNull(containers.get(n)).upstream().get(), n, n);
                }
                throw s.error(key, withUpstream.isEmpty()
                        ? "is missing: " + what + " needs upstream: HOST:PORT or a container with an upstream address"
                        : "is missing and ambiguous: " + String.join(" and ", withUpstream)
                                + " both have an upstream address; name one");
            }
            if (HostPort.looksLikeAddress(given)) {
                return new Target(Objects.requireNonNull(s.optHostPort(key)), given, null); // present: given is its text
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
                    l.integer("max_parked", d.maxParked(), 1),
                    l.has("max_body") ? l.size("max_body", 1) : d.maxBody());
        }
    }
}

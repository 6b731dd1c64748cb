package dev.wakegate.config;

import dev.wakegate.route.HostNames;
import dev.wakegate.route.RouteTrie;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Config without YAML (docs/configuration.md, "Labels"): turns the {@code wakegate.*} labels of one
 * container into a {@link ContainerSpec} and its routes. Pure and quick; the Docker discovery in
 * proxy-server calls it for each container it sees and hands the results to {@link ConfigMerge}.
 *
 * <p>The spec is named after the compose service when there is one (that is what compose users
 * write in {@code depends_on}), else after the container. Errors name "labels of container X" as
 * the file and the label as the key.
 */
public final class LabelConfig {
    public static final String ENABLE = "wakegate.enable";
    public static final String ROUTE = "wakegate.route";
    public static final String HOST = "wakegate.host";
    public static final String UPSTREAM = "wakegate.upstream";
    public static final String PORT = "wakegate.port";
    public static final String PRIORITY = "wakegate.priority";
    public static final String HEALTH = "wakegate.health";
    public static final String DEPENDS_ON = "wakegate.depends_on";
    public static final String IDLE_TIMEOUT = "wakegate.idle_timeout";
    public static final String WAITING_PAGE = "wakegate.waiting_page";
    /** On a Swarm service: how many replicas a wake scales it to. */
    public static final String REPLICAS = "wakegate.replicas";
    /**
     * Written by wakegate on a Swarm service it scales to 0: the replica count it had, which a wake
     * restores when {@link #REPLICAS} (or {@code replicas:} in YAML) does not say.
     */
    public static final String LAST_REPLICAS = "wakegate.last_replicas";
    public static final String SLEEP = "wakegate.sleep";
    /** Keep-awake windows, separated by {@code ;} (a window's own day list uses commas). */
    public static final String KEEP_AWAKE = "wakegate.keep_awake";
    public static final String IDLE_VETO = "wakegate.idle_veto";
    /** Marks containers made by tests; tolerated so test containers may also be managed. */
    public static final String TEST = "wakegate.test";

    /** Every {@code wakegate.*} label it accepts; any other is refused (and docs/configuration.md lists these). */
    static final Set<String> KNOWN = Set.of(ENABLE, ROUTE, HOST, UPSTREAM, PORT, PRIORITY, HEALTH, DEPENDS_ON,
            IDLE_TIMEOUT, WAITING_PAGE, SLEEP, KEEP_AWAKE, IDLE_VETO, REPLICAS, LAST_REPLICAS, TEST);

    /** Set by Compose v2 on each container: {@code service:condition:restart} entries, comma-separated. */
    public static final String COMPOSE_DEPENDS_ON = "com.docker.compose.depends_on";

    /**
     * One label-configured container and the routes its labels declare.
     *
     * @param composeDependsOn the services its compose file says it depends on; {@link ConfigMerge}
     *                         adds those that wakegate manages to its {@code depends_on}, so they are
     *                         started first (unmanaged ones are the operator's to keep running)
     */
    public record Labelled(ContainerSpec spec, List<RouteSpec> routes, List<String> composeDependsOn) {
        public Labelled {
            routes = List.copyOf(routes);
            composeDependsOn = List.copyOf(composeDependsOn);
        }

        public Labelled(ContainerSpec spec, List<RouteSpec> routes) {
            this(spec, routes, List.of());
        }
    }

    private LabelConfig() {
    }

    /**
     * @param containerName  the container's name (without Docker's leading slash)
     * @param composeService its {@code com.docker.compose.service} label, or null
     * @return empty unless the container carries {@code wakegate.enable=true}
     */
    public static Optional<Labelled> parse(String containerName, @Nullable String composeService, Map<String, String> labels)
            throws ConfigException {
        return parse(containerName, composeService, labels, Workload.Kind.CONTAINER);
    }

    /**
     * A Swarm service's own labels (those of its spec, not of its tasks' containers): managed under
     * the service's name, woken by scaling it up to {@code wakegate.replicas}.
     *
     * @return empty unless the service carries {@code wakegate.enable=true}
     */
    public static Optional<Labelled> parseService(String serviceName, Map<String, String> labels)
            throws ConfigException {
        return parse(serviceName, null, labels, Workload.Kind.SERVICE);
    }

    private static Optional<Labelled> parse(String containerName, @Nullable String composeService,
                                            Map<String, String> labels, Workload.Kind kind) throws ConfigException {
        String file = kind == Workload.Kind.SERVICE ? ConfigChecks.serviceLabelsFile(containerName)
                : ConfigChecks.labelsFile(containerName);
        String enable = labels.get(ENABLE);
        if (enable == null || !enable.trim().equalsIgnoreCase("true")) {
            return Optional.empty();
        }
        for (String label : new TreeSet<>(labels.keySet())) {
            if (label.startsWith("wakegate.") && !KNOWN.contains(label)) {
                throw new ConfigException(file, label, "unknown wakegate label (expected one of "
                        + String.join(", ", new TreeSet<>(KNOWN)) + ")");
            }
        }
        String name = composeService != null && !composeService.isBlank() ? composeService.trim() : containerName;
        if (!ConfigLoader.validContainerName(name)) {
            throw new ConfigException(file, composeService != null ? "com.docker.compose.service" : "(name)",
                    "'" + name + "' is not a valid container name");
        }

        Priority priority = Priority.NORMAL;
        String p = value(labels, PRIORITY);
        if (p != null) {
            priority = Priority.parse(p);
            if (priority == null) {
                throw new ConfigException(file, PRIORITY,
                        "unknown priority '" + p + "' (expected critical, high, normal or low)");
            }
        }

        Optional<HostPort> upstream = Optional.empty();
        String up = value(labels, UPSTREAM);
        String port = value(labels, PORT);
        if (up != null && port != null) {
            throw new ConfigException(file, PORT, "give either " + UPSTREAM + " or " + PORT + ", not both");
        }
        if (up != null) {
            upstream = Optional.of(hostPort(file, UPSTREAM, up));
        } else if (port != null) {
            upstream = Optional.of(hostPort(file, PORT, name + ":" + port));
        }

        HealthProbe health = HealthProbe.DEFAULT;
        String h = value(labels, HEALTH);
        if (h != null) {
            if (h.equalsIgnoreCase("tcp")) {
                health = HealthProbe.TCP;
            } else if (h.startsWith("/")) {
                health = HealthProbe.http(h);
            } else {
                throw new ConfigException(file, HEALTH, "expected an HTTP path like /healthz or 'tcp', got '" + h + "'");
            }
        }

        List<String> deps = new ArrayList<>();
        for (String dep : list(labels, DEPENDS_ON)) {
            if (!ConfigLoader.validContainerName(dep)) {
                throw new ConfigException(file, DEPENDS_ON, "'" + dep + "' is not a valid container name");
            }
            if (deps.contains(dep)) {
                throw new ConfigException(file, DEPENDS_ON, "'" + dep + "' is listed twice");
            }
            deps.add(dep);
        }

        Optional<Duration> idle = Optional.empty();
        String it = value(labels, IDLE_TIMEOUT);
        if (it != null) {
            try {
                Duration d = Durations.parse(it);
                if (d.isZero()) {
                    throw new IllegalArgumentException("must be greater than zero");
                }
                idle = Optional.of(d);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, IDLE_TIMEOUT, String.valueOf(e.getMessage()));
            }
        }

        boolean waitingPage = true;
        String wp = value(labels, WAITING_PAGE);
        if (wp != null) {
            if (wp.equalsIgnoreCase("true")) {
                waitingPage = true;
            } else if (wp.equalsIgnoreCase("false")) {
                waitingPage = false;
            } else {
                throw new ConfigException(file, WAITING_PAGE, "expected true or false, got '" + wp + "'");
            }
        }

        List<String> hosts = new ArrayList<>();
        for (String given : list(labels, HOST)) {
            String host;
            try {
                host = HostNames.normalise(given);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, HOST, String.valueOf(e.getMessage()));
            }
            if (hosts.contains(host)) {
                throw new ConfigException(file, HOST, "'" + host + "' is listed twice");
            }
            hosts.add(host);
        }
        List<String> routePaths = list(labels, ROUTE);
        if (!hosts.isEmpty() && routePaths.isEmpty()) {
            routePaths = List.of("/"); // a host alone routes all its paths here
        }

        SleepPolicy sleep = sleep(file, labels, upstream);
        Workload workload = workload(file, kind, labels);
        if (workload.isService() && sleep.mode() == SleepMode.PAUSE) {
            throw new ConfigException(file, SLEEP, Workload.NO_PAUSE);
        }
        ContainerSpec spec = new ContainerSpec(name, priority, upstream, health, deps, idle, true, sleep, workload);
        Set<String> paths = new LinkedHashSet<>();
        List<RouteSpec> routes = new ArrayList<>();
        for (String raw : routePaths) {
            String path;
            try {
                path = RouteTrie.Builder.normalise(raw);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(file, ROUTE, String.valueOf(e.getMessage()));
            }
            if (!paths.add(path)) {
                throw new ConfigException(file, ROUTE, "route " + path + " is listed twice");
            }
            if (upstream.isEmpty()) {
                throw new ConfigException(file, labels.containsKey(ROUTE) ? ROUTE : HOST,
                        "routes need an address: add " + UPSTREAM + "=HOST:PORT or " + PORT + "=PORT");
            }
            routes.add(new RouteSpec(path, List.of(name), upstream.get(), name, waitingPage, hosts));
        }
        return Optional.of(new Labelled(spec, routes, composeDependsOn(labels.get(COMPOSE_DEPENDS_ON))));
    }

    /** A container, or a service woken to its {@code wakegate.replicas} (refused on a container). */
    private static Workload workload(String file, Workload.Kind kind, Map<String, String> labels)
            throws ConfigException {
        String r = value(labels, REPLICAS);
        if (kind == Workload.Kind.CONTAINER) {
            if (r != null) {
                throw new ConfigException(file, REPLICAS, "only a Swarm service's own labels may set it");
            }
            return Workload.CONTAINER;
        }
        if (r == null) {
            return Workload.service(OptionalInt.empty());
        }
        try {
            int n = Integer.parseInt(r);
            if (n >= 1 && n <= Workload.MAX_REPLICAS) {
                return Workload.service(OptionalInt.of(n));
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw new ConfigException(file, REPLICAS, "expected a whole number from 1 to " + Workload.MAX_REPLICAS
                + ", got '" + r + "'");
    }

    /** {@code wakegate.sleep}, {@code wakegate.keep_awake} and {@code wakegate.idle_veto}. */
    private static SleepPolicy sleep(String file, Map<String, String> labels, Optional<HostPort> upstream)
            throws ConfigException {
        SleepMode mode = SleepMode.STOP;
        String m = value(labels, SLEEP);
        if (m != null) {
            mode = SleepMode.parse(m);
            if (mode == null) {
                throw new ConfigException(file, SLEEP, "unknown sleep mode '" + m + "' (expected stop or pause)");
            }
        }
        List<KeepAwakeWindow> windows = new ArrayList<>();
        String ka = value(labels, KEEP_AWAKE);
        if (ka != null) {
            for (String part : ka.split(";")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    windows.add(KeepAwakeWindow.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file, KEEP_AWAKE, String.valueOf(e.getMessage()));
                }
            }
        }
        Optional<IdleVeto> veto = Optional.empty();
        String v = value(labels, IDLE_VETO);
        if (v != null) {
            if (!v.startsWith("/")) {
                throw new ConfigException(file, IDLE_VETO, "expected an HTTP path like /busy, got '" + v + "'");
            }
            if (upstream.isEmpty()) {
                throw new ConfigException(file, IDLE_VETO, "the veto is asked of the container's upstream: add "
                        + UPSTREAM + "=HOST:PORT or " + PORT + "=PORT");
            }
            veto = Optional.of(new IdleVeto(v));
        }
        return new SleepPolicy(mode, windows, veto);
    }

    /** Service names of a {@code com.docker.compose.depends_on} value ({@code db:service_healthy:false,cache:...}). */
    static List<String> composeDependsOn(@Nullable String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String entry : value.split(",")) {
            String service = entry.trim();
            int colon = service.indexOf(':');
            if (colon >= 0) {
                service = service.substring(0, colon);
            }
            if (!service.isEmpty() && ConfigLoader.validContainerName(service) && !out.contains(service)) {
                out.add(service);
            }
        }
        return out;
    }

    private static @Nullable String value(Map<String, String> labels, String key) {
        String v = labels.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static List<String> list(Map<String, String> labels, String key) {
        String v = value(labels, key);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static HostPort hostPort(String file, String key, String text) throws ConfigException {
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, key, String.valueOf(e.getMessage()));
        }
    }
}

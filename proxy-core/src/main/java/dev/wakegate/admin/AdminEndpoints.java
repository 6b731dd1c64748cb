package dev.wakegate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wakegate.admin.AdminModel.ContainerSnapshot;
import dev.wakegate.admin.AdminModel.Dependency;
import dev.wakegate.admin.AdminModel.IdleCheckResult;
import dev.wakegate.admin.AdminModel.OperationResult;
import dev.wakegate.admin.AdminModel.Statistics;
import dev.wakegate.async.Futures;
import dev.wakegate.config.AutomationSettings;
import dev.wakegate.http1.ProblemResponses;
import dev.wakegate.lifecycle.ContainerStatus;
import dev.wakegate.lifecycle.StartFailure;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * The proxy's own {@code /health/*} endpoints, in the shapes docs/operating.md ("Endpoints") shows:
 * <ul>
 *   <li>{@code GET /health/containers}, {@code GET /health/services}, {@code GET /health/automation}: JSON</li>
 *   <li>{@code GET /health/containers/{name}}: one container, 200 unless its start failed (503)</li>
 *   <li>{@code GET /health/wake/{name}[,{name}...]}: the waiting page's long poll (JSON)</li>
 *   <li>{@code GET /health/metrics}: Prometheus text</li>
 *   <li>{@code POST /health/containers/{name}/start|stop}, {@code POST /health/automation/idle-check}</li>
 * </ul>
 * Anything else under {@code /health/} is a 404 problem+json; a wrong method is a 405 with Allow.
 * Every error is a problem+json document made by {@link ProblemResponses}, as the data path's are.
 *
 * <p>POSTs are guarded: with an admin token they need {@code Authorization: Bearer <token>} (401
 * otherwise); without one they are accepted from loopback clients only (403 otherwise). GETs are open.
 *
 * <p>{@link #handle} is called on an event loop. GET JSON is built at once from the model's memory
 * reads; the Prometheus scrape runs on {@code metricsExecutor}; operations complete when the
 * model's futures do. Nothing here blocks.
 */
public final class AdminEndpoints implements LocalEndpoints {
    private static final Logger log = LoggerFactory.getLogger(AdminEndpoints.class);

    static final String PREFIX = "/health/";
    static final String JSON = "application/json";
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String CONTAINERS = "/health/containers";
    private static final String CONTAINERS_PREFIX = "/health/containers/";
    private static final String SERVICES = "/health/services";
    private static final String AUTOMATION = "/health/automation";
    private static final String IDLE_CHECK = "/health/automation/idle-check";
    private static final String METRICS = "/health/metrics";
    private static final String CONFIG_RELOAD = "/health/config/reload";
    private static final String WAKE_PREFIX = "/health/wake/";
    /** How long a {@code /health/wake} poll is held while nothing is ready or failed: the page's state refresh. */
    static final Duration WAKE_HOLD = Duration.ofSeconds(1);
    private static final int MAX_WAKE_NAMES = 32;
    private static final String ALLOW_GET = "GET, HEAD";
    private static final String ALLOW_POST = "POST";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    private final ObjectMapper mapper = new ObjectMapper();
    private final AdminModel model;
    private final byte @Nullable [] tokenDigest;
    private final Supplier<String> metricsText;
    private final Executor metricsExecutor;
    private final Clock clock;
    private volatile @Nullable ConfigReload configReload;

    /**
     * @param adminToken      the bearer token admin POSTs need ({@code WAKEGATE_ADMIN_TOKEN}); empty: loopback only
     * @param metricsText     produces the Prometheus text exposition (e.g. {@code metrics::prometheusText})
     * @param metricsExecutor where the scrape runs, off the event loop
     * @param clock           for the {@code timestamp} fields
     */
    public AdminEndpoints(AdminModel model, Optional<String> adminToken, Supplier<String> metricsText,
                          Executor metricsExecutor, Clock clock) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenDigest = adminToken.filter(t -> !t.isEmpty()).map(AdminEndpoints::sha256).orElse(null);
        this.metricsText = Objects.requireNonNull(metricsText, "metricsText");
        this.metricsExecutor = Objects.requireNonNull(metricsExecutor, "metricsExecutor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Scrapes on the common pool and stamps responses with the UTC system clock. */
    public AdminEndpoints(AdminModel model, Optional<String> adminToken, Supplier<String> metricsText) {
        this(model, adminToken, metricsText, ForkJoinPool.commonPool(), Clock.systemUTC());
    }

    /** What {@code POST /health/config/reload} runs; without one it answers 501. */
    public AdminEndpoints configReload(ConfigReload reload) {
        this.configReload = Objects.requireNonNull(reload, "reload");
        return this;
    }

    @Override
    public boolean handles(String path) {
        return path != null && path.startsWith(PREFIX);
    }

    @Override
    public CompletableFuture<LocalResponse> handle(String method, String path, @Nullable String authorization,
                                                   @Nullable SocketAddress remote) {
        try {
            return route(method, path, authorization, remote);
        } catch (RuntimeException e) {
            // A bug in the model or here must still answer the client, not kill the connection.
            log.warn("admin endpoint {} {} failed", method, path, e);
            return done(problem(500, "the proxy failed to answer " + path));
        }
    }

    private CompletableFuture<LocalResponse> route(String method, String path, @Nullable String authorization,
                                                   @Nullable SocketAddress remote) {
        switch (path) {
            case CONTAINERS:
                return isGet(method) ? done(json(200, containersJson())) : notAllowed(ALLOW_GET);
            case SERVICES:
                return isGet(method) ? done(json(200, servicesJson())) : notAllowed(ALLOW_GET);
            case AUTOMATION:
                return isGet(method) ? done(json(200, automationJson())) : notAllowed(ALLOW_GET);
            case METRICS:
                return isGet(method) ? metrics() : notAllowed(ALLOW_GET);
            case IDLE_CHECK:
                return post(method, authorization, remote, this::idleCheck);
            case CONFIG_RELOAD:
                return post(method, authorization, remote, this::reload);
            default:
                break;
        }
        if (path.startsWith(WAKE_PREFIX)) {
            return wake(method, path.substring(WAKE_PREFIX.length()));
        }
        if (path.startsWith(CONTAINERS_PREFIX)) {
            String rest = path.substring(CONTAINERS_PREFIX.length());
            int slash = rest.indexOf('/');
            if (slash < 0 && !rest.isEmpty()) {
                return isGet(method) ? done(containerJson(rest)) : notAllowed(ALLOW_GET);
            }
            if (slash > 0 && rest.indexOf('/', slash + 1) < 0) {
                String name = rest.substring(0, slash);
                String action = rest.substring(slash + 1);
                if (action.equals("start")) {
                    return post(method, authorization, remote, () -> operation(model.start(name), name));
                }
                if (action.equals("stop")) {
                    return post(method, authorization, remote, () -> operation(model.stop(name), name));
                }
            }
        }
        return done(problem(404, "no endpoint at " + path));
    }

    // ---- GET documents ----

    private ObjectNode containersJson() {
        List<ContainerSnapshot> containers = model.containers();
        ObjectNode root = statusHeader();
        AutomationSettings s = model.settings();
        ObjectNode management = root.putObject("container_management");
        management.put("auto_start_enabled", s.autoStart());
        management.put("auto_stop_enabled", s.autoStop());
        putIdleTimeouts(management, s);
        putSeconds(management, "startup_timeout_seconds", s.startupTimeout());

        ObjectNode summary = root.putObject("container_summary");
        summary.put("total_containers", containers.size());
        // running and stopped are always present (docs/operating.md), other states when seen.
        Map<String, Integer> counts = new TreeMap<>();
        counts.put("running", 0);
        counts.put("stopped", 0);
        for (ContainerSnapshot c : containers) {
            counts.merge(c.state(), 1, Integer::sum);
        }
        ObjectNode stateCounts = summary.putObject("state_counts");
        stateCounts.put("running", counts.remove("running"));
        stateCounts.put("stopped", counts.remove("stopped"));
        counts.forEach(stateCounts::put);

        ObjectNode byName = root.putObject("containers");
        for (ContainerSnapshot c : containers) {
            ObjectNode n = byName.putObject(c.name());
            n.put("state", c.state());
            n.put("priority", c.priority().wireName());
            putInstant(n, "last_access", c.lastAccess());
            n.put("idle_timeout_minutes", c.idleTimeoutMinutes());
            n.put("health", c.health());
            n.put("in_flight", c.inFlight());
            n.put("open_connections", c.openConnections());
            n.put("managed_by", c.managedBy().wireName());
            putInstant(n, "sleeping_since", c.sleepingSince());
            putExpected(n, c.expectedStartMillis());
        }
        return root;
    }

    /**
     * One container, for monitors: 200 while it runs or sleeps by design ("dormant, not down"),
     * 503 only when its latest start failed; 404 for a name the proxy does not manage.
     */
    private LocalResponse containerJson(String name) {
        ContainerSnapshot c = null;
        for (ContainerSnapshot each : model.containers()) {
            if (each.name().equals(name)) {
                c = each;
                break;
            }
        }
        if (c == null) {
            return problem(404, "container " + name + " is not managed");
        }
        ObjectNode n = mapper.createObjectNode();
        boolean failed = c.startFailure() != null;
        boolean asleep = c.state().equals("stopped") || c.state().equals("paused");
        n.put("status", failed ? "down" : asleep ? "dormant" : "up");
        n.put("name", c.name());
        n.put("state", c.state());
        n.put("health", c.health());
        putInstant(n, "last_access", c.lastAccess());
        putInstant(n, "sleeping_since", c.sleepingSince());
        putExpected(n, c.expectedStartMillis());
        if (failed) {
            n.put("reason", c.startFailure());
        }
        putInstant(n, "timestamp", clock.instant());
        return bytes(failed ? 503 : 200, JSON, n, failed ? Map.of("Retry-After", "5") : Map.of());
    }

    // ---- the waiting page's long poll ----

    /**
     * {@code GET /health/wake/{name}[,{name}...]}: starts the containers as a browser navigation to
     * their route does (so only containers some route names are accepted) and answers as soon as
     * they are ready or their start failed, or after {@link #WAKE_HOLD} with where they stand.
     */
    private CompletableFuture<LocalResponse> wake(String method, String list) {
        if (!isGet(method)) {
            return notAllowed(ALLOW_GET);
        }
        List<String> names = List.of(list.split(",", -1));
        if (list.isEmpty() || names.size() > MAX_WAKE_NAMES || names.contains("")) {
            return done(problem(404, "name the containers: /health/wake/NAME[,NAME...] (at most "
                    + MAX_WAKE_NAMES + ")"));
        }
        java.util.Set<String> routed = new java.util.HashSet<>();
        model.routes().values().forEach(routed::addAll);
        for (String name : names) {
            if (!routed.contains(name)) {
                return done(problem(404, "no route wakes a container named " + name));
            }
        }
        CompletableFuture<Void> ready;
        try {
            ready = model.awaitReady(names);
        } catch (RuntimeException e) {
            ready = CompletableFuture.failedFuture(e);
        }
        return ready.thenApply(v -> Boolean.TRUE)
                .completeOnTimeout(Boolean.FALSE, WAKE_HOLD.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .handleAsync((isReady, error) -> json(200, wakeJson(names, Boolean.TRUE.equals(isReady), error)),
                        metricsExecutor);
    }

    private ObjectNode wakeJson(List<String> names, boolean ready, Throwable error) {
        ObjectNode root = mapper.createObjectNode();
        root.put("ready", ready);
        if (error == null) {
            root.putNull("failed");
        } else {
            Throwable cause = Futures.unwrap(error);
            ObjectNode failed = root.putObject("failed");
            if (cause instanceof StartFailure f) {
                failed.put("container", f.container());
                failed.put("reason", f.reason());
            } else {
                failed.putNull("container");
                failed.put("reason", String.valueOf(cause.getMessage()));
            }
        }
        long now = clock.millis();
        ArrayNode list = root.putArray("containers");
        for (ContainerStatus c : model.wakeProgress(names)) {
            ObjectNode n = list.addObject();
            n.put("name", c.name());
            n.put("state", c.wakeState());
            n.put("health", c.health().name().toLowerCase(java.util.Locale.ROOT));
            if (c.startRequested() == null) {
                n.putNull("elapsed_ms");
            } else {
                n.put("elapsed_ms", Math.max(0, now - c.startRequested().toEpochMilli()));
            }
            putExpected(n, c.expectedStartMillis());
        }
        return root;
    }

    /** {@code expected_start_ms}: the median of the recent cold starts, or null when none was seen. */
    private static void putExpected(ObjectNode node, long millis) {
        if (millis <= 0) {
            node.putNull("expected_start_ms");
        } else {
            node.put("expected_start_ms", millis);
        }
    }

    private ObjectNode servicesJson() {
        ObjectNode root = statusHeader();
        ObjectNode mappings = root.putObject("service_mappings");
        ObjectNode deps = mappings.putObject("endpoint_dependencies");
        for (Map.Entry<String, List<String>> e : model.routes().entrySet()) {
            ArrayNode list = deps.putArray(e.getKey());
            e.getValue().forEach(list::add);
        }
        ObjectNode priorities = mappings.putObject("container_priorities");
        for (ContainerSnapshot c : model.containers()) {
            priorities.put(c.name(), c.priority().wireName());
        }
        return root;
    }

    private ObjectNode automationJson() {
        ObjectNode root = statusHeader();
        AutomationSettings s = model.settings();
        root.put("auto_start_enabled", s.autoStart());
        root.put("auto_stop_enabled", s.autoStop());
        ObjectNode settings = root.putObject("settings");
        settings.put("auto_start", s.autoStart());
        settings.put("auto_stop", s.autoStop());
        putIdleTimeouts(settings, s);
        settings.put("critical_idle_timeout_minutes", 0);
        putSeconds(settings, "startup_timeout_seconds", s.startupTimeout());
        putSeconds(settings, "health_check_interval_seconds", s.healthCheckInterval());
        putSeconds(settings, "idle_check_interval_seconds", s.idleCheckInterval());
        settings.put("max_stops_per_cycle", s.maxStopsPerCycle());
        settings.put("min_running", s.minRunning());
        settings.put("timezone", s.timezone().getId());
        settings.put("min_free_memory_bytes", s.minFreeMemory());

        AdminModel.Memory memory = model.memory();
        ObjectNode mem = root.putObject("memory");
        mem.put("early_sleep", s.sleepsEarlyUnderPressure());
        if (memory.availableBytes() == null) {
            mem.putNull("available_bytes");
        } else {
            mem.put("available_bytes", memory.availableBytes());
        }
        mem.put("pressure", memory.pressure());
        if (memory.readAt() == null) {
            mem.putNull("read_at");
        } else {
            putInstant(mem, "read_at", memory.readAt());
        }

        AdminModel.Eviction eviction = model.eviction();
        ObjectNode ev = root.putObject("eviction");
        ev.put("suspended", eviction.suspended());
        if (eviction.suspended()) {
            ev.put("reason", eviction.reason());
            putInstant(ev, "since", eviction.since());
        }

        Statistics st = model.statistics();
        ObjectNode stats = root.putObject("statistics");
        stats.put("start_attempts", st.startAttempts());
        stats.put("start_successes", st.startSuccesses());
        stats.put("start_failures", st.startFailures());
        stats.put("stop_attempts", st.stopAttempts());
        stats.put("stop_successes", st.stopSuccesses());
        stats.put("stop_failures", st.stopFailures());
        if (st.lastIdleCheck() == null) {
            root.putNull("last_idle_check");
        } else {
            putIdleCheck(root.putObject("last_idle_check"), st.lastIdleCheck());
        }
        return root;
    }

    /** {@code status}, {@code timestamp} and the dependencies, common to every GET document. */
    private ObjectNode statusHeader() {
        Dependency docker = model.docker();
        Dependency store = model.stateStore();
        ObjectNode root = mapper.createObjectNode();
        boolean healthy = docker.available() && store.available();
        root.put("status", healthy ? "healthy" : "degraded");
        if (!healthy) {
            ArrayNode unavailable = root.putArray("unavailable");
            if (!docker.available()) {
                unavailable.add("docker");
            }
            if (!store.available()) {
                unavailable.add("state_store");
            }
        }
        putInstant(root, "timestamp", clock.instant());
        putDependency(root.putObject("docker"), docker);
        putDependency(root.putObject("state_store"), store);
        return root;
    }

    private CompletableFuture<LocalResponse> metrics() {
        return CompletableFuture.supplyAsync(metricsText, metricsExecutor)
                .thenApply(text -> new LocalResponse(200, PROMETHEUS_TEXT, text.getBytes(StandardCharsets.UTF_8)))
                .exceptionally(e -> {
                    log.warn("metrics scrape failed", e);
                    return problem(500, "metrics scrape failed: " + Futures.unwrap(e).getMessage());
                });
    }

    // ---- POST operations ----

    private CompletableFuture<LocalResponse> post(String method, @Nullable String authorization, @Nullable SocketAddress remote,
                                                  Supplier<CompletableFuture<LocalResponse>> action) {
        if (!"POST".equals(method)) {
            return notAllowed(ALLOW_POST);
        }
        if (tokenDigest != null) {
            if (!bearerMatches(authorization)) {
                String detail = authorization == null ? "admin operations need Authorization: Bearer <token>"
                        : "the admin token does not match";
                return done(problem(401, detail, Map.of(), Map.of("WWW-Authenticate", "Bearer realm=\"wakegate\"")));
            }
        } else if (!isLoopback(remote)) {
            return done(problem(403, "no admin token is configured (WAKEGATE_ADMIN_TOKEN), so admin operations are "
                    + "accepted from loopback clients only"));
        }
        return action.get();
    }

    /**
     * 200 with what changed (and what needs a restart); 422 problem+json for a refused file, 409
     * for one that could not be put in effect: either way the running configuration stays.
     */
    private CompletableFuture<LocalResponse> reload() {
        ConfigReload r = configReload;
        if (r == null) {
            return done(problem(501, "this proxy cannot reload its configuration"));
        }
        return r.reload().handle((report, error) -> {
            if (error != null) {
                log.warn("config reload failed", error);
                return problem(500, "the reload failed: " + Futures.unwrap(error).getMessage());
            }
            if (report.outcome() == ConfigReload.Outcome.APPLIED) {
                ObjectNode root = mapper.createObjectNode();
                root.put("status", "reloaded");
                root.put("file", report.file());
                ArrayNode changes = root.putArray("changes");
                report.changes().forEach(changes::add);
                ArrayNode restart = root.putArray("restart_required");
                report.restartRequired().forEach(restart::add);
                return json(200, root);
            }
            int status = report.outcome() == ConfigReload.Outcome.REFUSED ? 422 : 409;
            Map<String, String> members = new LinkedHashMap<>();
            members.put("file", report.file());
            members.put("key", report.key());
            members.put("reason", report.reason());
            return problem(status, report.file() + ": " + report.key() + ": " + report.reason()
                    + "; the running configuration stays", members, Map.of());
        });
    }

    private CompletableFuture<LocalResponse> operation(CompletableFuture<OperationResult> result, String name) {
        return result.handle((r, error) -> {
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                String reason = cause instanceof StartFailure f ? f.reason() : String.valueOf(cause.getMessage());
                log.warn("admin operation on {} failed: {}", name, reason);
                return unavailable(name, reason);
            }
            return switch (r.outcome()) {
                case STARTED -> operationOk("started", r.container());
                case STOPPED -> operationOk("stopped", r.container());
                case NOT_MANAGED -> problem(404, r.detail() != null ? r.detail() : "container " + r.container() + " is not managed");
                case CONFLICT -> problem(409, r.detail() != null ? r.detail() : "the operation conflicts with the container's state");
                case FAILED -> unavailable(r.container(), r.detail() != null ? r.detail() : "the operation failed");
            };
        });
    }

    private CompletableFuture<LocalResponse> idleCheck() {
        return model.runIdleCheck().handle((r, error) -> {
            if (error != null) {
                String reason = String.valueOf(Futures.unwrap(error).getMessage());
                log.warn("manual idle check failed: {}", reason);
                return problem(503, "idle check failed: " + reason, Map.of(), Map.of("Retry-After", "5"));
            }
            ObjectNode root = mapper.createObjectNode();
            root.put("status", "completed");
            putIdleCheck(root, r);
            return json(200, root);
        });
    }

    private LocalResponse operationOk(String status, String container) {
        ObjectNode root = mapper.createObjectNode();
        root.put("status", status);
        root.put("container", container);
        putInstant(root, "timestamp", clock.instant());
        return json(200, root);
    }

    private LocalResponse unavailable(String container, String reason) {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("container", container);
        members.put("reason", reason);
        return problem(503, "container " + container + ": " + reason, members, Map.of("Retry-After", "5"));
    }

    // ---- auth ----

    private boolean bearerMatches(@Nullable String authorization) {
        if (authorization == null) {
            return false;
        }
        String value = authorization.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Digests first, so the comparison takes the same time whatever the token's length or content.
        return MessageDigest.isEqual(tokenDigest, sha256(value.substring(7).trim()));
    }

    private static boolean isLoopback(@Nullable SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    // ---- JSON helpers ----

    private static boolean isGet(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    private CompletableFuture<LocalResponse> notAllowed(String allow) {
        return done(problem(405, "use " + allow, Map.of(), Map.of("Allow", allow)));
    }

    private static CompletableFuture<LocalResponse> done(LocalResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private LocalResponse json(int status, ObjectNode body) {
        return bytes(status, JSON, body, Map.of());
    }

    /** A problem+json answer, titled with the status' reason phrase. */
    private static LocalResponse problem(int status, String detail) {
        return problem(status, detail, Map.of(), Map.of());
    }

    /** With extra members (container, reason) and header fields (Allow, WWW-Authenticate, Retry-After). */
    private static LocalResponse problem(int status, String detail, Map<String, String> members, Map<String, String> headers) {
        return new LocalResponse(status, ProblemResponses.PROBLEM_JSON, ProblemResponses.problemJson(status, detail, members),
                headers);
    }

    private LocalResponse bytes(int status, String contentType, ObjectNode body, Map<String, String> headers) {
        try {
            return new LocalResponse(status, contentType, mapper.writeValueAsBytes(body), headers);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void putIdleCheck(ObjectNode node, IdleCheckResult r) {
        putInstant(node, "timestamp", r.checkedAt());
        ArrayNode stopped = node.putArray("stopped");
        r.stopped().forEach(stopped::add);
        ObjectNode skipped = node.putObject("skipped");
        r.skipped().forEach(skipped::put);
        ObjectNode failed = node.putObject("failed");
        r.failed().forEach(failed::put);
        if (r.note() != null) {
            node.put("note", r.note());
        }
    }

    private static void putDependency(ObjectNode node, Dependency d) {
        node.put("description", d.description());
        node.put("available", d.available());
    }

    /** ISO-8601 UTC, seconds precision: {@code 2024-01-15T10:30:00Z}; null stays null. */
    static @Nullable String iso(@Nullable Instant instant) {
        return instant == null ? null : ISO.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static void putInstant(ObjectNode node, String key, @Nullable Instant instant) {
        if (instant == null) {
            node.putNull(key);
        } else {
            node.put(key, iso(instant));
        }
    }

    /** The idle timeouts by priority (normal, high, low), in both documents that show the settings. */
    private static void putIdleTimeouts(ObjectNode node, AutomationSettings s) {
        putMinutes(node, "idle_timeout_minutes", s.idleTimeout());
        putMinutes(node, "high_idle_timeout_minutes", s.highIdleTimeout());
        putMinutes(node, "low_idle_timeout_minutes", s.lowIdleTimeout());
    }

    /** Whole minutes as an integer (the documents' unit, docs/operating.md); a sub-minute remainder as a fraction. */
    private static void putMinutes(ObjectNode node, String key, Duration d) {
        if (d.toMillis() % 60_000 == 0) {
            node.put(key, d.toMinutes());
        } else {
            node.put(key, d.toMillis() / 60_000.0);
        }
    }

    private static void putSeconds(ObjectNode node, String key, Duration d) {
        if (d.toMillis() % 1000 == 0) {
            node.put(key, d.toSeconds());
        } else {
            node.put(key, d.toMillis() / 1000.0);
        }
    }
}

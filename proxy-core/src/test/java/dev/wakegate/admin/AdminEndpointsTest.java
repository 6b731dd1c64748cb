package dev.wakegate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wakegate.admin.AdminModel.ContainerSnapshot;
import dev.wakegate.admin.AdminModel.Dependency;
import dev.wakegate.admin.AdminModel.IdleCheckResult;
import dev.wakegate.admin.AdminModel.ManagedBy;
import dev.wakegate.admin.AdminModel.OperationResult;
import dev.wakegate.admin.AdminModel.Statistics;
import dev.wakegate.admin.LocalEndpoints.LocalResponse;
import dev.wakegate.config.AutomationSettings;
import dev.wakegate.config.Priority;
import dev.wakegate.lifecycle.StartFailure;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AdminEndpointsTest {
    private static final Instant NOW = Instant.parse("2024-01-15T10:30:00.123Z");
    private static final SocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
    // Only used as the value of "the client's address"; nothing is sent to it.
    private static final SocketAddress REMOTE = new InetSocketAddress(address(10, 1, 2, 3), 50000);

    private final ObjectMapper mapper = new ObjectMapper();
    private final FakeModel model = new FakeModel();

    private AdminEndpoints endpoints(Optional<String> token) {
        return new AdminEndpoints(model, token, () -> "# HELP wakegate_x x\nwakegate_x 1.0\n", Runnable::run,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private final AdminEndpoints open = endpoints(Optional.empty());

    @Test
    void handlesEverythingUnderHealthSlashOnly() {
        assertThat(open.handles("/health/containers")).isTrue();
        assertThat(open.handles("/health/anything")).isTrue();
        assertThat(open.handles("/health")).isFalse();
        assertThat(open.handles("/healthz")).isFalse();
        assertThat(open.handles("/assets/1")).isFalse();
    }

    @Test
    void containersDocumentHasTheDocumentedShape() throws Exception {
        LocalResponse r = get("/health/containers");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
        JsonNode root = json(r);

        assertThat(root.get("status").asText()).isEqualTo("healthy");
        assertThat(root.has("unavailable")).isFalse();
        assertThat(Instant.parse(root.get("timestamp").asText())).isEqualTo(Instant.parse("2024-01-15T10:30:00Z"));
        JsonNode management = root.get("container_management");
        assertThat(management.get("auto_start_enabled").isBoolean()).isTrue();
        assertThat(management.get("auto_stop_enabled").isBoolean()).isTrue();
        assertThat(management.get("idle_timeout_minutes").isIntegralNumber()).isTrue();
        assertThat(management.get("idle_timeout_minutes").asInt()).isEqualTo(30);

        JsonNode summary = root.get("container_summary");
        assertThat(summary.get("total_containers").asInt()).isEqualTo(4);
        JsonNode counts = summary.get("state_counts");
        assertThat(counts.get("running").asInt()).isEqualTo(2);
        assertThat(counts.get("stopped").asInt()).isEqualTo(1);
        assertThat(counts.get("starting").asInt()).isEqualTo(1);
        int sum = 0;
        for (JsonNode n : counts) {
            sum += n.asInt();
        }
        assertThat(sum).isEqualTo(summary.get("total_containers").asInt());

        JsonNode containers = root.get("containers");
        assertThat(containers.size()).isEqualTo(4);
        JsonNode app = containers.get("app");
        assertThat(app.get("state").asText()).isEqualTo("running");
        assertThat(app.get("priority").asText()).isEqualTo("critical");
        assertThat(app.get("last_access").asText()).isEqualTo("2024-01-15T10:30:00Z");
        assertThat(app.get("idle_timeout_minutes").asInt()).isZero();
        assertThat(app.get("managed_by").asText()).isEqualTo("yaml");
        JsonNode grafana = containers.get("grafana");
        assertThat(grafana.get("state").asText()).isEqualTo("stopped");
        assertThat(grafana.get("priority").asText()).isEqualTo("normal");
        assertThat(Instant.parse(grafana.get("last_access").asText())).isEqualTo(Instant.parse("2024-01-15T09:15:00Z"));
        assertThat(grafana.get("idle_timeout_minutes").asInt()).isEqualTo(30);
        assertThat(containers.get("kibana").get("last_access").isNull()).isTrue();
        assertThat(containers.get("kibana").get("managed_by").asText()).isEqualTo("labels");
        assertThat(containers.get("kibana").get("in_flight").asInt()).isEqualTo(2);
        assertThat(containers.get("kibana").get("open_connections").asInt()).isEqualTo(1);
    }

    @Test
    void servicesDocumentMapsEndpointsToContainersAndPriorities() throws Exception {
        JsonNode root = json(get("/health/services"));
        assertThat(root.get("status").asText()).isEqualTo("healthy");
        JsonNode deps = root.get("service_mappings").get("endpoint_dependencies");
        assertThat(deps.get("/assets").isArray()).isTrue();
        assertThat(deps.get("/assets")).extracting(JsonNode::asText).containsExactly("app", "mongodb", "redis");
        assertThat(deps.get("/static").size()).isZero();
        JsonNode priorities = root.get("service_mappings").get("container_priorities");
        assertThat(priorities.get("app").asText()).isEqualTo("critical");
        assertThat(priorities.get("kibana").asText()).isEqualTo("low");
    }

    @Test
    void automationDocumentShowsMinFreeMemoryAndTheLastReadingUnderPressure() throws Exception {
        model.settings = model.settings.withMinFreeMemory(512L << 20);
        model.memory = new AdminModel.Memory(512L << 20, 300L << 20, true, Instant.parse("2024-01-15T10:29:00Z"));
        JsonNode root = json(get("/health/automation"));
        assertThat(root.get("settings").get("min_free_memory_bytes").asLong()).isEqualTo(512L << 20);
        JsonNode memory = root.get("memory");
        assertThat(memory.get("early_sleep").asBoolean()).isTrue();
        assertThat(memory.get("available_bytes").asLong()).isEqualTo(300L << 20);
        assertThat(memory.get("pressure").asBoolean()).isTrue();
        assertThat(memory.get("read_at").asText()).isEqualTo("2024-01-15T10:29:00Z");
    }

    @Test
    void automationDocumentHasSettingsStatisticsAndLastIdleCheck() throws Exception {
        model.lastIdleCheck = new IdleCheckResult(Instant.parse("2024-01-15T10:29:00Z"), List.of("kibana"),
                Map.of("grafana", "in_flight"), Map.of());
        JsonNode root = json(get("/health/automation"));
        assertThat(root.get("status").asText()).isEqualTo("healthy");
        JsonNode settings = root.get("settings");
        assertThat(settings.get("idle_timeout_minutes").asInt()).isEqualTo(30);
        assertThat(settings.get("high_idle_timeout_minutes").asInt()).isEqualTo(120);
        assertThat(settings.get("low_idle_timeout_minutes").asInt()).isEqualTo(10);
        assertThat(settings.get("startup_timeout_seconds").asInt()).isEqualTo(60);
        assertThat(settings.get("health_check_interval_seconds").asInt()).isEqualTo(30);
        assertThat(settings.get("idle_check_interval_seconds").asInt()).isEqualTo(60);
        assertThat(settings.get("max_stops_per_cycle").asInt()).isEqualTo(5);
        assertThat(settings.get("min_running").asInt()).isZero();
        assertThat(settings.get("timezone").asText()).isEqualTo("UTC");
        assertThat(settings.get("min_free_memory_bytes").asLong()).isZero();
        assertThat(root.get("memory").get("early_sleep").asBoolean()).isFalse();
        assertThat(root.get("memory").get("available_bytes").isNull()).isTrue();
        assertThat(root.get("memory").get("read_at").isNull()).isTrue();
        JsonNode stats = root.get("statistics");
        assertThat(stats.get("start_attempts").asLong()).isEqualTo(7);
        assertThat(stats.get("start_successes").asLong()).isEqualTo(6);
        assertThat(stats.get("start_failures").asLong()).isEqualTo(1);
        assertThat(stats.get("stop_attempts").asLong()).isEqualTo(3);
        JsonNode last = root.get("last_idle_check");
        assertThat(Instant.parse(last.get("timestamp").asText())).isEqualTo(Instant.parse("2024-01-15T10:29:00Z"));
        assertThat(last.get("stopped")).extracting(JsonNode::asText).containsExactly("kibana");
        assertThat(last.get("skipped").get("grafana").asText()).isEqualTo("in_flight");
    }

    @Test
    void automationDocumentHasNullLastIdleCheckBeforeTheFirst() throws Exception {
        assertThat(json(get("/health/automation")).get("last_idle_check").isNull()).isTrue();
    }

    @Test
    void statusIsDegradedAndNamesWhatIsUnavailable() throws Exception {
        model.docker = new Dependency("unix:///var/run/docker.sock", false);
        model.store = new Dependency("redis://127.0.0.1:6379", false);
        for (String path : List.of("/health/containers", "/health/services", "/health/automation")) {
            JsonNode root = json(get(path));
            assertThat(root.get("status").asText()).as(path).isEqualTo("degraded");
            assertThat(root.get("unavailable")).extracting(JsonNode::asText).containsExactly("docker", "state_store");
            assertThat(root.get("docker").get("available").asBoolean()).isFalse();
            assertThat(root.get("state_store").get("description").asText()).isEqualTo("redis://127.0.0.1:6379");
        }
        model.docker = new Dependency("unix:///var/run/docker.sock", true);
        assertThat(json(get("/health/containers")).get("unavailable"))
                .extracting(JsonNode::asText).containsExactly("state_store");
    }

    @Test
    void metricsIsPrometheusText() {
        LocalResponse r = get("/health/metrics");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("wakegate_x 1.0");
    }

    @Test
    void postStartStartsAManagedContainer() throws Exception {
        LocalResponse r = call(open, "POST", "/health/containers/grafana/start", null, LOOPBACK);
        assertThat(r.status()).isEqualTo(200);
        JsonNode root = json(r);
        assertThat(root.get("status").asText()).isEqualTo("started");
        assertThat(root.get("container").asText()).isEqualTo("grafana");
        assertThat(model.started).containsExactly("grafana");
    }

    @Test
    void postStopStopsAManagedContainer() throws Exception {
        LocalResponse r = call(open, "POST", "/health/containers/kibana/stop", null, LOOPBACK);
        assertThat(r.status()).isEqualTo(200);
        assertThat(json(r).get("status").asText()).isEqualTo("stopped");
        assertThat(json(r).get("container").asText()).isEqualTo("kibana");
        assertThat(model.stopped).containsExactly("kibana");
    }

    @Test
    void postIdleCheckReportsWhatItStoppedAndSkipped() throws Exception {
        LocalResponse r = call(open, "POST", "/health/automation/idle-check", null, LOOPBACK);
        assertThat(r.status()).isEqualTo(200);
        JsonNode root = json(r);
        assertThat(root.get("status").asText()).isEqualTo("completed");
        assertThat(root.get("stopped")).extracting(JsonNode::asText).containsExactly("kibana");
        assertThat(root.get("skipped").get("grafana").asText()).isEqualTo("min_running");
        assertThat(Instant.parse(root.get("timestamp").asText())).isNotNull();
        assertThat(root.has("note")).isFalse();
    }

    @Test
    void idleCheckThatDidNotRunHereSaysWhy() throws Exception {
        model.nextIdleCheck = new IdleCheckResult(NOW, List.of(), Map.of(), Map.of(),
                "another instance holds the idle-check lease");
        JsonNode root = json(call(open, "POST", "/health/automation/idle-check", null, LOOPBACK));
        assertThat(root.get("note").asText()).isEqualTo("another instance holds the idle-check lease");
        assertThat(root.get("stopped").size()).isZero();
    }

    @Test
    void unknownContainerIsNotFoundProblem() throws Exception {
        for (String action : List.of("start", "stop")) {
            LocalResponse r = call(open, "POST", "/health/containers/nope/" + action, null, LOOPBACK);
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.contentType()).isEqualTo("application/problem+json");
            JsonNode p = json(r);
            assertThat(p.get("title").asText()).isEqualTo("Not Found");
            assertThat(p.get("status").asInt()).isEqualTo(404);
            assertThat(p.get("detail").asText()).isEqualTo("container nope is not managed");
            assertThat(p.has("type")).isTrue();
        }
        assertThat(model.started).isEmpty();
    }

    @Test
    void failedStartIsServiceUnavailableWithTheReason() throws Exception {
        LocalResponse r = call(open, "POST", "/health/containers/broken/start", null, LOOPBACK);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.headers()).containsKey("Retry-After");
        JsonNode p = json(r);
        assertThat(p.get("container").asText()).isEqualTo("broken");
        assertThat(p.get("reason").asText()).isEqualTo("exited with code 1");
        assertThat(p.get("detail").asText()).contains("broken").contains("exited with code 1");
    }

    @Test
    void exceptionalStartFutureIsServiceUnavailableWithTheReason() throws Exception {
        LocalResponse r = call(open, "POST", "/health/containers/timeout/start", null, LOOPBACK);
        assertThat(r.status()).isEqualTo(503);
        assertThat(json(r).get("reason").asText()).isEqualTo("not ready after 60s");
    }

    @Test
    void postWithoutTokenIsUnauthorizedWhenATokenIsConfigured() throws Exception {
        AdminEndpoints guarded = endpoints(Optional.of("s3cret"));
        for (String auth : new String[] {null, "Bearer wrong", "Bearer s3cret2", "Basic czNjcmV0", "Bearer"}) {
            LocalResponse r = call(guarded, "POST", "/health/containers/grafana/start", auth, LOOPBACK);
            assertThat(r.status()).as(String.valueOf(auth)).isEqualTo(401);
            assertThat(r.headers().get("WWW-Authenticate")).startsWith("Bearer");
            assertThat(r.contentType()).isEqualTo("application/problem+json");
        }
        assertThat(model.started).isEmpty();
    }

    @Test
    void postWithTheRightTokenIsAcceptedFromAnyAddress() throws Exception {
        AdminEndpoints guarded = endpoints(Optional.of("s3cret"));
        assertThat(call(guarded, "POST", "/health/containers/grafana/start", "Bearer s3cret", REMOTE).status())
                .isEqualTo(200);
        assertThat(call(guarded, "POST", "/health/automation/idle-check", "bearer  s3cret ", REMOTE).status())
                .isEqualTo(200);
        assertThat(model.started).containsExactly("grafana");
    }

    @Test
    void unauthorizedBeforeNotFoundSoNamesDoNotLeak() {
        AdminEndpoints guarded = endpoints(Optional.of("s3cret"));
        assertThat(call(guarded, "POST", "/health/containers/nope/start", null, LOOPBACK).status()).isEqualTo(401);
    }

    @Test
    void postFromNonLoopbackIsForbiddenWithoutAToken() {
        for (String path : List.of("/health/containers/grafana/start", "/health/containers/grafana/stop",
                "/health/automation/idle-check")) {
            LocalResponse r = call(open, "POST", path, null, REMOTE);
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.contentType()).isEqualTo("application/problem+json");
        }
        assertThat(model.started).isEmpty();
        assertThat(model.stopped).isEmpty();
        assertThat(model.idleChecks).isZero();
    }

    @Test
    void getsNeedNoAuthFromAnyAddress() {
        AdminEndpoints guarded = endpoints(Optional.of("s3cret"));
        assertThat(call(guarded, "GET", "/health/containers", null, REMOTE).status()).isEqualTo(200);
        assertThat(call(open, "GET", "/health/automation", null, REMOTE).status()).isEqualTo(200);
    }

    @Test
    void wrongMethodIsMethodNotAllowedWithAllow() {
        LocalResponse r = call(open, "POST", "/health/containers", null, LOOPBACK);
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers().get("Allow")).isEqualTo("GET, HEAD");
        r = call(open, "GET", "/health/containers/grafana/start", null, LOOPBACK);
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers().get("Allow")).isEqualTo("POST");
        assertThat(call(open, "DELETE", "/health/automation/idle-check", null, LOOPBACK).status()).isEqualTo(405);
        assertThat(call(open, "PUT", "/health/metrics", null, LOOPBACK).status()).isEqualTo(405);
        assertThat(model.started).isEmpty();
    }

    @Test
    void oneContainerIsUpWhileItSleepsByDesignAndDownOnlyWhenItsStartFailed() throws Exception {
        LocalResponse dormant = call(open, "GET", "/health/containers/grafana", null, REMOTE);
        assertThat(dormant.status()).isEqualTo(200);
        JsonNode d = json(dormant);
        assertThat(d.get("status").asText()).isEqualTo("dormant");
        assertThat(d.get("sleeping_since").asText()).isEqualTo("2024-01-15T09:45:00Z");
        assertThat(d.get("expected_start_ms").asLong()).isEqualTo(2900);
        assertThat(json(call(open, "GET", "/health/containers/app", null, REMOTE)).get("status").asText())
                .isEqualTo("up");

        model.grafanaFailure = "exited with code 3";
        LocalResponse down = call(open, "GET", "/health/containers/grafana", null, REMOTE);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.headers()).containsEntry("Retry-After", "5");
        assertThat(json(down).get("status").asText()).isEqualTo("down");
        assertThat(json(down).get("reason").asText()).isEqualTo("exited with code 3");

        JsonNode all = json(call(open, "GET", "/health/containers", null, REMOTE)).get("containers");
        assertThat(all.get("grafana").get("sleeping_since").asText()).isEqualTo("2024-01-15T09:45:00Z");
        assertThat(all.get("grafana").get("expected_start_ms").asLong()).isEqualTo(2900);
        assertThat(all.get("app").get("sleeping_since").isNull()).isTrue();
        assertThat(all.get("app").get("expected_start_ms").isNull()).isTrue();
    }

    @Test
    void wakeRefusesContainersNoRouteNames() throws Exception {
        for (String path : List.of("/health/wake/", "/health/wake/grafana", "/health/wake/app,", "/health/wake/,app")) {
            assertThat(call(open, "GET", path, null, REMOTE).status()).as(path).isEqualTo(404);
        }
        assertThat(call(open, "POST", "/health/wake/app", null, LOOPBACK).status()).isEqualTo(405);
    }

    @Test
    void unknownPathsUnderHealthAreNotFoundProblems() throws Exception {
        for (String path : List.of("/health/x", "/health/containers/", "/health/containers/nosuch",
                "/health/containers/grafana/restart", "/health/containers/grafana/start/now",
                "/health/containers//start", "/health/automation/", "/health/")) {
            LocalResponse r = call(open, "GET", path, null, LOOPBACK);
            assertThat(r.status()).as(path).isEqualTo(404);
            assertThat(r.contentType()).isEqualTo("application/problem+json");
            assertThat(json(r).get("title").asText()).isEqualTo("Not Found");
        }
    }

    @Test
    void operationResultCompletesOnlyWhenTheModelDoes() {
        CompletableFuture<OperationResult> pending = new CompletableFuture<>();
        model.pendingStart = pending;
        CompletableFuture<LocalResponse> response =
                open.handle("POST", "/health/containers/grafana/start", null, LOOPBACK);
        assertThat(response).isNotDone();
        pending.complete(OperationResult.started("grafana"));
        assertThat(response.join().status()).isEqualTo(200);
    }

    // ---- helpers ----

    private LocalResponse get(String path) {
        return call(open, "GET", path, null, LOOPBACK);
    }

    private static LocalResponse call(AdminEndpoints endpoints, String method, String path, String auth,
                                      SocketAddress remote) {
        try {
            return endpoints.handle(method, path, auth, remote).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private JsonNode json(LocalResponse r) throws Exception {
        return mapper.readTree(r.body());
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An 11-container stack cut down to four, with canned answers. */
    private static final class FakeModel implements AdminModel {
        final List<String> started = new ArrayList<>();
        final List<String> stopped = new ArrayList<>();
        int idleChecks;
        Dependency docker = new Dependency("unix:///var/run/docker.sock", true);
        Eviction eviction = Eviction.ACTIVE;
        Memory memory = Memory.OFF;
        Dependency store = new Dependency("in-memory", true);
        IdleCheckResult lastIdleCheck;
        CompletableFuture<OperationResult> pendingStart;
        IdleCheckResult nextIdleCheck;

        AutomationSettings settings = AutomationSettings.DEFAULTS;

        @Override
        public AutomationSettings settings() {
            return settings;
        }

        String grafanaFailure;

        @Override
        public List<ContainerSnapshot> containers() {
            return List.of(
                    new ContainerSnapshot("app", "running", Priority.CRITICAL, Instant.parse("2024-01-15T10:30:00.456Z"),
                            0, "healthy", 0, 0, ManagedBy.YAML),
                    new ContainerSnapshot("grafana", "stopped", Priority.NORMAL, Instant.parse("2024-01-15T09:15:00Z"),
                            30, "none", 0, 0, ManagedBy.YAML, Instant.parse("2024-01-15T09:45:00Z"), 2900,
                            grafanaFailure),
                    new ContainerSnapshot("kibana", "running", Priority.LOW, null, 10, "healthy", 2, 1,
                            ManagedBy.LABELS),
                    new ContainerSnapshot("elasticsearch", "starting", Priority.LOW, null, 10, "starting", 0, 0,
                            ManagedBy.YAML));
        }

        @Override
        public Map<String, List<String>> routes() {
            Map<String, List<String>> routes = new LinkedHashMap<>();
            routes.put("/assets", List.of("app", "mongodb", "redis"));
            routes.put("/logs", List.of("kibana", "elasticsearch"));
            routes.put("/static", List.of());
            return routes;
        }

        @Override
        public Statistics statistics() {
            return new Statistics(7, 6, 1, 3, 3, 0, lastIdleCheck);
        }

        @Override
        public Dependency stateStore() {
            return store;
        }

        @Override
        public Dependency docker() {
            return docker;
        }

        @Override
        public Eviction eviction() {
            return eviction;
        }

        @Override
        public Memory memory() {
            return memory;
        }

        @Override
        public CompletableFuture<OperationResult> start(String name) {
            if (pendingStart != null) {
                return pendingStart;
            }
            return switch (name) {
                case "broken" -> CompletableFuture.completedFuture(OperationResult.failed(name, "exited with code 1"));
                case "timeout" -> CompletableFuture.failedFuture(
                        new StartFailure(name, StartFailure.Kind.TIMEOUT, "not ready after 60s"));
                case "app", "grafana", "kibana", "elasticsearch" -> {
                    started.add(name);
                    yield CompletableFuture.completedFuture(OperationResult.started(name));
                }
                default -> CompletableFuture.completedFuture(OperationResult.notManaged(name));
            };
        }

        @Override
        public CompletableFuture<OperationResult> stop(String name) {
            if (!List.of("app", "grafana", "kibana", "elasticsearch").contains(name)) {
                return CompletableFuture.completedFuture(OperationResult.notManaged(name));
            }
            stopped.add(name);
            return CompletableFuture.completedFuture(OperationResult.stopped(name));
        }

        @Override
        public CompletableFuture<IdleCheckResult> runIdleCheck() {
            idleChecks++;
            if (nextIdleCheck != null) {
                return CompletableFuture.completedFuture(nextIdleCheck);
            }
            return CompletableFuture.completedFuture(new IdleCheckResult(Instant.parse("2024-01-15T10:30:00Z"),
                    List.of("kibana"), Map.of("grafana", "min_running"), Map.of()));
        }
    }
}

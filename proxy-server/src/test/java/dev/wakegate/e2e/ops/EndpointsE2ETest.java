package dev.wakegate.e2e.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.metrics.PrometheusText;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code /health/*} endpoints over real HTTP, checked against the JSON shapes docs/operating.md shows, with a
 * real engine: reads, the admin operations and their auth, 404s, timestamps, and the Prometheus
 * text with a real cold start in it. The proxy uses the in-memory store (the endpoints do not
 * depend on Redis; the Redis tests are beside this one).
 *
 * <p>The 403 for a non-loopback client without a token cannot be produced here (every address on
 * this machine is loopback for the tests); AdminEndpointsTest (proxy-core) covers it.
 */
@Tag("docker")
class EndpointsE2ETest {
    private static final String TOKEN = "s3cret-ops-token";
    private static final Pattern ISO_UTC = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

    private static DockerFixture docker;
    private static String web;
    private static String db;
    private static int port;
    private static WakegateHarness proxy;

    @BeforeAll
    static void startProxy() {
        docker = new DockerFixture();
        port = Loopback.freePort();
        web = docker.httpServer("endpoints-web", port, Duration.ZERO);
        db = docker.sleeper("endpoints-db");
        String yaml = """
                workers: 1
                automation:
                  idle_timeout: 45m
                  idle_check_interval: 1h
                timeouts: { drain: 1s }
                containers:
                  %s: { priority: normal, upstream: 127.0.0.1:%d, depends_on: [%s] }
                  %s: { priority: critical }
                routes:
                  - { path: /web, containers: [%s], upstream: %s }
                  - { path: /plain, upstream: 127.0.0.1:%d }
                """.formatted(web, port, db, db, web, web, port);
        proxy = WakegateHarness.start(yaml, Map.of("WAKEGATE_ADMIN_TOKEN", TOKEN));
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
        docker.close();
    }

    @Test
    void containersDocumentHasTheDocumentedShape() {
        HttpResponse<String> r = proxy.get("/health/containers");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode doc = Ops.json(r);
        assertThat(doc.path("status").asText()).isEqualTo("healthy");
        assertIsoUtc(doc.path("timestamp"));
        JsonNode management = doc.path("container_management");
        assertThat(management.path("auto_start_enabled").isBoolean()).isTrue();
        assertThat(management.path("auto_stop_enabled").isBoolean()).isTrue();
        assertThat(management.path("idle_timeout_minutes").asInt()).isEqualTo(45);
        JsonNode summary = doc.path("container_summary");
        // Other containers on this engine may carry wakegate labels and be discovered too.
        assertThat(summary.path("total_containers").asInt()).isEqualTo(doc.path("containers").size())
                .isGreaterThanOrEqualTo(2);
        assertThat(summary.path("state_counts").has("running")).isTrue();
        assertThat(summary.path("state_counts").has("stopped")).isTrue();
        JsonNode containers = doc.path("containers");
        assertThat(names(containers)).containsSubsequence(web, db);
        for (String name : List.of(web, db)) {
            JsonNode c = containers.path(name);
            assertThat(c.path("state").asText()).isIn("running", "stopped", "starting", "stopping");
            assertThat(c.has("last_access")).isTrue();
            if (!c.get("last_access").isNull()) {
                assertIsoUtc(c.get("last_access"));
            }
            assertThat(c.path("idle_timeout_minutes").isIntegralNumber()).isTrue();
            assertThat(c.has("sleeping_since")).isTrue();
            assertThat(c.has("expected_start_ms")).isTrue();
        }
        assertThat(containers.path(web).path("priority").asText()).isEqualTo("normal");
        assertThat(containers.path(web).path("idle_timeout_minutes").asInt()).isEqualTo(45);
        assertThat(containers.path(db).path("priority").asText()).isEqualTo("critical");
        assertThat(containers.path(db).path("idle_timeout_minutes").asInt()).isZero();
    }

    @Test
    void servicesDocumentMapsEndpointsToContainersAndPriorities() {
        JsonNode doc = Ops.json(proxy.get("/health/services"));
        assertThat(doc.path("status").asText()).isEqualTo("healthy");
        JsonNode deps = doc.path("service_mappings").path("endpoint_dependencies");
        assertThat(strings(deps.path("/web"))).containsExactly(web);
        assertThat(deps.path("/plain").isArray()).isTrue();
        assertThat(deps.path("/plain")).isEmpty();
        JsonNode priorities = doc.path("service_mappings").path("container_priorities");
        assertThat(priorities.path(web).asText()).isEqualTo("normal");
        assertThat(priorities.path(db).asText()).isEqualTo("critical");
    }

    @Test
    void startIdleCheckAndStopAreCountedInTheAutomationDocument() {
        JsonNode before = Ops.json(proxy.get("/health/automation")).path("statistics");

        HttpResponse<String> started = post("/health/containers/" + web + "/start", TOKEN);
        assertThat(started.statusCode()).isEqualTo(200);
        JsonNode startedDoc = Ops.json(started);
        assertThat(startedDoc.path("status").asText()).isEqualTo("started");
        assertThat(startedDoc.path("container").asText()).isEqualTo(web);
        assertIsoUtc(startedDoc.path("timestamp"));
        assertThat(docker.status(web)).isEqualTo("running");
        assertThat(docker.status(db)).as("its dependency").isEqualTo("running");
        JsonNode running = Ops.json(proxy.get("/health/containers")).path("containers").path(web);
        assertThat(running.path("state").asText()).isEqualTo("running");

        HttpResponse<String> checked = post("/health/automation/idle-check", TOKEN);
        assertThat(checked.statusCode()).isEqualTo(200);
        JsonNode check = Ops.json(checked);
        assertThat(check.path("status").asText()).isEqualTo("completed");
        assertIsoUtc(check.path("timestamp"));
        assertThat(check.path("stopped").isArray()).isTrue();
        assertThat(check.path("stopped")).isEmpty();
        assertThat(check.path("skipped").path(db).asText()).isEqualTo("critical");
        assertThat(check.path("skipped").path(web).asText()).startsWith("idle ");
        assertThat(check.has("note")).as("a check that ran here has no note: " + check).isFalse();

        HttpResponse<String> stopped = post("/health/containers/" + web + "/stop", TOKEN);
        assertThat(stopped.statusCode()).isEqualTo(200);
        assertThat(Ops.json(stopped).path("status").asText()).isEqualTo("stopped");
        assertThat(docker.status(web)).isIn("exited", "created");

        JsonNode automation = Ops.json(proxy.get("/health/automation"));
        assertThat(automation.path("status").asText()).isEqualTo("healthy");
        assertIsoUtc(automation.path("timestamp"));
        JsonNode settings = automation.path("settings");
        for (String key : List.of("auto_start", "auto_stop", "idle_timeout_minutes", "high_idle_timeout_minutes",
                "low_idle_timeout_minutes", "startup_timeout_seconds", "health_check_interval_seconds",
                "idle_check_interval_seconds", "max_stops_per_cycle", "min_running", "timezone",
                "min_free_memory_bytes")) {
            assertThat(settings.has(key)).as("settings." + key).isTrue();
        }
        assertThat(settings.path("idle_timeout_minutes").asInt()).isEqualTo(45);
        JsonNode stats = automation.path("statistics");
        assertThat(stats.path("start_attempts").asLong() - before.path("start_attempts").asLong())
                .as("web and its dependency").isEqualTo(2);
        assertThat(stats.path("start_successes").asLong() - before.path("start_successes").asLong()).isEqualTo(2);
        assertThat(stats.path("start_failures").asLong()).isZero();
        assertThat(stats.path("stop_attempts").asLong() - before.path("stop_attempts").asLong()).isEqualTo(1);
        assertThat(stats.path("stop_successes").asLong() - before.path("stop_successes").asLong()).isEqualTo(1);
        assertThat(stats.path("stop_failures").asLong()).isZero();
        JsonNode lastCheck = automation.path("last_idle_check");
        assertIsoUtc(lastCheck.path("timestamp"));
        assertThat(lastCheck.path("skipped").path(db).asText()).isEqualTo("critical");
        docker.stop(db);
    }

    @Test
    void postsNeedTheBearerTokenWhenOneIsSet() {
        for (String path : List.of("/health/containers/" + web + "/start", "/health/containers/" + web + "/stop",
                "/health/automation/idle-check")) {
            HttpResponse<String> none = post(path, null);
            assertThat(none.statusCode()).as(path + " without a token").isEqualTo(401);
            assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(none.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(post(path, "wrong-" + TOKEN).statusCode()).as(path + " with a wrong token").isEqualTo(401);
        }
        assertThat(post("/health/automation/idle-check", TOKEN).statusCode()).isEqualTo(200);
        assertThat(proxy.get("/health/containers").statusCode()).as("GETs stay open").isEqualTo(200);
        HttpResponse<String> wrongMethod = proxy.get("/health/automation/idle-check");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void unknownNamesAndPathsAre404() {
        for (String path : List.of("/health/containers/nope/start", "/health/containers/nope/stop")) {
            HttpResponse<String> r = post(path, TOKEN);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(Ops.json(r).path("detail").asText()).contains("nope");
        }
        assertThat(proxy.get("/health/nope").statusCode()).isEqualTo(404);
        assertThat(proxy.get("/health/containers/nope").statusCode()).isEqualTo(404);
        // a managed container alone, for monitors: 200 while it sleeps by design
        assertThat(proxy.get("/health/containers/" + web).statusCode()).isEqualTo(200);
    }

    @Test
    void withoutATokenLoopbackClientsMayPost() {
        int p = Loopback.freePort();
        String other = docker.httpServer("endpoints-open", p, Duration.ZERO);
        try (WakegateHarness open = WakegateHarness.start(Ops.yaml(other, p, "priority: low", "idle_check_interval: 1h"))) {
            HttpResponse<String> check = open.post("/health/automation/idle-check");
            assertThat(check.statusCode()).isEqualTo(200);
            assertThat(Ops.json(check).path("status").asText()).isEqualTo("completed");
            assertThat(open.post("/health/containers/nope/start").statusCode()).isEqualTo(404);
            assertThat(open.post("/health/containers/" + other + "/start").statusCode()).isEqualTo(200);
            assertThat(open.post("/health/containers/" + other + "/stop").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void metricsAreValidPrometheusTextAndCountARealColdStart() {
        int p = Loopback.freePort();
        String cold = docker.httpServer("metrics-cold", p, Duration.ofMillis(300));
        try (WakegateHarness fresh = WakegateHarness.start(Ops.yaml(cold, p, "priority: normal", "idle_check_interval: 1h"))) {
            HttpResponse<String> first = fresh.get("/health/metrics");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            PrometheusText before = PrometheusText.parse(first.body());
            assertThat(before.samples).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.name()).matches("(wakegate|jvm|process|system|netty)_.*"));
            assertThat(before.samples.stream().map(PrometheusText.Sample::name))
                    .anyMatch(n -> n.startsWith("jvm_"))
                    .anyMatch(n -> n.startsWith("netty_allocator_"))
                    .contains("wakegate_parked_requests");

            assertThat(fresh.get("/index.html").statusCode()).as("cold request").isEqualTo(200);
            PrometheusText afterCold = PrometheusText.parse(fresh.get("/health/metrics").body());
            String container = "container=\"" + cold + "\"";
            assertThat(afterCold.value("wakegate_cold_start_seconds_count", container)).isEqualTo(1.0);
            assertThat(afterCold.value("wakegate_cold_start_seconds_sum", container)).isGreaterThan(0.3);
            assertThat(afterCold.value("wakegate_container_starts_total", container, "result=\"success\""))
                    .isEqualTo(1.0);
            double warm2xx = afterCold.value("wakegate_requests_total", "route=\"/\"", "status_class=\"2xx\"");
            assertThat(warm2xx).isEqualTo(1.0);

            for (int i = 0; i < 3; i++) {
                assertThat(fresh.get("/index.html").statusCode()).isEqualTo(200);
            }
            assertThat(fresh.get("/missing.html").statusCode()).isEqualTo(404);
            PrometheusText after = PrometheusText.parse(fresh.get("/health/metrics").body());
            assertThat(after.value("wakegate_requests_total", "route=\"/\"", "status_class=\"2xx\"")).isEqualTo(4.0);
            assertThat(after.value("wakegate_requests_total", "route=\"/\"", "status_class=\"4xx\"")).isEqualTo(1.0);
            assertThat(after.value("wakegate_cold_start_seconds_count", container)).as("warm requests")
                    .isEqualTo(1.0);

            assertThat(fresh.post("/health/containers/" + cold + "/stop").statusCode()).isEqualTo(200);
            PrometheusText stopped = PrometheusText.parse(fresh.get("/health/metrics").body());
            assertThat(stopped.value("wakegate_container_stops_total", container, "result=\"success\"",
                    "reason=\"manual\"")).isEqualTo(1.0);
        }
    }

    // ---- helpers ----

    private static HttpResponse<String> post(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return proxy.send(b.build());
    }

    private static void assertIsoUtc(JsonNode node) {
        assertThat(node.isTextual()).as("timestamp is a string: " + node).isTrue();
        assertThat(node.asText()).matches(ISO_UTC);
        Instant t = Instant.parse(node.asText());
        assertThat(Duration.between(t, Instant.now()).abs()).isLessThan(Duration.ofDays(1));
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

}

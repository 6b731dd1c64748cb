package dev.wakegate.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.config.ConfigLoader;
import dev.wakegate.config.ConfigMerge;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.config.Priority;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.config.RouteSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Checks docker/docker-compose.yml, its socket-proxy override and docker/wakegate.yml: compose
 * accepts them, and what wakegate would read from them (the YAML file through
 * {@link ConfigLoader}, the labels through {@link LabelConfig}, merged by {@link ConfigMerge})
 * is the example stack of docs/deploying.md: its eleven containers, their priorities and its route map.
 */
@Tag("docker")
class ComposeFileTest {
    /** The stack's priorities (config/seed-stack.yml has the same). */
    static final Map<String, Priority> STACK_PRIORITIES = Map.ofEntries(
            Map.entry("app", Priority.CRITICAL), Map.entry("mongodb", Priority.CRITICAL),
            Map.entry("redis", Priority.CRITICAL), Map.entry("worker", Priority.HIGH),
            Map.entry("prometheus", Priority.HIGH), Map.entry("grafana", Priority.NORMAL),
            Map.entry("alertmanager", Priority.NORMAL), Map.entry("elasticsearch", Priority.LOW),
            Map.entry("kibana", Priority.LOW), Map.entry("logstash", Priority.LOW),
            Map.entry("filebeat", Priority.LOW));

    /** The stack's endpoint-to-container map. */
    static final Map<String, Set<String>> STACK_ROUTES = Map.of(
            "/assets", Set.of("app", "mongodb", "redis"),
            "/metrics", Set.of("app", "prometheus"),
            "/logs", Set.of("kibana", "elasticsearch"),
            "/dashboards", Set.of("grafana"),
            "/tasks", Set.of("worker", "redis"));

    static final Map<String, String> ENV = Map.of("DOCKER_GID", "999");

    static JsonNode services;

    @BeforeAll
    static void renderCompose() throws Exception {
        ComposeFiles.Result r = ComposeFiles.config(ENV, ComposeFiles.docker("docker-compose.yml"));
        assertThat(r.exitCode()).as("docker-compose config failed: %s", r.stderr()).isZero();
        services = r.yaml().path("services");
    }

    @Test
    void declaresWakegateAndTheStacksElevenServices() {
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        Set<String> expected = new TreeSet<>(STACK_PRIORITIES.keySet());
        expected.add("wakegate");
        assertThat(names).isEqualTo(expected);
    }

    @Test
    void everyContainerIsDeclaredOnceWithItsPriority() throws Exception {
        ProxyConfig yaml = ConfigLoader.load(ComposeFiles.docker("wakegate.yml"), Map.of());
        Map<String, Priority> seen = new HashMap<>();
        for (Map.Entry<String, ContainerSpec> e : yaml.containers().entrySet()) {
            seen.put(e.getKey(), e.getValue().priority());
        }
        for (LabelConfig.Labelled l : labelled()) {
            String name = l.spec().name();
            assertThat(seen).as("%s is declared in wakegate.yml and by labels (YAML would silently win)", name)
                    .doesNotContainKey(name);
            seen.put(name, l.spec().priority());
        }
        assertThat(seen).isEqualTo(STACK_PRIORITIES);
    }

    @Test
    void mergedConfigServesTheStacksRouteMap() throws Exception {
        ProxyConfig merged = mergedConfig();
        Map<String, RouteSpec> byPath = new HashMap<>();
        for (RouteSpec r : merged.routes()) {
            byPath.put(r.path(), r);
        }
        assertThat(byPath.keySet()).containsExactlyInAnyOrderElementsOf(STACK_ROUTES.keySet());
        for (Map.Entry<String, Set<String>> e : STACK_ROUTES.entrySet()) {
            // A route wakes its containers and, first, their depends_on: that set must cover the stack's.
            Set<String> woken = withDependencies(byPath.get(e.getKey()).containers(), merged);
            assertThat(woken).as("containers woken by %s", e.getKey()).containsAll(e.getValue());
        }
        assertThat(byPath.get("/dashboards").upstream().toString()).isEqualTo("grafana:3000");
        assertThat(byPath.get("/logs").upstream().toString()).isEqualTo("kibana:5601");
        assertThat(byPath.get("/assets").upstream().toString()).isEqualTo("app:8001");
    }

    @Test
    void environmentCarriesTheDocumentedDefaultsAndWinsOverTheFile() throws Exception {
        JsonNode env = services.path("wakegate").path("environment");
        Map<String, String> vars = new HashMap<>();
        env.fields().forEachRemaining(f -> vars.put(f.getKey(), f.getValue().asText()));
        assertThat(vars).containsEntry("CONTAINER_AUTO_START", "true").containsEntry("CONTAINER_AUTO_STOP", "true")
                .containsEntry("CONTAINER_IDLE_TIMEOUT", "30").containsEntry("CONTAINER_HIGH_IDLE_TIMEOUT", "120")
                .containsEntry("CONTAINER_LOW_IDLE_TIMEOUT", "10").containsEntry("CONTAINER_STARTUP_TIMEOUT", "60")
                .containsEntry("CONTAINER_HEALTH_CHECK_INTERVAL", "30")
                .containsEntry("REDIS_URL", "redis://redis:6379");

        ProxyConfig withEnv = ConfigLoader.load(ComposeFiles.docker("wakegate.yml"), vars);
        assertThat(withEnv.automation().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(withEnv.automation().highIdleTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(withEnv.automation().lowIdleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(withEnv.automation().startupTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(withEnv.redisUrl()).contains("redis://redis:6379");
    }

    @Test
    void wakegateServiceMountsSocketReadOnlyRunsWithSocketGroupAndPublishes8000() {
        JsonNode w = services.path("wakegate");
        assertThat(texts(w.path("volumes"))).anySatisfy(v -> assertThat(v).isEqualTo(
                "/var/run/docker.sock:/var/run/docker.sock:ro"));
        assertThat(texts(w.path("volumes"))).anySatisfy(v -> assertThat(v).endsWith(
                "docker/wakegate.yml:/etc/wakegate/wakegate.yml:ro"));
        assertThat(texts(w.path("group_add"))).containsExactly("999");
        assertThat(w.path("ports").get(0).path("published").asInt()).isEqualTo(8000);
        assertThat(w.path("ports").get(0).path("target").asInt()).isEqualTo(8000);
    }

    @Test
    void onlyCriticalServicesAndWakegateStartWithUpTheRestAreCreatedForWakegate() {
        for (Map.Entry<String, Priority> e : STACK_PRIORITIES.entrySet()) {
            JsonNode s = services.path(e.getKey());
            List<String> profiles = texts(s.path("profiles"));
            if (e.getValue() == Priority.CRITICAL) {
                assertThat(profiles).as("%s profiles", e.getKey()).isEmpty();
            } else {
                assertThat(profiles).as("%s profiles", e.getKey()).containsExactly("on-demand");
                // A restart policy would revive a container wakegate stopped for being idle.
                assertThat(s.path("restart").asText()).as("%s restart", e.getKey()).isEqualTo("no");
            }
        }
        assertThat(texts(services.path("wakegate").path("profiles"))).isEmpty();
    }

    @Test
    void everyManagedServiceHasADockerHealthcheck() {
        for (String name : STACK_PRIORITIES.keySet()) {
            assertThat(services.path(name).path("healthcheck").path("test").isMissingNode())
                    .as("%s has no healthcheck", name).isFalse();
        }
    }

    @Test
    void composeOrderFollowsTheDependencies() {
        assertThat(fieldNames(services.path("kibana").path("depends_on"))).contains("elasticsearch");
        assertThat(fieldNames(services.path("grafana").path("depends_on"))).contains("prometheus");
        assertThat(fieldNames(services.path("app").path("depends_on"))).contains("mongodb", "redis");
        assertThat(fieldNames(services.path("filebeat").path("depends_on"))).contains("logstash");
    }

    @Test
    void refusesToRenderWithoutTheSocketGroup() throws Exception {
        ComposeFiles.Result r = ComposeFiles.config(Map.of(), ComposeFiles.docker("docker-compose.yml"));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("DOCKER_GID");
    }

    @Test
    void socketProxyOverrideReplacesTheSocketWithAnAllowListedProxy() throws Exception {
        ComposeFiles.Result r = ComposeFiles.config(Map.of("DOCKER_GID", "10001"),
                ComposeFiles.docker("docker-compose.yml"), ComposeFiles.docker("docker-compose.socket-proxy.yml"));
        assertThat(r.exitCode()).as("docker-compose config failed: %s", r.stderr()).isZero();
        JsonNode s = r.yaml().path("services");

        JsonNode w = s.path("wakegate");
        assertThat(w.path("environment").path("DOCKER_HOST").asText()).isEqualTo("tcp://socket-proxy:2375");
        for (JsonNode v : w.path("volumes")) {
            // the base file's bind of the socket must be gone (shadowed by a tmpfs)
            assertThat(v.isTextual() ? v.asText() : v.path("source").asText()).doesNotContain("docker.sock");
        }
        assertThat(fieldNames(w.path("depends_on"))).contains("socket-proxy");

        JsonNode proxy = s.path("socket-proxy");
        assertThat(proxy.path("ports").isMissingNode()).as("the socket proxy must not be published").isTrue();
        assertThat(texts(proxy.path("volumes"))).containsExactly("/var/run/docker.sock:/var/run/docker.sock:ro");
        Map<String, String> env = new HashMap<>();
        proxy.path("environment").fields().forEachRemaining(f -> env.put(f.getKey(), f.getValue().asText()));
        Set<String> allowed = Set.of("CONTAINERS", "EVENTS", "POST", "ALLOW_START", "ALLOW_STOP", "PING", "VERSION");
        for (String key : allowed) {
            assertThat(env).as("allowed: %s", key).containsEntry(key, "1");
        }
        for (String key : List.of("IMAGES", "NETWORKS", "VOLUMES", "EXEC", "BUILD", "SYSTEM", "INFO",
                "ALLOW_RESTARTS", "SECRETS", "SWARM")) {
            assertThat(env).as("denied: %s", key).containsEntry(key, "0");
        }
    }

    @Test
    void e2eStackIsConfiguredByLabelsAloneWithAChainAndAShortIdleTimeout() throws Exception {
        ComposeFiles.Result r = ComposeFiles.config(Map.of(), ComposeFiles.docker("e2e/docker-compose.e2e.yml"));
        assertThat(r.exitCode()).as("docker-compose config failed: %s", r.stderr()).isZero();
        JsonNode e2e = r.yaml().path("services");
        List<LabelConfig.Labelled> labelled = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = e2e.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertThat(e.getValue().path("image").asText()).isEqualTo("wakegate/busybox:1");
            assertThat(e.getValue().path("network_mode").asText()).isEqualTo("host");
            assertThat(e.getValue().path("labels").path("wakegate.test").asText()).isEqualTo("true");
            LabelConfig.parse("wakegate-e2e_" + e.getKey() + "_1", e.getKey(), labels(e.getValue()))
                    .ifPresent(labelled::add);
        }
        ProxyConfig base = ConfigLoader.load(ComposeFiles.docker("e2e/wakegate.e2e.yml"), Map.of());
        assertThat(base.containers()).isEmpty();
        ProxyConfig merged = ConfigMerge.withLabels(base, labelled);
        assertThat(merged.containers().keySet()).containsExactlyInAnyOrder("e2e-db", "e2e-api", "e2e-web");
        assertThat(merged.containers().get("e2e-api").dependsOn()).containsExactly("e2e-db");
        assertThat(merged.containers().get("e2e-web").idleTimeout()).contains(Duration.ofSeconds(3));
        assertThat(merged.routes()).extracting(RouteSpec::path).containsExactlyInAnyOrder("/api", "/web");
        for (RouteSpec route : merged.routes()) {
            assertThat(route.upstream().host()).isEqualTo("127.0.0.1");
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** The labelled containers as wakegate's discovery would see them (compose service names). */
    static List<LabelConfig.Labelled> labelled() throws Exception {
        List<LabelConfig.Labelled> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Optional<LabelConfig.Labelled> l = LabelConfig.parse("docker-" + e.getKey() + "-1", e.getKey(),
                    labels(e.getValue()));
            l.ifPresent(out::add);
        }
        return out;
    }

    static Map<String, String> labels(JsonNode service) {
        Map<String, String> labels = new HashMap<>();
        service.path("labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
        return labels;
    }

    static ProxyConfig mergedConfig() throws Exception {
        return ConfigMerge.withLabels(ConfigLoader.load(ComposeFiles.docker("wakegate.yml"), Map.of()), labelled());
    }

    static Set<String> withDependencies(List<String> roots, ProxyConfig config) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (out.add(name)) {
                ContainerSpec spec = config.containers().get(name);
                assertThat(spec).as("container %s is not declared", name).isNotNull();
                todo.addAll(spec.dependsOn());
            }
        }
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new TreeSet<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }

}

package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example configs shipped in config/ load as they are. */
class ExampleConfigsTest {

    private static Path example(String name) {
        // surefire runs in proxy-core/; the examples live at the project root
        return Path.of(System.getProperty("user.dir")).resolveSibling("config").resolve(name);
    }

    @Test
    void demoLoads() throws ConfigException {
        ProxyConfig c = ConfigLoader.load(example("demo.yml"), Map.of());

        assertThat(c.containers().keySet())
                .containsExactlyInAnyOrder("wakegate-demo-web", "wakegate-demo-api", "wakegate-demo-db");
        assertThat(c.containers().get("wakegate-demo-api").dependsOn()).containsExactly("wakegate-demo-db");
        assertThat(c.listen()).isEqualTo(new HostPort("127.0.0.1", 8000));
        RouteTrie<Route> trie = Route.compile(c.routes()).routesFor(null);
        assertThat(trie.find("/api/users").upstream()).isEqualTo(new HostPort("127.0.0.1", 18082));
        assertThat(trie.find("/index.html").upstream()).isEqualTo(new HostPort("127.0.0.1", 18081));
    }

    @Test
    void seedStackLoadsWithTheSeedsPrioritiesAndRouteMap() throws ConfigException {
        ProxyConfig c = ConfigLoader.load(example("seed-stack.yml"), Map.of());

        assertThat(c.containers()).hasSize(11);
        Map<String, Priority> expected = Map.ofEntries(
                Map.entry("app", Priority.CRITICAL), Map.entry("mongodb", Priority.CRITICAL),
                Map.entry("redis", Priority.CRITICAL), Map.entry("worker", Priority.HIGH),
                Map.entry("prometheus", Priority.HIGH), Map.entry("grafana", Priority.NORMAL),
                Map.entry("alertmanager", Priority.NORMAL), Map.entry("elasticsearch", Priority.LOW),
                Map.entry("kibana", Priority.LOW), Map.entry("logstash", Priority.LOW),
                Map.entry("filebeat", Priority.LOW));
        expected.forEach((name, p) -> assertThat(c.containers().get(name).priority()).as(name).isEqualTo(p));

        RouteTrie<Route> trie = Route.compile(c.routes()).routesFor(null);
        assertThat(trie.find("/assets/123").containers()).containsExactly("app", "mongodb", "redis");
        assertThat(trie.find("/metrics").containers()).containsExactly("app", "prometheus");
        assertThat(trie.find("/logs").containers()).containsExactly("kibana", "elasticsearch");
        assertThat(trie.find("/dashboards").containers()).containsExactly("grafana");
        assertThat(trie.find("/tasks/42").containers()).containsExactly("worker", "redis");
        assertThat(trie.find("/")).isNull();
        assertThat(c.routes()).extracting(RouteSpec::path)
                .isEqualTo(List.of("/assets", "/metrics", "/logs", "/dashboards", "/tasks"));
    }
}

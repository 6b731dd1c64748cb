package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.route.HostRouter;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import dev.wakegate.testing.ExampleCertificates;
import dev.wakegate.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example configs shipped in config/ load as {@code --check} loads them (certificates
 * included: stand-ins are put where the TLS example expects its files), and say what their
 * comments say.
 */
class ExampleConfigsTest {

    @TempDir
    Path dir;

    private static Path example(String name) {
        return RepoFiles.path("config").resolve(name);
    }

    /** Loads an example from a copy beside stand-in certificates for the files it names. */
    private ProxyConfig check(String name) throws IOException, ConfigException {
        Path sub = Files.createTempDirectory(dir, name);
        return ConfigLoader.load(ExampleCertificates.materialise(Files.readString(example(name)), sub, name), Map.of());
    }

    @Test
    void everyExampleInConfigLoads() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(RepoFiles.path("config"))) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
                    .sorted().toList();
        }
        assertThat(names).contains("demo.yml", "seed-stack.yml", "plain-proxy.yml", "tls-two-hosts.yml");
        List<String> refused = new ArrayList<>();
        for (String name : names) {
            try {
                check(name);
            } catch (ConfigException e) {
                refused.add(e.getMessage());
            }
        }
        assertThat(refused).as("config/ examples that --check refuses").isEmpty();
    }

    @Test
    void plainProxyRoutesByHostAndPathAndManagesNoContainer() throws Exception {
        ProxyConfig c = check("plain-proxy.yml");

        assertThat(c.containers()).isEmpty();
        assertThat(c.routes()).allSatisfy(r -> assertThat(r.containers()).isEmpty());
        assertThat(c.discovery().enabled()).isFalse();
        HostRouter router = Route.compile(c.routes());
        assertThat(upstream(router, "app.example.com", "/api/users")).isEqualTo(new HostPort("127.0.0.1", 8081));
        assertThat(upstream(router, "APP.example.com:80", "/index.html")).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(upstream(router, "www.example.com", "/api")).isEqualTo(new HostPort("127.0.0.1", 8090));
        assertThat(upstream(router, "203.0.113.7", "/")).isEqualTo(new HostPort("127.0.0.1", 8090));
    }

    @Test
    void tlsTwoHostsServesEachNameWithItsOwnCertificateAndRedirectsPlainHttp() throws Exception {
        ProxyConfig c = check("tls-two-hosts.yml");

        TlsSettings tls = c.tls().orElseThrow();
        assertThat(tls.listen()).isEqualTo(new HostPort("0.0.0.0", 443));
        assertThat(tls.certificates()).extracting(f -> f.cert().getParent().getFileName().toString())
                .containsExactly("app.example.com", "blog.example.com");
        assertThat(tls.redirectHttp()).isTrue();
        assertThat(tls.httpsPort()).isEqualTo(443);
        HostRouter router = Route.compile(c.routes());
        assertThat(route(router, "app.example.com", "/").containers()).containsExactly("app");
        assertThat(route(router, "blog.example.com", "/").containers()).containsExactly("blog");
        assertThat(route(router, "blog.example.com", "/.well-known/acme-challenge/x").upstream())
                .isEqualTo(new HostPort("127.0.0.1", 8099));
        assertThat(route(router, "other.example.com", "/")).isNull();
    }

    private static Route route(HostRouter router, String host, String path) {
        return router.find(host, path);
    }

    private static HostPort upstream(HostRouter router, String host, String path) {
        Route r = route(router, host, path);
        return r == null ? null : r.upstream();
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
    void seedStackExampleLoadsWithItsPrioritiesAndRouteMap() throws ConfigException {
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

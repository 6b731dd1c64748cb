package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String EVERY_KEY = """
            listen: 127.0.0.1:8080
            workers: 3
            automation:
              auto_start: false
              auto_stop: false
              idle_timeout: 45m
              high_idle_timeout: 3h
              low_idle_timeout: 5m
              startup_timeout: 90s
              health_check_interval: 10s
              idle_check_interval: 500ms
              max_stops_per_cycle: 2
              min_running: 1
            state:
              redis: redis://127.0.0.1:6379/2
            docker:
              host: tcp://127.0.0.1:2375
            containers:
              app:      { priority: critical, upstream: 127.0.0.1:8001, health: { http: /healthz } }
              mongodb:  { priority: critical }
              prometheus: { priority: high, health: { tcp: true } }
              grafana:
                priority: normal
                upstream: 127.0.0.1:3000
                depends_on: [prometheus]
                idle_timeout: 15m
              kibana:   { priority: low, upstream: 127.0.0.1:5601 }
              postgres: { upstream: 127.0.0.1:5432 }
              bare:
            routes:
              - { path: /assets,     containers: [app, mongodb], upstream: app }
              - { path: /dashboards/, containers: [grafana] }
              - { path: /logs,       upstream: kibana, waiting_page: false }
              - { path: /static,     upstream: 127.0.0.1:9000 }
            tcp:
              - { listen: 127.0.0.1:15432, container: postgres }
              - { listen: 127.0.0.1:16379, upstream: 127.0.0.1:6379 }
            timeouts:
              header_read: 5s
              body_read: 45s
              idle_keep_alive: 30s
              client_send: 50s
              upstream_connect: 2s
              upstream_send: 40s
              upstream_response: 120s
              upstream_read: 90s
              upstream_idle: 20s
              docker_call: 3s
              drain: 1m
            limits:
              max_request_line: 4KiB
              max_head_size: 16384
              max_headers: 50
              park_buffer: 1MiB
              max_parked: 500
            logging:
              json: true
            """;

    @Test
    void readsEveryKey() throws ConfigException {
        ProxyConfig c = ConfigLoader.parse(EVERY_KEY, "full.yml", Map.of());

        assertThat(c.listen()).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(c.workers()).isEqualTo(3);
        assertThat(c.automation()).isEqualTo(new AutomationSettings(false, false, Duration.ofMinutes(45),
                Duration.ofHours(3), Duration.ofMinutes(5), Duration.ofSeconds(90), Duration.ofSeconds(10),
                Duration.ofMillis(500), 2, 1));
        assertThat(c.redisUrl()).contains("redis://127.0.0.1:6379/2");
        assertThat(c.dockerHost()).isEqualTo("tcp://127.0.0.1:2375");

        assertThat(c.containers().keySet())
                .containsExactly("app", "mongodb", "prometheus", "grafana", "kibana", "postgres", "bare");
        assertThat(c.containers().get("app")).isEqualTo(new ContainerSpec("app", Priority.CRITICAL,
                Optional.of(new HostPort("127.0.0.1", 8001)), HealthProbe.http("/healthz"), List.of(),
                Optional.empty(), false));
        assertThat(c.containers().get("prometheus").health()).isEqualTo(HealthProbe.TCP);
        assertThat(c.containers().get("grafana")).isEqualTo(new ContainerSpec("grafana", Priority.NORMAL,
                Optional.of(new HostPort("127.0.0.1", 3000)), HealthProbe.DEFAULT, List.of("prometheus"),
                Optional.of(Duration.ofMinutes(15)), false));
        assertThat(c.containers().get("bare")).isEqualTo(ContainerSpec.named("bare"));

        assertThat(c.routes()).containsExactly(
                new RouteSpec("/assets", List.of("app", "mongodb"), new HostPort("127.0.0.1", 8001), "app", true),
                // upstream left out: the route's only container with an address
                new RouteSpec("/dashboards", List.of("grafana"), new HostPort("127.0.0.1", 3000), "grafana", true),
                // upstream names a container the list leaves out: it is woken too
                new RouteSpec("/logs", List.of("kibana"), new HostPort("127.0.0.1", 5601), "kibana", false),
                new RouteSpec("/static", List.of(), new HostPort("127.0.0.1", 9000), "127.0.0.1:9000", true));
        assertThat(c.routes().get(3).upstreamContainer()).isEmpty();
        assertThat(c.routes().get(0).upstreamContainer()).contains("app");

        assertThat(c.tcp()).containsExactly(
                new TcpSpec(new HostPort("127.0.0.1", 15432), Optional.of("postgres"), new HostPort("127.0.0.1", 5432)),
                new TcpSpec(new HostPort("127.0.0.1", 16379), Optional.empty(), new HostPort("127.0.0.1", 6379)));

        assertThat(c.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(45),
                Duration.ofSeconds(30), Duration.ofSeconds(50), Duration.ofSeconds(2), Duration.ofSeconds(40),
                Duration.ofSeconds(120), Duration.ofSeconds(90), Duration.ofSeconds(20), Duration.ofSeconds(3),
                Duration.ofMinutes(1)));
        assertThat(c.limits()).isEqualTo(new Limits(4096, 16384, 50, 1 << 20, 500));
        assertThat(c.jsonLogs()).isTrue();
        assertThat(c.adminToken()).isEmpty();
        assertThat(c.source()).isEmpty();
    }

    @Test
    void readsTheLabelDiscoveryScope() throws ConfigException {
        ProxyConfig scoped = ConfigLoader.parse("docker: { project: shop }", "d.yml", Map.of());
        ProxyConfig off = ConfigLoader.parse("docker: { labels: false }", "d.yml", Map.of());

        assertThat(scoped.discovery()).isEqualTo(new Discovery(true, java.util.Optional.of("shop")));
        assertThat(scoped.discovery().covers(Map.of("com.docker.compose.project", "shop"))).isTrue();
        assertThat(scoped.discovery().covers(Map.of("com.docker.compose.project", "blog"))).isFalse();
        assertThat(scoped.discovery().covers(Map.of())).isFalse();
        assertThat(off.discovery().covers(Map.of())).isFalse();
        assertThat(ConfigLoader.defaults().discovery().covers(Map.of())).isTrue();
    }

    @Test
    void leavesOutKeysAtTheirDefaults() throws ConfigException {
        ProxyConfig c = ConfigLoader.parse("routes: [ { path: /, upstream: 127.0.0.1:9000 } ]", "min.yml", Map.of());
        ProxyConfig d = ConfigLoader.defaults();

        assertThat(c.listen()).isEqualTo(new HostPort("0.0.0.0", 8000)).isEqualTo(d.listen());
        assertThat(c.workers()).isEqualTo(Runtime.getRuntime().availableProcessors()).isEqualTo(d.workers());
        assertThat(c.automation()).isEqualTo(AutomationSettings.DEFAULTS).isEqualTo(d.automation());
        assertThat(c.redisUrl()).isEmpty();
        assertThat(c.dockerHost()).isEqualTo("unix:///var/run/docker.sock").isEqualTo(d.dockerHost());
        assertThat(c.timeouts()).isEqualTo(Timeouts.DEFAULTS);
        assertThat(c.limits()).isEqualTo(Limits.DEFAULTS);
        assertThat(c.jsonLogs()).isFalse();
        assertThat(c.discovery()).isEqualTo(Discovery.DEFAULT).isEqualTo(d.discovery());
        assertThat(c.routes()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/");
            assertThat(r.waitingPage()).isTrue();
        });
    }

    @Test
    void loadRecordsTheSourceFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wakegate.yml");
        Files.writeString(file, "containers: { app: { upstream: 127.0.0.1:8001 } }\nroutes: [ { path: /, containers: [app] } ]\n");

        ProxyConfig c = ConfigLoader.load(file, Map.of());

        assertThat(c.source()).contains(file);
        assertThat(c.routes().get(0).upstream()).isEqualTo(new HostPort("127.0.0.1", 8001));
    }

    @Test
    void parkBufferAcceptsPlainIntegersAndSizes() throws ConfigException {
        assertThat(ConfigLoader.parse("limits: { park_buffer: 65536 }", "f", Map.of()).limits().parkBufferBytes())
                .isEqualTo(65536);
        assertThat(ConfigLoader.parse("limits: { park_buffer: 64KiB }", "f", Map.of()).limits().parkBufferBytes())
                .isEqualTo(65536);
        assertThat(ConfigLoader.parse("limits: { park_buffer: '2 MiB' }", "f", Map.of()).limits().parkBufferBytes())
                .isEqualTo(2 << 20);
    }
}

package dev.wakegate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.wakegate.config.LabelConfig.Labelled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMergeTest {

    private static final String YAML = """
            containers:
              prometheus: { priority: high, upstream: 127.0.0.1:9090 }
              grafana:    { priority: low, upstream: 127.0.0.1:3000, depends_on: [prometheus] }
            routes:
              - { path: /dashboards, containers: [grafana] }
            """;

    private static Labelled labels(String name, String... kv) throws ConfigException {
        Map<String, String> labels = new java.util.HashMap<>();
        labels.put("wakegate.enable", "true");
        for (int i = 0; i < kv.length; i += 2) {
            labels.put(kv[i], kv[i + 1]);
        }
        return LabelConfig.parse(name, null, labels).orElseThrow();
    }

    @Test
    void addsLabelledContainersAndTheirRoutes() throws ConfigException {
        ProxyConfig base = ConfigLoader.parse(YAML, "w.yml", Map.of());

        ProxyConfig merged = ConfigMerge.withLabels(base, List.of(
                labels("loki", "wakegate.upstream", "127.0.0.1:3100", "wakegate.route", "/loki",
                        "wakegate.depends_on", "prometheus")));

        assertThat(merged.containers().keySet()).containsExactly("prometheus", "grafana", "loki");
        assertThat(merged.containers().get("loki").fromLabels()).isTrue();
        assertThat(merged.routes()).extracting(RouteSpec::path).containsExactly("/dashboards", "/loki");
        assertThat(base.containers()).doesNotContainKey("loki");
    }

    @Test
    void composeDependenciesThatAreManagedStartFirst() throws ConfigException {
        ProxyConfig base = ConfigLoader.parse(YAML, "w.yml", Map.of());

        ProxyConfig merged = ConfigMerge.withLabels(base, List.of(
                labels("loki", "wakegate.upstream", "127.0.0.1:3100", "wakegate.route", "/loki",
                        "com.docker.compose.depends_on",
                        "minio:service_healthy:false,prometheus:service_started:false,postgres:service_started:true"),
                labels("minio", "wakegate.upstream", "127.0.0.1:9000")));

        // minio and prometheus are managed (labels, YAML); postgres is not: the operator keeps it running
        assertThat(merged.containers().get("loki").dependsOn()).containsExactly("minio", "prometheus");
    }

    @Test
    void yamlWinsForContainersAndRoutePaths() throws ConfigException {
        ProxyConfig base = ConfigLoader.parse(YAML, "w.yml", Map.of());

        ProxyConfig merged = ConfigMerge.withLabels(base, List.of(
                labels("grafana", "wakegate.priority", "critical", "wakegate.upstream", "127.0.0.1:4000",
                        "wakegate.route", "/dashboards,/grafana", "wakegate.waiting_page", "false")));

        assertThat(merged.containers().get("grafana")).isEqualTo(base.containers().get("grafana"));
        RouteSpec yamlRoute = base.routes().get(0);
        assertThat(merged.routes()).hasSize(2);
        assertThat(merged.routes().get(0)).isEqualTo(yamlRoute);
        // A new path from labels is added, but goes to the YAML container's address.
        assertThat(merged.routes().get(1)).isEqualTo(new RouteSpec("/grafana", List.of("grafana"),
                new HostPort("127.0.0.1", 3000), "grafana", false));
    }

    @Test
    void refusesLabelDependencyOnUnknownContainer() throws ConfigException {
        ProxyConfig base = ConfigLoader.parse(YAML, "w.yml", Map.of());
        Labelled loki = labels("loki", "wakegate.depends_on", "minio");

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigMerge.withLabels(base, List.of(loki)));

        assertThat(e.file()).isEqualTo("labels of container loki");
        assertThat(e.key()).isEqualTo("wakegate.depends_on");
        assertThat(e.reason()).contains("'minio'");
    }

    @Test
    void refusesCycleThroughLabels() throws ConfigException {
        ProxyConfig base = ConfigLoader.parse(YAML, "w.yml", Map.of());

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigMerge.withLabels(base, List.of(
                labels("a", "wakegate.depends_on", "b"), labels("b", "wakegate.depends_on", "a"))));

        assertThat(e.file()).isEqualTo("labels of container a");
        assertThat(e.key()).isEqualTo("wakegate.depends_on");
        assertThat(e.reason()).isEqualTo("dependency cycle: a -> b -> a");
    }

    @Test
    void refusesOneRouteFromTheLabelsOfTwoContainers() throws ConfigException {
        ProxyConfig base = ConfigLoader.parse(YAML, "w.yml", Map.of());

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigMerge.withLabels(base, List.of(
                labels("a", "wakegate.port", "1", "wakegate.route", "/x"),
                labels("b", "wakegate.port", "2", "wakegate.route", "/x/"))));

        assertThat(e.file()).isEqualTo("labels of container b");
        assertThat(e.key()).isEqualTo("wakegate.route");
        assertThat(e.reason()).contains("/x").contains("labels of container a");
    }
}

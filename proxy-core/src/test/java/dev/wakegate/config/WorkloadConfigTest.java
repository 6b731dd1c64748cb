package dev.wakegate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code kind: service} entries and a service's replicas, in YAML ({@code containers.<name>.kind},
 * {@code .replicas}) and in a Swarm service's own labels ({@code wakegate.replicas}): read, and
 * refused with file, key and reason when they make no sense.
 */
class WorkloadConfigTest {

    private static ContainerSpec entry(String yaml, String name) throws ConfigException {
        return ConfigLoader.parse(yaml, "swarm.yml", Map.of()).containers().get(name);
    }

    @Test
    void anEntryIsAContainerUnlessItSaysItIsAService() throws ConfigException {
        String yaml = """
                containers:
                  db: {}
                  cache: { kind: container }
                  web: { kind: service, replicas: 3, upstream: 127.0.0.1:8080 }
                  api: { kind: service }
                """;
        assertThat(entry(yaml, "db").workload()).isEqualTo(Workload.CONTAINER);
        assertThat(entry(yaml, "cache").workload()).isEqualTo(Workload.CONTAINER);
        assertThat(entry(yaml, "web").workload()).isEqualTo(Workload.service(OptionalInt.of(3)));
        assertThat(entry(yaml, "api").workload())
                .as("no replicas: the count it had, else 1, decided when it wakes")
                .isEqualTo(Workload.service(OptionalInt.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{ kind: pod }                    | containers.web.kind     | unknown kind 'pod' (expected container or service)",
            "{ replicas: 2 }                  | containers.web.replicas | only a Swarm service has replicas (add kind: service)",
            "{ kind: container, replicas: 2 } | containers.web.replicas | only a Swarm service has replicas (add kind: service)",
            "{ kind: service, replicas: 0 }   | containers.web.replicas | 0",
            "{ kind: service, replicas: 101 } | containers.web.replicas | 101",
            "{ kind: service, replicas: two } | containers.web.replicas | two",
            "{ kind: service, sleep: pause }  | containers.web.sleep    | sleep: pause is for containers",
    })
    void nonsenseIsRefusedWithTheKeyAndTheReason(String entry, String key, String reason) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse("containers:\n  web: " + entry + "\n", "swarm.yml", Map.of()));
        assertThat(e).as(entry).isNotNull();
        assertThat(e.file()).isEqualTo("swarm.yml");
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.reason()).contains(reason);
    }

    @Test
    void aServicesOwnLabelsMakeAServiceEntryWithItsReplicas() throws ConfigException {
        LabelConfig.Labelled l = LabelConfig.parseService("shop_web", Map.of(LabelConfig.ENABLE, "true",
                LabelConfig.ROUTE, "/shop", LabelConfig.UPSTREAM, "127.0.0.1:8080", LabelConfig.REPLICAS, "2",
                LabelConfig.LAST_REPLICAS, "5")).orElseThrow();
        assertThat(l.spec().name()).isEqualTo("shop_web");
        assertThat(l.spec().workload()).isEqualTo(Workload.service(OptionalInt.of(2)));
        assertThat(l.spec().fromLabels()).isTrue();
        assertThat(l.routes()).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo("/shop"));

        LabelConfig.Labelled bare = LabelConfig.parseService("shop_api", Map.of(LabelConfig.ENABLE, "true"))
                .orElseThrow();
        assertThat(bare.spec().workload()).isEqualTo(Workload.service(OptionalInt.empty()));
        assertThat(LabelConfig.parseService("other", Map.of(LabelConfig.REPLICAS, "2"))).as("not enabled").isEmpty();
    }

    @Test
    void replicasAreRefusedOnAContainerAndWhenTheyAreNoCountAndPauseOnAService() {
        ConfigException onContainer = catchThrowableOfType(ConfigException.class, () -> LabelConfig.parse("web-1",
                null, Map.of(LabelConfig.ENABLE, "true", LabelConfig.REPLICAS, "2")));
        assertThat(onContainer.file()).isEqualTo("labels of container web-1");
        assertThat(onContainer.key()).isEqualTo(LabelConfig.REPLICAS);
        assertThat(onContainer.reason()).contains("Swarm service");

        ConfigException paused = catchThrowableOfType(ConfigException.class, () -> LabelConfig.parseService("web",
                Map.of(LabelConfig.ENABLE, "true", LabelConfig.SLEEP, "pause")));
        assertThat(paused.file()).isEqualTo("labels of service web");
        assertThat(paused.key()).isEqualTo(LabelConfig.SLEEP);
        assertThat(paused.reason()).contains("sleep: pause is for containers");

        for (String bad : new String[] {"0", "-1", "many", "101"}) {
            ConfigException e = catchThrowableOfType(ConfigException.class, () -> LabelConfig.parseService("web",
                    Map.of(LabelConfig.ENABLE, "true", LabelConfig.REPLICAS, bad)));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.file()).isEqualTo("labels of service web");
            assertThat(e.reason()).contains("'" + bad + "'");
        }
    }

    @Test
    void aYamlEntryWinsOverAServicesLabels() throws ConfigException {
        ProxyConfig base = ConfigLoader.parse("containers:\n  web: { kind: service, replicas: 4 }\n", "swarm.yml",
                Map.of());
        LabelConfig.Labelled l = LabelConfig.parseService("web", Map.of(LabelConfig.ENABLE, "true",
                LabelConfig.REPLICAS, "1")).orElseThrow();
        ProxyConfig merged = ConfigMerge.withLabels(base, java.util.List.of(l));
        assertThat(merged.containers().get("web").workload().replicas()).hasValue(4);
        assertThat(merged.containers().get("web").fromLabels()).isFalse();
    }

    @Test
    void theSwarmStackExampleWakesItsServicesToTheirReplicas() throws Exception {
        ProxyConfig c = ConfigLoader.load(dev.wakegate.testing.RepoFiles.path("config").resolve("swarm-stack.yml"),
                Map.of());
        assertThat(c.containers().values()).allSatisfy(spec -> assertThat(spec.workload().isService()).isTrue());
        assertThat(c.containers().get("shop_web").workload().replicas()).hasValue(3);
        assertThat(c.containers().get("shop_api").workload().replicas()).isEmpty();
        assertThat(c.containers().get("shop_web").dependsOn()).containsExactly("shop_api");
        assertThat(c.redisUrl()).hasValue("redis://redis:6379");
    }
}

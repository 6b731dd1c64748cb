package dev.wakegate.compose;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.config.ConfigException;
import dev.wakegate.config.ConfigLoader;
import dev.wakegate.config.ConfigMerge;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.config.ProxyConfig;
import dev.wakegate.config.Workload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks docker/swarm/docker-stack.yml and its docker/swarm/wakegate.yml as far as one machine
 * can: {@code docker stack config} (the CLI's own reading of a stack file; docker-compose's where
 * the CLI has none) accepts it; wakegate
 * runs replicated, one per manager node, all on the stack's Redis; and the services' own
 * {@code deploy.labels} are what wakegate reads from a service (merged with the file as wakegate
 * merges them): a replicated service woken to its {@code wakegate.replicas}, dependencies named as
 * the deployed stack names them. Several proxies on several nodes cannot be run here (one machine,
 * one node): the two-proxy behaviour on one Redis is SwarmE2ETest's.
 */
@Tag("docker")
class SwarmStackFileTest {
    /** The stack name docs/swarm.md deploys it under (services are STACK_NAME on the swarm). */
    static final String STACK = "shop";

    static JsonNode services;

    @BeforeAll
    static void renderStack() throws Exception {
        String file = ComposeFiles.docker("swarm/docker-stack.yml").toString();
        Map<String, String> env = Map.of("DOCKER_GID", "999");
        // docker stack config came with the 23.x CLI; Debian's 20.10 CLI has none: docker-compose
        // then reads the file (it knows the deploy: keys, and only warns about configs:)
        boolean stackConfig = ComposeFiles.run(Map.of(), List.of("docker", "stack", "config", "--help")).stdout()
                .contains("--compose-file");
        ComposeFiles.Result r = stackConfig
                ? ComposeFiles.run(env, List.of("docker", "stack", "config", "-c", file))
                : ComposeFiles.config(env, ComposeFiles.docker("swarm/docker-stack.yml"));
        assertThat(r.exitCode()).as("%s: %s", stackConfig ? "docker stack config" : "docker-compose config",
                r.stderr()).isZero();
        services = r.yaml().get("services");
    }

    @Test
    void wakegateRunsReplicatedOnePerManagerOnTheStacksRedis() {
        JsonNode w = services.get("wakegate");
        assertThat(w.at("/deploy/replicas").asInt()).isGreaterThan(1);
        assertThat(w.at("/deploy/placement/constraints").toString()).contains("node.role == manager");
        assertThat(w.at("/deploy/placement/max_replicas_per_node").asInt()).isEqualTo(1);
        assertThat(w.at("/environment/REDIS_URL").asText()).isEqualTo("redis://redis:6379");
        assertThat(services.has("redis")).isTrue();
        assertThat(w.get("volumes").toString()).contains("/var/run/docker.sock");
    }

    @Test
    void theServicesOwnLabelsAreWhatWakegateManagesAndTheyMergeWithItsFile() throws Exception {
        ProxyConfig base = ConfigLoader.load(ComposeFiles.docker("swarm/wakegate.yml"),
                Map.of("REDIS_URL", "redis://redis:6379"));
        assertThat(base.redisUrl()).hasValue("redis://redis:6379");
        List<LabelConfig.Labelled> labelled = new ArrayList<>();
        services.fields().forEachRemaining(s -> {
            JsonNode labels = s.getValue().at("/deploy/labels");
            Map<String, String> map = new HashMap<>();
            labels.fields().forEachRemaining(l -> map.put(l.getKey(), l.getValue().asText()));
            try {
                LabelConfig.parseService(STACK + "_" + s.getKey(), map).ifPresent(labelled::add);
            } catch (ConfigException e) {
                throw new AssertionError(e.getMessage(), e);
            }
            assertThat(s.getValue().path("labels").toString()).as("%s: wakegate reads a service's deploy.labels,"
                    + " not its containers' labels", s.getKey()).doesNotContain("wakegate.");
        });
        assertThat(labelled).extracting(l -> l.spec().name()).containsExactlyInAnyOrder("shop_web", "shop_api");

        ProxyConfig merged = ConfigMerge.withLabels(base, labelled);
        assertThat(merged.containers().get("shop_web").workload()).isEqualTo(Workload.service(OptionalInt.of(2)));
        assertThat(merged.containers().get("shop_web").dependsOn()).containsExactly("shop_api");
        assertThat(merged.containers().get("shop_api").workload()).isEqualTo(Workload.service(OptionalInt.empty()));
        assertThat(merged.routes()).extracting(r -> r.path()).contains("/", "/api");
    }
}

package dev.wakegate.e2e.labels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.admin.ConfigReload.Outcome;
import dev.wakegate.admin.ConfigReload.Report;
import dev.wakegate.testing.DockerProxyTest;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.wakegate.e2e.labels.LabelE2E.json;
import static dev.wakegate.e2e.labels.LabelE2E.labels;
import static dev.wakegate.e2e.labels.LabelE2E.managed;
import static dev.wakegate.e2e.labels.LabelE2E.uniqueRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reload against the real engine: containers and routes that come from labels survive it,
 * merged with the new file as with the old one, and a container removed from the file is no
 * longer managed and left as it is (never stopped).
 */
@Tag("docker")
class ReloadWithLabelsE2ETest extends DockerProxyTest {
    @TempDir
    Path dir;

    private final int port = Loopback.freePort();

    private String file(String fileRoute, String fileContainer) {
        return """
                listen: 127.0.0.1:%d
                automation:
                  auto_stop: false
                containers:
                  %s: { upstream: 127.0.0.1:%d }
                routes:
                  - { path: %s, containers: [%s] }
                """.formatted(port, fileContainer, Loopback.freePort(), fileRoute, fileContainer);
    }

    private JsonNode services() {
        return json(proxy.get("/health/services")).path("service_mappings").path("endpoint_dependencies");
    }

    @Test
    void labelRoutesAndContainersSurviveAReloadAndARemovedFileContainerIsLeftRunning() throws Exception {
        String fileContainer = docker.container("reload-file").cmd("sleep", "3600").create();
        docker.start(fileContainer);
        Path config = dir.resolve("wakegate.yml");
        String routeOne = uniqueRoute("reload-one");
        Files.writeString(config, file(routeOne, fileContainer));
        proxy = WakegateHarness.start(config);

        String labelRoute = uniqueRoute("reload-label");
        String labelled = docker.container("reload-lbl").cmd("sleep", "3600")
                .labels(labels("route", labelRoute, "upstream", "127.0.0.1:" + Loopback.freePort())).create();
        await("label container managed").atMost(Duration.ofSeconds(10)).until(() -> managed(proxy, labelled) != null);
        assertThat(services().has(labelRoute)).isTrue();
        assertThat(managed(proxy, fileContainer)).isNotNull();

        // the new file: another route, and the file's container gone from it
        String otherContainer = docker.container("reload-other").cmd("sleep", "3600").create();
        String routeTwo = uniqueRoute("reload-two");
        Files.writeString(config, file(routeTwo, otherContainer));
        Report r = proxy.server().reload().get(30, TimeUnit.SECONDS);

        assertThat(r.outcome()).as("%s", r).isEqualTo(Outcome.APPLIED);
        JsonNode routes = services();
        assertThat(routes.has(labelRoute)).as("the label route after the reload: %s", routes).isTrue();
        assertThat(routes.has(routeTwo)).isTrue();
        assertThat(routes.has(routeOne)).isFalse();
        assertThat(managed(proxy, labelled)).as("the label container").isNotNull();
        assertThat(managed(proxy, otherContainer)).as("the container added to the file").isNotNull();
        assertThat(managed(proxy, fileContainer)).as("the container removed from the file").isNull();
        // no longer managed, so never stopped: it keeps running, whatever the idle rule would say
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> "running".equals(docker.status(fileContainer)));
    }
}

package dev.wakegate.e2e.labels;

import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.DockerProxyTest;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static dev.wakegate.e2e.labels.LabelE2E.labels;
import static dev.wakegate.e2e.labels.LabelE2E.managed;
import static dev.wakegate.e2e.labels.LabelE2E.uniqueRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docker.project} limits label discovery to one compose project, so two wakegates in front
 * of two projects on one engine never manage each other's containers; {@code docker.labels: false}
 * turns discovery off.
 */
@Tag("docker")
class DiscoveryScopeE2ETest extends DockerProxyTest {
    @Test
    void onlyContainersOfTheConfiguredComposeProjectAreManaged() {
        String project = DockerFixture.uniqueName("proj");
        proxy = WakegateHarness.start("""
                docker:
                  project: %s
                automation:
                  auto_stop: false
                """.formatted(project));
        String ours = labelled("scope-ours", project);
        String theirs = labelled("scope-theirs", project + "-other");

        await("our project's container is managed").atMost(Duration.ofSeconds(5))
                .until(() -> managed(proxy, ours) != null);
        assertThat(managed(proxy, theirs)).as("another project's container").isNull();
        assertThat(proxy.post("/health/containers/" + theirs + "/start").statusCode()).isEqualTo(404);
        assertThat(docker.status(theirs)).isEqualTo("created");
    }

    @Test
    void discoveryCanBeTurnedOff() {
        proxy = WakegateHarness.start("""
                docker:
                  labels: false
                automation:
                  auto_stop: false
                """);
        String name = labelled("scope-off", null);
        String marker = labelled("scope-off-marker", null);
        // no event will ever make either managed: check a while after both exist
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                .until(() -> managed(proxy, name) == null && managed(proxy, marker) == null);
    }

    private String labelled(String hint, String project) {
        Map<String, String> labels = new java.util.HashMap<>(labels("route", uniqueRoute(hint),
                "upstream", "127.0.0.1:" + Loopback.freePort()));
        if (project != null) {
            labels.put("com.docker.compose.project", project);
        }
        return docker.container(hint).cmd("sleep", "3600").labels(labels).create();
    }
}

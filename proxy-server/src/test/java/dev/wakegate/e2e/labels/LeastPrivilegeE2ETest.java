package dev.wakegate.e2e.labels;

import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.DockerProxyTest;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static dev.wakegate.e2e.labels.LabelE2E.contentType;
import static dev.wakegate.e2e.labels.LabelE2E.httpServerScript;
import static dev.wakegate.e2e.labels.LabelE2E.labels;
import static dev.wakegate.e2e.labels.LabelE2E.managed;
import static dev.wakegate.e2e.labels.LabelE2E.uniqueRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Least privilege (issue 5): wakegate starts, stops and inspects only the containers it manages
 * (YAML or {@code wakegate.enable=true}). Every other container on the engine is out of reach of
 * its API and of its idle evictor. States are checked with {@code docker inspect}.
 */
@Tag("docker")
class LeastPrivilegeE2ETest extends DockerProxyTest {
    @Test
    void adminOperationsOnAnUnmanagedContainerAnswer404AndLeaveItAlone() {
        String stopped = docker.sleeper("unmanaged-stopped");
        String service = DockerFixture.uniqueName("unmanaged-svc");
        String running = docker.container("unmanaged-running").composeService(service).cmd("sleep", "3600").create();
        docker.start(running);
        Instant before = Instant.now();
        proxy = WakegateHarness.start("""
                automation:
                  idle_check_interval: 200ms
                  idle_timeout: 1s
                  low_idle_timeout: 1s
                """);

        for (String path : new String[] {
                "/health/containers/" + stopped + "/start",
                "/health/containers/" + running + "/stop",
                "/health/containers/" + service + "/stop", // its compose service name
        }) {
            HttpResponse<String> r = proxy.post(path);
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(404);
            assertThat(contentType(r)).startsWith("application/problem+json");
        }
        assertThat(proxy.post("/health/automation/idle-check").statusCode()).isEqualTo(200);

        assertThat(docker.status(stopped)).isEqualTo("created");
        assertThat(docker.status(running)).isEqualTo("running");
        assertThat(docker.countEvents(stopped, "start", before)).isZero();
        assertThat(docker.countEvents(running, "stop", before)).isZero();
        assertThat(docker.countEvents(running, "kill", before)).isZero();
        assertThat(managed(proxy, stopped)).isNull();
        assertThat(managed(proxy, running)).isNull();
    }

    @Test
    void idleEvictorStopsAManagedContainerButNeverAnUnmanagedRunningOne() {
        String unmanaged = docker.sleeper("unmanaged-idle");
        docker.start(unmanaged);
        Instant before = Instant.now();
        proxy = WakegateHarness.start("""
                automation:
                  idle_check_interval: 200ms
                  idle_timeout: 1s
                  low_idle_timeout: 1s
                  high_idle_timeout: 1s
                """);
        int port = Loopback.freePort();
        String route = uniqueRoute("evict");
        String label = docker.container("lbl-evict").shell(httpServerScript(port, route, "evictable"))
                .labels(labels("route", route, "upstream", "127.0.0.1:" + port, "health", "/", "priority", "low",
                        "idle_timeout", "1s"))
                .create();
        await("managed").atMost(Duration.ofSeconds(5)).until(() -> managed(proxy, label) != null);
        assertThat(proxy.get(route + "/").statusCode()).isEqualTo(200);

        // the evictor did run: it stopped the managed one after its idle timeout
        docker.awaitStopped(label, Duration.ofSeconds(10));
        assertThat(proxy.post("/health/automation/idle-check").statusCode()).isEqualTo(200);

        assertThat(docker.status(unmanaged)).isEqualTo("running");
        assertThat(docker.countEvents(unmanaged, "stop", before)).isZero();
        assertThat(docker.countEvents(unmanaged, "kill", before)).isZero();
    }

    @Test
    void labelContainerWhoseServiceNameIsAnotherContainersNameIsRefusedAndTheOtherUntouched() {
        // compose names a labelled container's spec after its service; another container may be
        // called exactly that (container_name:) without being managed, and the engine resolves a
        // name to that container first: managing the label container would start and stop it
        String service = DockerFixture.uniqueName("shadow");
        String homonym = docker.containerNamed(service).cmd("sleep", "3600").create();
        docker.start(homonym);
        proxy = WakegateHarness.start("""
                automation:
                  auto_stop: false
                """);
        Instant before = Instant.now();
        int port = Loopback.freePort();
        String route = uniqueRoute("shadow");
        String label = docker.container("lbl-shadow").composeService(service)
                .shell(httpServerScript(port, route, "the-labelled-one"))
                .labels(labels("route", route, "upstream", "127.0.0.1:" + port, "health", "/"))
                .create();
        // a sibling created at the same time, valid: proves discovery has seen the pair
        int okPort = Loopback.freePort();
        String okRoute = uniqueRoute("shadow-ok");
        String sibling = docker.container("lbl-shadow-ok").shell(httpServerScript(okPort, okRoute, "ok"))
                .labels(labels("route", okRoute, "upstream", "127.0.0.1:" + okPort)).create();
        await("sibling managed").atMost(Duration.ofSeconds(5)).until(() -> managed(proxy, sibling) != null);

        assertThat(managed(proxy, service)).as("not managed under a name that is another container's").isNull();
        assertThat(proxy.get(route + "/").statusCode()).isEqualTo(404);
        assertThat(proxy.post("/health/containers/" + service + "/stop").statusCode()).isEqualTo(404);
        assertThat(docker.status(label)).isEqualTo("created");
        assertThat(docker.status(homonym)).as("the unmanaged homonym untouched").isEqualTo("running");
        assertThat(docker.countEvents(homonym, "stop", before)).isZero();
        assertThat(docker.countEvents(homonym, "kill", before)).isZero();

        // once the homonym is gone, the label container is managed after all
        docker.remove(homonym);
        await("managed once unambiguous").atMost(Duration.ofSeconds(5)).until(() -> managed(proxy, service) != null);
        HttpResponse<String> woken = proxy.get(route + "/");
        assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
        assertThat(woken.body()).contains("the-labelled-one");
    }
}

package dev.wakegate.e2e.lifecycle;

import dev.wakegate.e2e.lifecycle.Upstreams.Site;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.DockerSocketProxy;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.wakegate.e2e.lifecycle.Upstreams.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine going away and coming back: wakegate talks to Docker through a
 * {@link DockerSocketProxy} that the test cuts. Warm routes need no engine call and keep
 * answering; cold ones fail fast with a 503 naming the reason (never a hang); once the engine is
 * back the proxy reconnects by itself and cold routes wake again.
 */
@Tag("docker")
class DockerOutageE2ETest {
    private final DockerFixture docker = new DockerFixture();
    private final DockerSocketProxy engine = new DockerSocketProxy().start();
    private WakegateHarness proxy;

    @AfterEach
    void cleanUp() {
        if (proxy != null) {
            proxy.close();
        }
        engine.close();
        docker.close();
    }

    @Test
    void warmRoutesServeAndColdRoutesFailFastWhileTheEngineIsGoneThenRecover() {
        Site warm = Upstreams.site(docker, "warm", "warm");
        Site cold = Upstreams.site(docker, "cold", "cold");
        proxy = WakegateHarness.start("""
                docker:
                  host: %s
                automation:
                  auto_stop: false
                  startup_timeout: 10s
                containers:
                  %s: { upstream: %s }
                  %s: { upstream: %s }
                routes:
                  - { path: /warm, containers: [%s], upstream: %s }
                  - { path: /cold, containers: [%s], upstream: %s }
                """.formatted(engine.dockerHost(), warm.name(), warm.upstream(), cold.name(), cold.upstream(),
                warm.name(), warm.name(), cold.name(), cold.name()));
        assertThat(proxy.get("/warm/").statusCode()).isEqualTo(200);

        engine.stop();

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = proxy.get("/warm/");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().trim()).isEqualTo(warm.name());
        }
        long t0 = System.nanoTime();
        HttpResponse<String> refused = proxy.get("/cold/");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("cold route answered promptly")
                .isLessThan(Duration.ofSeconds(3));
        assertProblem(refused, cold.name(), "docker engine unreachable");
        assertThat(docker.status(cold.name())).isEqualTo("created");

        engine.start();

        await("cold route wakes once the engine is back").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250)).until(() -> proxy.get("/cold/").statusCode() == 200);
        assertThat(proxy.get("/cold/").body().trim()).isEqualTo(cold.name());
        assertThat(proxy.get("/warm/").statusCode()).isEqualTo(200);
    }
}

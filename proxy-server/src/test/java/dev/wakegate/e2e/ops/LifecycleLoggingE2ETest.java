package dev.wakegate.e2e.ops;

import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator reads in the log for one container's life through a real proxy: one line when
 * a start is requested, one when it is ready (with the time it took), one when it stopped and why,
 * and nothing at all for warm requests.
 */
@Tag("docker")
class LifecycleLoggingE2ETest {

    @Test
    void oneLinePerLifecycleEventAndNoneForWarmRequests() {
        try (DockerFixture docker = new DockerFixture(); Ops.LogCapture logs = new Ops.LogCapture()) {
            int port = Loopback.freePort();
            String web = docker.httpServer("logging", port, Duration.ofMillis(300));
            try (WakegateHarness proxy = WakegateHarness.start(Ops.yaml(web, port, "priority: normal, idle_timeout: 2s",
                    "idle_check_interval: 500ms"))) {
                assertThat(proxy.get("/index.html").statusCode()).as("cold request").isEqualTo(200);
                assertThat(logs.linesAbout(web, "start requested")).hasSize(1);
                List<String> ready = logs.linesAbout(web, "ready after");
                assertThat(ready).hasSize(1);
                assertThat(ready.get(0)).matches(".*" + web + " ready after \\d+ ms");

                int before = logs.lines().size();
                for (int i = 0; i < 30; i++) {
                    assertThat(proxy.get("/index.html?i=" + i).statusCode()).isEqualTo(200);
                }
                // Other tests' containers on this engine may log discovery lines meanwhile: only ours count.
                assertThat(logs.lines().subList(before, logs.lines().size()))
                        .filteredOn(l -> l.contains(web) || l.contains("/index.html") || l.contains(proxy.port() + ""))
                        .as("log lines about our proxy or container during 30 warm requests").isEmpty();

                docker.awaitStopped(web, Duration.ofSeconds(15));
                await("stop logged").atMost(Duration.ofSeconds(5))
                        .until(() -> !logs.linesAbout(web, " stopped: ").isEmpty());
                List<String> stopped = logs.linesAbout(web, " stopped: ");
                assertThat(stopped).hasSize(1);
                assertThat(stopped.get(0)).matches(".*" + web + " stopped: idle for \\d+s \\(timeout 2s\\)");
                assertThat(logs.linesAbout(web, "start requested")).as("no second start").hasSize(1);
                assertThat(logs.linesAbout(web, "failed")).isEmpty();
            }
        }
    }
}

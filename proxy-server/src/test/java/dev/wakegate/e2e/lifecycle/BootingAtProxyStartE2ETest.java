package dev.wakegate.e2e.lifecycle;

import dev.wakegate.e2e.lifecycle.Upstreams.Site;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A managed container that is already running when the proxy starts, but still booting (its
 * httpd listens 3 s after the start): the proxy must not take "running" for "ready". Its
 * configured probe runs for it as for a container the proxy started, so the requests that
 * arrive meanwhile are parked and then served, never answered 502 "cannot connect".
 */
@Tag("docker")
class BootingAtProxyStartE2ETest {
    private static final Duration BOOT = Duration.ofSeconds(3);

    private final DockerFixture docker = new DockerFixture();
    private WakegateHarness proxy;

    @AfterEach
    void cleanUp() {
        if (proxy != null) {
            proxy.close();
        }
        docker.close();
    }

    @Test
    void requestsToAContainerStillBootingAtProxyStartAreParkedUntilItsProbePasses() {
        Site app = Upstreams.plainSite(docker, "booting", "app", BOOT);
        docker.start(app.name());
        long startedAt = System.nanoTime();
        proxy = WakegateHarness.start("""
                automation:
                  auto_stop: false
                  startup_timeout: 30s
                containers:
                  %s: { upstream: %s, health: { http: /app/ } }
                routes:
                  - { path: /app, containers: [%s], upstream: %s }
                """.formatted(app.name(), app.upstream(), app.name(), app.name()));

        List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/app/"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> r : requests) {
            HttpResponse<String> response = r.join();
            assertThat(response.statusCode()).as("body %s", response.body()).isEqualTo(200);
            assertThat(response.body().trim()).isEqualTo(app.name());
        }
        assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).as("served once it had booted")
                .isGreaterThan(BOOT.minusMillis(500));
        // verified, not started: the engine saw only the test's own start, the proxy counted none
        assertThat(docker.countEvents(app.name(), "start")).isEqualTo(1);
        assertThat(proxy.server().lifecycle().stats().total().startAttempts()).isZero();
        await().until(() -> proxy.get("/health/containers").body().contains("\"in_flight\":0"));
    }
}

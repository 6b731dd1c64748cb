package dev.wakegate.e2e.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.e2e.lifecycle.Upstreams.Site;
import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.provider.docker.DockerProvider;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.PrivateDockerd;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.wakegate.e2e.lifecycle.Upstreams.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hung Docker engine: a private dockerd of the test's own ({@link PrivateDockerd}) frozen with
 * SIGSTOP, so its socket still accepts connections and nothing answers. Every engine call is
 * bounded by {@code timeouts.docker_call} (2 s here): a cold request gets its 503 "docker engine
 * unreachable ... no answer within 2s" within that, not after the 30 s startup timeout, and
 * {@code /health/*} says degraded; without traffic the liveness ping notices the freeze by itself.
 * Warm routes keep serving; after SIGCONT cold routes wake again.
 */
@Tag("docker")
class FrozenEngineE2ETest {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    /** Well under the 30 s startup timeout the issue saw requests wait out; generous for a loaded machine. */
    private static final Duration PROMPTLY = Duration.ofSeconds(8);

    private static PrivateDockerd engine;
    private static DockerFixture docker;
    private WakegateHarness proxy;

    @BeforeAll
    static void privateEngine() {
        engine = PrivateDockerd.start();
        docker = new DockerFixture(engine.dockerHost());
    }

    @AfterAll
    static void stopPrivateEngine() {
        try {
            if (docker != null) {
                docker.close();
            }
        } finally {
            if (engine != null) {
                engine.close();
                assertThat(engine.leftovers()).as("the private engine left nothing behind").isEmpty();
            }
        }
    }

    @AfterEach
    void thawAndClean() {
        engine.thaw(); // whatever the test did: the engine must answer the clean-up
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        docker.removeAll();
    }

    private WakegateHarness start(Site... sites) {
        StringBuilder yaml = new StringBuilder("""
                docker:
                  host: %s
                  labels: false
                timeouts:
                  docker_call: %s
                automation:
                  auto_stop: false
                  startup_timeout: 30s
                containers:
                """.formatted(engine.dockerHost(), Upstreams.yamlDuration(CALL_TIMEOUT)));
        for (Site s : sites) {
            yaml.append("  %s: { upstream: %s }\n".formatted(s.name(), s.upstream()));
        }
        yaml.append("routes:\n");
        for (Site s : sites) {
            String path = "/" + s.name().substring(DockerFixture.NAME_PREFIX.length()).split("-")[0];
            yaml.append("  - { path: %s, containers: [%s], upstream: %s }\n".formatted(path, s.name(), s.name()));
        }
        proxy = WakegateHarness.start(yaml.toString());
        return proxy;
    }

    private JsonNode health() {
        return Upstreams.json(proxy.get("/health/containers").body());
    }

    private boolean dockerDegraded() {
        JsonNode h = health();
        return "degraded".equals(h.path("status").asText()) && !h.path("docker").path("available").asBoolean(true)
                && h.path("unavailable").toString().contains("docker");
    }

    @Test
    void coldRequestDuringAFreezeGets503WithinTheCallTimeoutAndHealthSaysDegraded() {
        Site warm = Upstreams.site(docker, "warm", "warm");
        Site cold = Upstreams.site(docker, "cold", "cold");
        docker.start(warm.name());
        docker.awaitHealthy(warm.name(), Duration.ofSeconds(30));
        start(warm, cold);
        assertThat(proxy.get("/warm/").statusCode()).isEqualTo(200);
        assertThat(health().path("status").asText()).isEqualTo("healthy");

        engine.freeze();

        long t0 = System.nanoTime();
        HttpResponse<String> refused = proxy.get("/cold/");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertProblem(refused, cold.name(), "docker engine unreachable");
        assertThat(Upstreams.json(refused.body()).path("detail").asText()).contains("no answer within 2s")
                .doesNotContain("not ready after");
        assertThat(took).as("503 within the call timeout, not the startup timeout").isLessThan(PROMPTLY);

        await("health says docker is unavailable").atMost(PROMPTLY).until(this::dockerDegraded);
        HttpResponse<String> warmDuringFreeze = proxy.get("/warm/");
        assertThat(warmDuringFreeze.statusCode()).as("relaying needs no engine").isEqualTo(200);
        assertThat(warmDuringFreeze.body().trim()).isEqualTo(warm.name());

        long t1 = System.nanoTime();
        assertProblem(proxy.get("/cold/"), cold.name(), "docker engine unreachable");
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("known unreachable: at once")
                .isLessThan(Duration.ofSeconds(1));

        engine.thaw();

        await("cold route wakes once the engine answers again").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(250)).until(() -> proxy.get("/cold/").statusCode() == 200);
        assertThat(proxy.get("/cold/").body().trim()).isEqualTo(cold.name());
        assertThat(health().path("status").asText()).isEqualTo("healthy");
    }

    @Test
    void everyCallStaysBoundedAndShutdownDoesNotWaitForAFrozenEngine() throws Exception {
        Site app = Upstreams.site(docker, "bounded", "bounded");
        DockerProvider runtime = DockerProvider.create(engine.dockerHost(), Duration.ofSeconds(1));
        List<WorkloadEvent> events = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = runtime.subscribe(events::add);
        try {
            await("event stream connected").atMost(PROMPTLY)
                    .until(() -> events.stream().anyMatch(e -> e.type() == WorkloadEvent.Type.RESYNC));
            assertThat(runtime.inspect(app.name()).get(10, TimeUnit.SECONDS).status())
                    .isEqualTo(WorkloadInfo.Status.CREATED);

            engine.freeze();

            for (int i = 0; i < 3; i++) { // the first miss drops the stream; the later calls keep their deadline
                long t0 = System.nanoTime();
                Throwable failure = runtime.inspect(app.name()).handle((v, ex) -> ex).get(30, TimeUnit.SECONDS);
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(failure).isInstanceOf(StartFailure.class);
                assertThat(((StartFailure) failure).kind()).isEqualTo(StartFailure.Kind.RUNTIME_UNAVAILABLE);
                assertThat(failure.getMessage()).endsWith("no answer within 1s");
                assertThat(millis).as("call %d answered by its deadline", i).isLessThan(1_900);
            }
            await("subscribers hear DISCONNECTED").atMost(PROMPTLY)
                    .until(() -> events.stream().anyMatch(e -> e.type() == WorkloadEvent.Type.DISCONNECTED
                            && e.detail() != null && e.detail().endsWith("no answer within 1s")));

            long t0 = System.nanoTime();
            subscription.close();
            runtime.close();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("closing does not wait for the engine")
                    .isLessThan(Duration.ofSeconds(2));
        } finally {
            subscription.close();
            runtime.close();
        }
    }

    @Test
    void proxyStartedBesideAFrozenEngineServesSaysDegradedAndRecovers() {
        Site cold = Upstreams.site(docker, "late", "late");
        engine.freeze();

        long t0 = System.nanoTime();
        start(cold);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("started without waiting for the engine")
                .isLessThan(PROMPTLY);
        await("health says docker is unavailable").atMost(PROMPTLY).until(this::dockerDegraded);
        assertProblem(proxy.get("/late/"), cold.name(), "docker engine unreachable");

        engine.thaw();

        await("cold route wakes once the engine answers").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(250)).until(() -> proxy.get("/late/").statusCode() == 200);
        assertThat(health().path("status").asText()).isEqualTo("healthy");
    }

    @Test
    void freezeIsNoticedWithoutAnyTrafficThenColdRoutesFailAtOnce() {
        Site cold = Upstreams.site(docker, "idle", "idle");
        start(cold);
        assertThat(health().path("status").asText()).isEqualTo("healthy");

        engine.freeze();

        await("the liveness ping notices the freeze").atMost(DockerProvider.LIVENESS_INTERVAL.plus(PROMPTLY))
                .pollInterval(Duration.ofMillis(250)).until(this::dockerDegraded);
        assertThat(health().path("docker").path("description").asText())
                .contains("docker engine unreachable").contains("no answer within 2s");
        long t0 = System.nanoTime();
        assertProblem(proxy.get("/idle/"), cold.name(), "no answer within 2s");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));

        engine.thaw();

        await("healthy again once the engine answers").atMost(Duration.ofSeconds(40))
                .pollInterval(Duration.ofMillis(250)).until(() -> "healthy".equals(health().path("status").asText()));
    }
}

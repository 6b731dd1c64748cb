package dev.wakegate.e2e.lifecycle;

import dev.wakegate.e2e.lifecycle.Upstreams.Site;
import dev.wakegate.lifecycle.ContainerState;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.DockerSocketProxy;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sleep: pause} against a real engine, through the whole proxy: an idle container is paused
 * (not stopped: the same process wakes, no second start), {@code /health/containers} says
 * {@code paused}, a request unpauses it; requests that arrive while the engine is still pausing
 * park and are served after an unpause; and a pause or unpause done by someone else is noticed
 * from the engine's events. The engine is reached through a {@link DockerSocketProxy}, so a test
 * can hold the pause call at the socket while requests arrive.
 */
@Tag("docker")
class PauseE2ETest {
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration CHECK = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static DockerFixture docker;
    private static DockerSocketProxy engine;
    private static WakegateHarness proxy;
    private static Site idle;
    private static Site held;
    private static Site byHand;

    @BeforeAll
    static void stack() {
        docker = new DockerFixture();
        engine = new DockerSocketProxy().start();
        idle = Upstreams.plainSite(docker, "pause-idle", "idle");
        held = Upstreams.site(docker, "pause-held", "held");
        byHand = Upstreams.plainSite(docker, "pause-hand", "hand");
        proxy = WakegateHarness.start("""
                docker:
                  host: %s
                automation:
                  idle_check_interval: %s
                  startup_timeout: 10s
                containers:
                  %s: { upstream: %s, idle_timeout: %s, sleep: pause }
                  %s: { upstream: %s, idle_timeout: %s, sleep: pause }
                  %s: { upstream: %s, idle_timeout: 1h }
                routes:
                  - { path: /idle, containers: [%s], upstream: %s }
                  - { path: /held, containers: [%s], upstream: %s }
                  - { path: /hand, containers: [%s], upstream: %s }
                """.formatted(engine.dockerHost(), Upstreams.yamlDuration(CHECK),
                idle.name(), idle.upstream(), Upstreams.yamlDuration(IDLE),
                held.name(), held.upstream(), Upstreams.yamlDuration(IDLE),
                byHand.name(), byHand.upstream(),
                idle.name(), idle.name(), held.name(), held.name(), byHand.name(), byHand.name()));
    }

    @AfterAll
    static void cleanUp() {
        if (proxy != null) {
            proxy.close();
        }
        if (engine != null) {
            engine.close();
        }
        docker.close();
    }

    private static Lifecycle lifecycle() {
        return proxy.server().lifecycle();
    }

    private static String reported(String name) {
        return Upstreams.json(proxy.get("/health/containers").body()).path("containers").path(name).path("state").asText();
    }

    @Test
    void anIdleContainerIsPausedAndTheNextRequestUnpausesTheSameProcess() {
        assertThat(proxy.get("/idle/").body().trim()).isEqualTo(idle.name());
        Instant startedAt = Upstreams.startedAt(docker, idle.name());

        docker.awaitStatus(idle.name(), "paused", WAIT);
        await("paused in /health/containers").atMost(WAIT).until(() -> "paused".equals(reported(idle.name())));

        HttpResponse<String> woken = proxy.get("/idle/");
        assertThat(woken.statusCode()).isEqualTo(200);
        assertThat(woken.body().trim()).isEqualTo(idle.name());
        assertThat(docker.countEvents(idle.name(), "unpause")).isGreaterThanOrEqualTo(1);
        assertThat(docker.countEvents(idle.name(), "start")).as("woken by unpause, never started again").isEqualTo(1);
        assertThat(docker.countEvents(idle.name(), "die")).isZero();
        assertThat(Upstreams.startedAt(docker, idle.name())).as("the same process").isEqualTo(startedAt);
    }

    @Test
    void requestsArrivingWhileThePauseIsUnderWayParkAndAreServedAfterAnUnpause() throws Exception {
        assertThat(proxy.get("/held/").statusCode()).isEqualTo(200);
        docker.awaitHealthy(held.name(), WAIT);
        DockerSocketProxy.Hold pause = engine.hold("/containers/" + docker.inspect(held.name()).getId() + "/pause ");
        try {
            await("the idle check asked the engine to pause it").atMost(WAIT).until(() -> pause.arrived() > 0);
            assertThat(lifecycle().container(held.name()).state()).isEqualTo(ContainerState.STOPPING);

            HttpClient client = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                parked.add(client.sendAsync(HttpRequest.newBuilder(proxy.uri("/held/")).timeout(Duration.ofSeconds(30))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()));
            }
            await("the requests park while the pause is under way").during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(2)).until(() -> parked.stream().noneMatch(CompletableFuture::isDone));
            assertThat(docker.status(held.name())).as("the engine has not seen the pause yet").isEqualTo("running");

            pause.release();
            for (CompletableFuture<HttpResponse<String>> f : parked) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body().trim()).isEqualTo(held.name());
            }
        } finally {
            pause.release();
        }
        List<Instant> paused = docker.eventTimes(held.name(), "pause", docker.createdAt());
        List<Instant> unpaused = docker.eventTimes(held.name(), "unpause", docker.createdAt());
        assertThat(paused).as("the held pause went through").isNotEmpty();
        assertThat(unpaused).as("then the parked requests unpaused it").isNotEmpty();
        assertThat(unpaused.get(0)).isAfterOrEqualTo(paused.get(0));
        assertThat(docker.countEvents(held.name(), "start")).isEqualTo(1);
    }

    @Test
    void aPauseAndAnUnpauseBySomeoneElseAreNoticedFromTheEvents() {
        assertThat(proxy.get("/hand/").statusCode()).isEqualTo(200);
        assertThat(lifecycle().gate().isReady(List.of(byHand.name()))).isTrue();

        docker.client().pauseContainerCmd(byHand.name()).exec();
        await("paused by hand is noticed").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> lifecycle().container(byHand.name()).state() == ContainerState.PAUSED);
        assertThat(reported(byHand.name())).isEqualTo("paused");

        docker.client().unpauseContainerCmd(byHand.name()).exec();
        await("unpaused by hand is noticed").atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> lifecycle().container(byHand.name()).state() == ContainerState.READY);

        docker.client().pauseContainerCmd(byHand.name()).exec();
        await().atMost(WAIT).until(() -> lifecycle().container(byHand.name()).state() == ContainerState.PAUSED);
        HttpResponse<String> r = proxy.get("/hand/");
        assertThat(r.statusCode()).as("a request wakes a container someone else paused").isEqualTo(200);
        assertThat(docker.status(byHand.name())).isEqualTo("running");
        assertThat(docker.countEvents(byHand.name(), "start")).isEqualTo(1);
    }
}

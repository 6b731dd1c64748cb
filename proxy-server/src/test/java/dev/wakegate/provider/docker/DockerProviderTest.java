package dev.wakegate.provider.docker;

import dev.wakegate.lifecycle.StartFailure;
import dev.wakegate.provider.WorkloadEvent;
import dev.wakegate.provider.WorkloadInfo.Health;
import dev.wakegate.provider.WorkloadInfo.Status;
import dev.wakegate.provider.WorkloadInfo;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.DockerSocketProxy;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.StartFailures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Tag("docker")
class DockerProviderTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static DockerFixture docker;
    private static DockerProvider runtime;

    @BeforeAll
    static void engine() {
        docker = new DockerFixture();
        runtime = DockerProvider.create(docker.dockerHost());
    }

    @AfterAll
    static void cleanUp() {
        if (runtime != null) {
            runtime.close();
        }
        if (docker != null) {
            docker.close();
        }
    }

    @AfterEach
    void removeContainers() {
        docker.removeAll();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static final Duration WAIT_FOR_FAILURE = Duration.ofSeconds(30);

    private static StartFailure failureOf(CompletableFuture<?> f) {
        return StartFailures.failureOf(f, WAIT_FOR_FAILURE);
    }

    @Test
    void inspectReportsCreatedRunningExitedAndMissing() throws Exception {
        String c = docker.sleeper("inspect");

        WorkloadInfo created = get(runtime.inspect(c));
        assertThat(created.name()).isEqualTo(c);
        assertThat(created.status()).isEqualTo(Status.CREATED);
        assertThat(created.hasHealthcheck()).isFalse();
        assertThat(created.health()).isEqualTo(Health.NONE);
        assertThat(created.labels()).containsEntry(DockerFixture.TEST_LABEL, "true");

        docker.start(c);
        assertThat(get(runtime.inspect(c)).status()).isEqualTo(Status.RUNNING);

        docker.stop(c);
        WorkloadInfo stopped = get(runtime.inspect(c));
        assertThat(stopped.status()).isEqualTo(Status.EXITED);
        assertThat(stopped.running()).isFalse();

        WorkloadInfo missing = get(runtime.inspect("wakegate-test-no-such-container"));
        assertThat(missing.status()).isEqualTo(Status.MISSING);
        assertThat(missing.name()).isEqualTo("wakegate-test-no-such-container");
    }

    @Test
    void startRunsTheContainerAndItsHealthcheckTurnsHealthy() throws Exception {
        int port = Loopback.freePort();
        String c = docker.httpServer("start", port, Duration.ofMillis(300));
        assertThat(get(runtime.inspect(c)).hasHealthcheck()).isTrue();

        get(runtime.start(c));

        assertThat(get(runtime.inspect(c)).status()).isEqualTo(Status.RUNNING);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> get(runtime.inspect(c)).health() == Health.HEALTHY);
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().trim()).isEqualTo("ok");
    }

    @Test
    void startOfARunningContainerSucceedsWithoutAnotherStart() throws Exception {
        String c = docker.sleeper("twice");
        get(runtime.start(c));
        get(runtime.start(c));

        assertThat(get(runtime.inspect(c)).status()).isEqualTo(Status.RUNNING);
        assertThat(docker.countEvents(c, "start")).isEqualTo(1);
    }

    @Test
    void stopStopsARunningContainerAndStoppingAStoppedOneSucceeds() throws Exception {
        String c = docker.sleeper("stop");
        docker.start(c);

        get(runtime.stop(c, Duration.ofSeconds(5)));
        assertThat(get(runtime.inspect(c)).status()).isEqualTo(Status.EXITED);

        get(runtime.stop(c, Duration.ofSeconds(5)));
        assertThat(get(runtime.inspect(c)).status()).isEqualTo(Status.EXITED);
    }

    @Test
    void stopKillsAContainerThatIgnoresSigtermAfterTheGracePeriod() throws Exception {
        // without docker-init, sh is PID 1 and ignores SIGTERM: only the kill after the grace ends it
        String c = docker.container("stubborn").cmd("sh", "-c", "sleep 3600 & wait").withoutInit().create();
        docker.start(c);
        docker.awaitStatus(c, "running", WAIT);

        long t0 = System.nanoTime();
        get(runtime.stop(c, Duration.ofSeconds(1)));
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(ms).isBetween(900L, 10_000L);
        WorkloadInfo info = get(runtime.inspect(c));
        assertThat(info.status()).isEqualTo(Status.EXITED);
        assertThat(info.exitCode()).isEqualTo(137);
    }

    @Test
    void pauseFreezesARunningContainerAndUnpauseThawsTheSameProcessBothIdempotent() throws Exception {
        String c = docker.sleeper("pause");
        docker.start(c);
        docker.awaitStatus(c, "running", WAIT);
        String startedAt = docker.inspect(c).getState().getStartedAt();
        List<WorkloadEvent> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = runtime.subscribe(events::add)) {
            await().atMost(WAIT).until(() -> !events.isEmpty());

            get(runtime.pause(c));
            assertThat(get(runtime.inspect(c)).status()).isEqualTo(Status.PAUSED);
            get(runtime.pause(c)); // paused already: the goal holds
            assertThat(docker.countEvents(c, "pause")).isEqualTo(1);

            get(runtime.unpause(c));
            assertThat(get(runtime.inspect(c)).status()).isEqualTo(Status.RUNNING);
            get(runtime.unpause(c)); // not paused: the goal holds
            assertThat(docker.countEvents(c, "unpause")).isEqualTo(1);
            assertThat(docker.inspect(c).getState().getStartedAt()).as("the same process").isEqualTo(startedAt);

            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> c.equals(e.name())
                    && e.type() == WorkloadEvent.Type.UNPAUSE));
            assertThat(events.stream().filter(e -> c.equals(e.name())).map(WorkloadEvent::type).toList())
                    .containsSubsequence(WorkloadEvent.Type.PAUSE, WorkloadEvent.Type.UNPAUSE);
        }
    }

    @Test
    void pauseOfAStoppedContainerIsRefusedInTheEnginesWordsAndOfAnUnknownNameIsMissing() {
        String c = docker.sleeper("pause-stopped");

        StartFailure f = failureOf(runtime.pause(c));
        assertThat(f.kind()).isEqualTo(StartFailure.Kind.FAILED);
        assertThat(f.reason()).contains("not running");

        assertThat(failureOf(runtime.pause("wakegate-test-nobody")).kind()).isEqualTo(StartFailure.Kind.MISSING);
        assertThat(failureOf(runtime.unpause("wakegate-test-nobody")).kind()).isEqualTo(StartFailure.Kind.MISSING);
    }

    @Test
    void startAndStopOfAnUnknownNameFailWithNoSuchContainer() {
        StartFailure start = failureOf(runtime.start("wakegate-test-nobody"));
        assertThat(start.kind()).isEqualTo(StartFailure.Kind.MISSING);
        assertThat(start.reason()).isEqualTo("no such container wakegate-test-nobody");
        assertThat(start.container()).isEqualTo("wakegate-test-nobody");

        StartFailure stop = failureOf(runtime.stop("wakegate-test-nobody", Duration.ofSeconds(1)));
        assertThat(stop.kind()).isEqualTo(StartFailure.Kind.MISSING);
    }

    @Test
    void startFailureCarriesTheEnginesMessage() {
        String c = docker.container("badcmd").cmd("/no/such/binary").withoutInit().create();

        StartFailure f = failureOf(runtime.start(c));

        assertThat(f.kind()).isEqualTo(StartFailure.Kind.FAILED);
        assertThat(f.reason()).contains("/no/such/binary").doesNotStartWith("Status ");
    }

    @Test
    void exitingContainerShowsExitedWithItsExitCode() throws Exception {
        String c = docker.exitingContainer("exit", 3);
        get(runtime.start(c));

        await().atMost(WAIT).until(() -> get(runtime.inspect(c)).status() == Status.EXITED);
        WorkloadInfo info = get(runtime.inspect(c));
        assertThat(info.exitCode()).isEqualTo(3);
        assertThat(info.error()).isNull();
    }

    @Test
    void listShowsTestContainersWithStatusAndHealth() throws Exception {
        String stopped = docker.sleeper("list-stopped");
        String sick = docker.neverHealthy("list-sick");
        docker.start(sick);
        docker.awaitStatus(sick, "running", WAIT);
        await().atMost(WAIT).until(() -> "unhealthy".equals(docker.health(sick)));

        List<WorkloadInfo> all = get(runtime.list());

        assertThat(all).filteredOn(i -> i.name().equals(stopped)).singleElement()
                .satisfies(i -> assertThat(i.status()).isEqualTo(Status.CREATED));
        assertThat(all).filteredOn(i -> i.name().equals(sick)).singleElement().satisfies(i -> {
            assertThat(i.status()).isEqualTo(Status.RUNNING);
            assertThat(i.health()).isEqualTo(Health.UNHEALTHY);
            assertThat(i.hasHealthcheck()).isTrue();
        });
    }

    @Test
    void composeServiceNameResolvesToTheRunningContainerThenTheNewest() throws Exception {
        String service = "svc" + Loopback.freePort();
        String older = docker.container("svc-a").composeService(service).create();
        Thread.sleep(1100); // the engine's Created is in whole seconds
        String newer = docker.container("svc-b").composeService(service).create();

        WorkloadInfo byService = get(runtime.inspect(service));
        assertThat(byService.name()).isEqualTo(newer);
        assertThat(byService.service()).isEqualTo(service);

        docker.start(older);
        assertThat(get(runtime.inspect(service)).name()).isEqualTo(older);

        get(runtime.stop(service, Duration.ofSeconds(2)));
        assertThat(docker.status(older)).isEqualTo("exited");
    }

    @Test
    void eventsStartWithResyncThenFollowStartHealthAndDie() throws Exception {
        List<WorkloadEvent> events = new CopyOnWriteArrayList<>();
        int port = Loopback.freePort();
        String c = docker.httpServer("events", port, Duration.ZERO);
        try (AutoCloseable sub = runtime.subscribe(events::add)) {
            await().atMost(WAIT).until(() -> !events.isEmpty());
            assertThat(events.get(0).type()).isEqualTo(WorkloadEvent.Type.RESYNC);

            get(runtime.start(c));
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> c.equals(e.name())
                    && e.type() == WorkloadEvent.Type.HEALTH_STATUS && e.health() == Health.HEALTHY));
            get(runtime.stop(c, Duration.ofSeconds(2)));
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> c.equals(e.name())
                    && e.type() == WorkloadEvent.Type.DIE));

            List<WorkloadEvent.Type> mine = events.stream().filter(e -> c.equals(e.name()))
                    .map(WorkloadEvent::type).toList();
            assertThat(mine).containsSubsequence(WorkloadEvent.Type.START, WorkloadEvent.Type.HEALTH_STATUS,
                    WorkloadEvent.Type.DIE);
            WorkloadEvent start = events.stream().filter(e -> c.equals(e.name())
                    && e.type() == WorkloadEvent.Type.START).findFirst().orElseThrow();
            assertThat(start.id()).hasSize(64);
            assertThat(start.labels()).containsEntry(DockerFixture.TEST_LABEL, "true");
            assertThat(events).noneMatch(e -> e.type() == WorkloadEvent.Type.DISCONNECTED);
        }
    }

    @Test
    void unreachableEngineFailsFastWithAClearMessage() {
        try (DockerProvider nowhere = DockerProvider.create("unix:///tmp/nope.sock")) {
            long t0 = System.nanoTime();
            StartFailure start = failureOf(nowhere.start("app"));
            StartFailure inspect = failureOf(nowhere.inspect("app"));
            StartFailure list = failureOf(nowhere.list());
            StartFailure ping = failureOf(nowhere.ping());
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(elapsedMs).isLessThan(5_000);
            for (StartFailure f : List.of(start, inspect, list, ping)) {
                assertThat(f.kind()).isEqualTo(StartFailure.Kind.RUNTIME_UNAVAILABLE);
                assertThat(f.reason()).startsWith("docker engine unreachable at unix:///tmp/nope.sock: ");
            }
        }
    }

    @Test
    void subscriptionToAnUnreachableEngineReportsDisconnectedOnceAndKeepsRetrying() throws Exception {
        List<WorkloadEvent> events = new CopyOnWriteArrayList<>();
        try (DockerProvider nowhere = DockerProvider.create("unix:///tmp/nope.sock");
             AutoCloseable sub = nowhere.subscribe(events::add)) {
            await().atMost(WAIT).until(() -> !events.isEmpty());
            Thread.sleep(1500); // several backoff rounds (100, 200, 400, 800 ms)
            assertThat(events).extracting(WorkloadEvent::type).containsExactly(WorkloadEvent.Type.DISCONNECTED);
            // still alive: calls still answer promptly
            assertThat(failureOf(nowhere.ping()).kind()).isEqualTo(StartFailure.Kind.RUNTIME_UNAVAILABLE);
        }
    }

    @Test
    void eventFeedReportsDisconnectedOnceWhenTheEngineGoesAwayAndResyncsWhenItReturns() throws Exception {
        List<WorkloadEvent> events = new CopyOnWriteArrayList<>();
        try (DockerSocketProxy engine = new DockerSocketProxy().start();
             DockerProvider viaProxy = DockerProvider.create(engine.dockerHost());
             AutoCloseable sub = viaProxy.subscribe(events::add)) {
            await().atMost(WAIT).until(() -> types(events).contains(WorkloadEvent.Type.RESYNC));

            engine.stop();
            await().atMost(WAIT).until(() -> types(events).contains(WorkloadEvent.Type.DISCONNECTED));
            assertThat(failureOf(viaProxy.inspect("app")).reason())
                    .startsWith("docker engine unreachable at " + engine.dockerHost() + ": ");
            Thread.sleep(1000); // several failed reconnects: still one DISCONNECTED

            engine.start();
            await().atMost(WAIT).until(() -> types(events).size() == 3);
            assertThat(types(events)).containsExactly(WorkloadEvent.Type.RESYNC, WorkloadEvent.Type.DISCONNECTED,
                    WorkloadEvent.Type.RESYNC);

            String c = docker.sleeper("reconnect");
            get(viaProxy.start(c));
            await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> c.equals(e.name())
                    && e.type() == WorkloadEvent.Type.START));
        }
    }

    private static List<WorkloadEvent.Type> types(List<WorkloadEvent> events) {
        return events.stream().map(WorkloadEvent::type).toList();
    }

    @Test
    void rejectsAnUnsupportedDockerHost() {
        assertThatThrownBy(() -> DockerProvider.create("http://localhost:2375"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unix:///path or tcp://");
    }
}

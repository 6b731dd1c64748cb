package dev.wakegate.e2e.ops;

import dev.wakegate.lifecycle.IdleCheckReport;
import dev.wakegate.lifecycle.ContainerState;
import dev.wakegate.lifecycle.LifecycleStats;
import dev.wakegate.server.Main;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several proxies on one Redis (database {@value Ops#REDIS_URL}): one start for concurrent cold
 * requests through two instances, usage through one instance seen by the other's evictor, and an
 * instance that dies with a request in flight.
 */
@Tag("docker")
@Tag("redis")
class MultiInstanceE2ETest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final DockerFixture docker = new DockerFixture();
    private final Closer open = new Closer();
    private Process child;

    @AfterEach
    void cleanUp() throws Exception {
        if (child != null) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        open.close();
        docker.close();
    }

    @Test
    void concurrentColdRequestsThroughTwoInstancesAreAllServedByOneStart() {
        open.track(Ops.freshRedis());
        int port = Loopback.freePort();
        String web = docker.httpServer("shared-start", port, Duration.ofMillis(500));
        String yaml = Ops.yaml(web, port, "priority: normal", "auto_stop: false");
        Map<String, String> env = Map.of("REDIS_URL", Ops.REDIS_URL);
        WakegateHarness a = open.track(WakegateHarness.start(yaml, env));
        WakegateHarness b = open.track(WakegateHarness.start(yaml, env));
        assertThat(a.server().lifecycle().instanceId()).isNotEqualTo(b.server().lifecycle().instanceId());

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (WakegateHarness proxy : List.of(a, b)) {
                responses.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/index.html"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();

        assertThat(responses).hasSize(40).allSatisfy(r -> {
            assertThat(r.join().statusCode()).isEqualTo(200);
            assertThat(r.join().body()).isEqualTo("ok\n");
        });
        assertThat(Ops.startsIssued(a, web) + Ops.startsIssued(b, web)).as("runtime.start calls, both instances")
                .isEqualTo(1);
        assertThat(docker.countEvents(web, "start")).as("docker start events").isEqualTo(1);
    }

    @Test
    void containerBusyThroughOneInstanceIsNotStoppedByTheOthersEvictor() {
        open.track(Ops.freshRedis());
        int port = Loopback.freePort();
        String web = Ops.slowCapableServer(docker, "busy", port, 5);
        Map<String, String> env = Map.of("REDIS_URL", Ops.REDIS_URL);
        // A serves the traffic and never evicts; B only evicts, with a 3 s idle timeout.
        WakegateHarness a = open.track(WakegateHarness.start(Ops.yaml(web, port, "priority: normal", "auto_stop: false"), env));
        WakegateHarness b = open.track(WakegateHarness.start(Ops.yaml(web, port, "priority: normal, idle_timeout: 3s",
                "idle_check_interval: 300ms"), env));
        assertThat(a.get("/index.html").statusCode()).isEqualTo(200);

        // Steady traffic through A, 6 s (twice B's timeout): B sees the shared last access.
        await("running under steady traffic through A").during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> a.get("/index.html").statusCode() == 200 && "running".equals(docker.status(web)));

        // One slow request in flight through A, longer than B's timeout.
        CompletableFuture<HttpResponse<String>> slow = a.client().sendAsync(
                HttpRequest.newBuilder(a.uri("/cgi-bin/slow")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        await("B sees the request in flight through A").atMost(Duration.ofSeconds(8))
                .until(() -> skippedBecause(b, web, "in use by another instance"));
        assertThat(slow).isNotDone();
        assertThat(docker.status(web)).isEqualTo("running");
        assertThat(slow.join().body()).isEqualTo("slow\n");

        // Idle now: B stops it after its timeout.
        docker.awaitStopped(web, Duration.ofSeconds(15));
        await("B counted its stop").atMost(Duration.ofSeconds(5))
                .until(() -> b.server().lifecycle().stats().countsOf(web).stopSuccesses() == 1);
        assertThat(a.server().lifecycle().stats().countsOf(web).stopAttempts()).isZero();
    }

    /**
     * A real crash: instance A is a separate JVM ({@link Main}) killed with SIGKILL while a request
     * through it is in flight, so nothing of it cleans up. Its published usage stays in Redis
     * until the usage TTL ({@code ActivityTracker.USAGE_TTL}, 10 s); then A is a silent member,
     * unaccounted for, until B's {@code state.instance_timeout} (12 s here); then B stops the container.
     */
    @Test
    void instanceKilledWithARequestInFlightDoesNotBlockStopsForever(@TempDir Path dir) throws Exception {
        open.track(Ops.freshRedis());
        int port = Loopback.freePort();
        String web = Ops.slowCapableServer(docker, "crash", port, 120);
        int aPort = Loopback.freePort();
        Path config = dir.resolve("a.yml");
        Files.writeString(config, Ops.yaml(web, port, "priority: normal", "auto_stop: false"));
        Path log = dir.resolve("a.log");
        ProcessBuilder a = new ProcessBuilder(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        a.environment().put("REDIS_URL", Ops.REDIS_URL);
        a.environment().put("WAKEGATE_LISTEN", "127.0.0.1:" + aPort);
        child = a.start();
        WakegateHarness b = open.track(WakegateHarness.start(Ops.yaml(web, port, "priority: normal, idle_timeout: 4s",
                "idle_check_interval: 300ms") + "state: { instance_timeout: 12s }\n", Map.of("REDIS_URL", Ops.REDIS_URL)));
        await("instance A up").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> get(aPort, "/health/automation").statusCode() == 200);

        CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + aPort + "/cgi-bin/slow")).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        await("B sees A's request in flight").atMost(Duration.ofSeconds(20))
                .until(() -> skippedBecause(b, web, "in use by another instance"));

        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Instant killedAt = Instant.now();
        assertThat(inFlight).failsWithin(Duration.ofSeconds(5));
        await("A's usage still counts right after the kill").atMost(Duration.ofSeconds(3)).until(() -> {
            IdleCheckReport last = b.server().lifecycle().stats().snapshot().lastIdleCheck();
            return last != null && last.at().isAfter(killedAt)
                    && "in use by another instance".equals(last.skipped().get(web));
        });
        await("A unaccounted for once its usage expired").atMost(Duration.ofSeconds(20)).until(() -> {
            IdleCheckReport last = b.server().lifecycle().stats().snapshot().lastIdleCheck();
            return last != null && !last.ranHere() && last.note().contains("unaccounted for");
        });
        docker.awaitStopped(web, Duration.ofSeconds(40));
        Duration afterKill = Duration.between(killedAt, Instant.now());
        await("B counted its stop").atMost(Duration.ofSeconds(5))
                .until(() -> b.server().lifecycle().stats().countsOf(web).stopSuccesses() == 1);
        assertThat(afterKill).as("stopped once A was presumed dead, not before").isGreaterThan(Duration.ofSeconds(11));
        assertThat(Files.readString(log)).contains("ready after");
    }

    @Test
    void aPauseFollowsTheSameRulesAcrossInstancesAndOneUnpauseWakesItForBoth() {
        open.track(Ops.freshRedis());
        int port = Loopback.freePort();
        String web = Ops.slowCapableServer(docker, "pause-shared", port, 5);
        Map<String, String> env = Map.of("REDIS_URL", Ops.REDIS_URL);
        // A serves the traffic and never puts anything to sleep; B only does, with a 3 s idle timeout.
        WakegateHarness a = open.track(WakegateHarness.start(
                Ops.yaml(web, port, "priority: normal, sleep: pause", "auto_stop: false"), env));
        WakegateHarness b = open.track(WakegateHarness.start(
                Ops.yaml(web, port, "priority: normal, idle_timeout: 3s, sleep: pause", "idle_check_interval: 300ms"), env));
        assertThat(a.get("/index.html").statusCode()).isEqualTo(200);
        // Steady traffic through A until B's checks run (its stops wait until it has seen Redis for 10 s).
        await("B's idle checks run").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> a.get("/index.html").statusCode() == 200 && checksRun(b));
        assertThat(docker.status(web)).isEqualTo("running");

        // One slow request in flight through A, longer than B's timeout: not paused under it.
        CompletableFuture<HttpResponse<String>> slow = a.client().sendAsync(
                HttpRequest.newBuilder(a.uri("/cgi-bin/slow")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        await("B sees the request in flight through A").atMost(Duration.ofSeconds(8))
                .until(() -> skippedBecause(b, web, "in use by another instance"));
        assertThat(docker.status(web)).isEqualTo("running");
        assertThat(slow.join().body()).isEqualTo("slow\n");

        // Idle now: B pauses it after its timeout (the shared cordon acknowledged by A first).
        docker.awaitStatus(web, "paused", Duration.ofSeconds(15));
        assertThat(docker.countEvents(web, "die")).as("paused, not stopped").isZero();
        await("A follows the pause from the engine's events").atMost(Duration.ofSeconds(5))
                .until(() -> a.server().lifecycle().container(web).state() == ContainerState.PAUSED);

        // Requests through both instances at once: one unpause wakes it for all of them.
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            for (WakegateHarness proxy : List.of(a, b)) {
                responses.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/index.html"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();
        assertThat(responses).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(200));
        assertThat(docker.countEvents(web, "unpause")).as("one unpause under the start lease").isEqualTo(1);
        // never stopped, so never started again (the start event of the set-up is not counted: the
        // engine's event query around the fixture's creation time may or may not include it)
        assertThat(docker.countEvents(web, "die")).as("never stopped, so never started again").isZero();
    }

    private static boolean checksRun(WakegateHarness proxy) {
        LifecycleStats.Snapshot s = proxy.server().lifecycle().stats().snapshot();
        return s.lastIdleCheck() != null && s.lastIdleCheck().ranHere();
    }

    private static boolean skippedBecause(WakegateHarness proxy, String name, String reason) {
        LifecycleStats.Snapshot s = proxy.server().lifecycle().stats().snapshot();
        return s.lastIdleCheck() != null && reason.equals(s.lastIdleCheck().skipped().get(name));
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package dev.wakegate.e2e.ops;

import dev.wakegate.state.redis.RedisServerProcess;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Never stopped while in use", through any instance, against a real engine and a real Redis:
 * a dependency under a busy dependant, a container that has just become idle while another
 * instance serves it, and a Redis restarted empty while the serving instance is in its reconnect
 * backoff. Each logs its figures ("... figures: ...").
 */
@Tag("docker")
@Tag("redis")
class NeverStopInUseE2ETest {
    private static final Logger log = LoggerFactory.getLogger(NeverStopInUseE2ETest.class);

    private final DockerFixture docker = new DockerFixture();
    private final Closer open = new Closer();

    @AfterEach
    void cleanUp() throws Exception {
        open.close();
        docker.close();
    }

    @Test
    void aDependencyStaysUpWhileItsDependantIsBusy() throws Exception {
        int appPort = Loopback.freePort();
        int dbPort = Loopback.freePort();
        String app = docker.httpServer("dep-app", appPort, Duration.ZERO);
        String db = docker.httpServer("dep-db", dbPort, Duration.ZERO);
        WakegateHarness proxy = open.track(WakegateHarness.start("""
                workers: 1
                automation: { idle_check_interval: 300ms }
                timeouts: { drain: 1s }
                containers:
                  %s: { priority: normal, upstream: 127.0.0.1:%d, depends_on: [%s] }
                  %s: { priority: low, idle_timeout: 2s, upstream: 127.0.0.1:%d }
                routes:
                  - { path: /, containers: [%s], upstream: %s }
                """.formatted(app, appPort, db, db, dbPort, app, app)));

        Instant from = Instant.now();
        int looks = 0;
        int dbDown = 0;
        int failed = 0;
        for (int i = 0; i < 24; i++) { // a request to app every 0.5 s for 12 s, db looked at each time
            if (proxy.get("/index.html").statusCode() != 200) {
                failed++;
            }
            looks++;
            if (!"running".equals(docker.status(db))) {
                dbDown++;
            }
            Thread.sleep(500);
        }
        long dbStops = docker.countEvents(db, "stop", from);
        log.info("dependency figures: {} looks, db down in {}, db stops {}, failed requests {}", looks, dbDown, dbStops,
                failed);
        assertThat(dbDown).as("looks that found db down while app was busy").isZero();
        assertThat(dbStops).isZero();
        assertThat(failed).isZero();

        // app idle: first app goes (its own 30 min timeout is far), db stays because app runs
        docker.client().stopContainerCmd(app).withTimeout(1).exec(); // app stopped by hand
        docker.awaitStopped(db, Duration.ofSeconds(20)); // now nothing needs db: it goes after 2 s
        // A request to app starts db first, then app.
        assertThat(proxy.get("/index.html").statusCode()).isEqualTo(200);
        assertThat(docker.status(db)).isEqualTo("running");
    }

    @Test
    void aContainerJustIdleIsNotStoppedUnderRequestsThroughAnotherInstance() throws Exception {
        RedisServerProcess redis = open.track(new RedisServerProcess(Loopback.freePort()).start());
        int port = Loopback.freePort();
        String web = Ops.slowCapableServer(docker, "cordon", port, 1);
        Map<String, String> env = Map.of("REDIS_URL", redis.url());
        // A decides (a 2 s idle timeout, checked every 300 ms); B only serves.
        WakegateHarness a = open.track(WakegateHarness.start(Ops.yaml(web, port, "priority: low, idle_timeout: 2s",
                "idle_check_interval: 300ms"), env));
        WakegateHarness b = open.track(WakegateHarness.start(Ops.yaml(web, port, "priority: low, idle_timeout: 2s",
                "auto_stop: false"), env));
        assertThat(b.get("/index.html").statusCode()).isEqualTo(200);

        Instant from = Instant.now();
        int sent = 0;
        int failed = 0;
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < 15; round++) {
            // Just past the idle timeout, as A's next check may be deciding: a burst through B.
            Thread.sleep(2_000 + ThreadLocalRandom.current().nextInt(100, 600));
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                burst.add(b.client().sendAsync(HttpRequest.newBuilder(b.uri("/index.html"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : burst) {
                sent++;
                try {
                    HttpResponse<String> r = f.join();
                    if (r.statusCode() != 200) {
                        failed++;
                        failures.add(r.statusCode() + " " + r.body().strip());
                    }
                } catch (RuntimeException e) {
                    failed++;
                    failures.add(e.toString());
                }
            }
        }
        log.info("cordon figures: {} requests through B, {} failed, {} stops by A; failures: {}", sent, failed,
                docker.countEvents(web, "stop", from), failures);
        assertThat(failures).as("requests through B that failed while A stopped the container").isEmpty();
    }

    @Test
    void redisRestartedEmptyWhileTheServingInstanceIsInItsBackoffStopsNothing() throws Exception {
        RedisServerProcess redis = open.track(new RedisServerProcess(Loopback.freePort()).start());
        int port = Loopback.freePort();
        String web = Ops.slowCapableServer(docker, "empty", port, 25);
        Map<String, String> env = Map.of("REDIS_URL", redis.url());
        WakegateHarness a = open.track(WakegateHarness.start(Ops.yaml(web, port, "priority: low, idle_timeout: 3s",
                "idle_check_interval: 300ms"), env));
        WakegateHarness b = open.track(WakegateHarness.start(Ops.yaml(web, port, "priority: low, idle_timeout: 3s",
                "auto_stop: false"), env));
        assertThat(b.get("/index.html").statusCode()).isEqualTo(200);

        // A 25 s request through B: the container is in use the whole time.
        Instant from = Instant.now();
        CompletableFuture<HttpResponse<String>> slow = b.client().sendAsync(HttpRequest.newBuilder(b.uri("/cgi-bin/slow"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(2_000);
        // Redis away long enough for B's reconnect backoff to grow, then back empty: A, whose
        // attempt comes first, finds no trace of B.
        redis.kill();
        Thread.sleep(9_000);
        redis.start();
        HttpResponse<String> answer = slow.join();
        long stops = docker.countEvents(web, "stop", from);
        log.info("restarted-empty figures: slow request through B answered {}, stops while it ran {}",
                answer.statusCode(), stops);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("slow\n");
        assertThat(stops).as("stops while B's request was in flight").isZero();
    }
}

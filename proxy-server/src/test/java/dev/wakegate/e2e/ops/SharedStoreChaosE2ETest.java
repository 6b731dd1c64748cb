package dev.wakegate.e2e.ops;

import dev.wakegate.lifecycle.LifecycleStats;
import dev.wakegate.state.redis.RedisServerProcess;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promise under faults: two proxies share one real Redis; steady traffic goes through A to a
 * low-priority container with a 3 s idle timeout while B, which sees no traffic of its own, runs
 * the idle check every 300 ms like A. Then Redis is killed for 8 s and restarted with its data,
 * killed again and restarted empty, and the container itself is killed under load.
 *
 * <p>Neither proxy may stop the container while traffic flows (no engine "stop" event and no stop
 * attempt during the load), and no request may fail except those the container's own death cut.
 * Once the traffic ends, eviction works again: the container is stopped after its idle timeout.
 */
@Tag("docker")
@Tag("redis")
class SharedStoreChaosE2ETest {
    private static final Logger log = LoggerFactory.getLogger(SharedStoreChaosE2ETest.class);
    private static final Duration OUTAGE = Duration.ofSeconds(8);

    private final DockerFixture docker = new DockerFixture();
    private final Closer open = new Closer();

    @AfterEach
    void cleanUp() throws Exception {
        open.close();
        docker.close();
    }

    @Test
    void noStopAndNoFailedRequestUnderLoadWhileRedisDiesRestartsEmptyAndTheContainerIsKilled(@TempDir Path dir)
            throws Exception {
        RedisServerProcess redis = open.track(new RedisServerProcess(Loopback.freePort())
                .persistingIn(dir.resolve("redis")).start());
        int port = Loopback.freePort();
        String web = Ops.slowCapableServer(docker, "chaos", port, 1);
        String yaml = Ops.yaml(web, port, "priority: low, idle_timeout: 3s", "idle_check_interval: 300ms");
        Map<String, String> env = Map.of("REDIS_URL", redis.url());
        WakegateHarness a = open.track(WakegateHarness.start(yaml, env));
        WakegateHarness b = open.track(WakegateHarness.start(yaml, env));

        Instant loadFrom = Instant.now();
        LoadLoop load = new LoadLoop(a.uri("/index.html"), 4);
        long killAt;
        Instant loadUntil;
        try {
            Thread.sleep(4_000);

            log.info("chaos: killing redis for {}", OUTAGE);
            redis.kill();
            Thread.sleep(OUTAGE.toMillis());
            redis.start();
            Thread.sleep(6_000);

            log.info("chaos: killing redis, restarting it empty");
            redis.kill();
            redis.wipe();
            redis.start();
            Thread.sleep(8_000);

            log.info("chaos: killing the container under load");
            killAt = System.currentTimeMillis();
            docker.client().killContainerCmd(web).exec();
            Thread.sleep(8_000);
        } finally {
            load.close();
            loadUntil = Instant.now();
        }

        List<Instant> deaths = docker.eventTimes(web, "die", Instant.ofEpochMilli(killAt - 1_000));
        long diedAt = deaths.isEmpty() ? killAt : deaths.get(0).toEpochMilli();
        // Cut by the container's own death: under way at the kill, or sent before the proxies
        // could have heard of it (the engine's event, plus a little for it to arrive).
        List<LoadLoop.Failure> failures = load.failures();
        List<LoadLoop.Failure> unexplained = failures.stream()
                .filter(f -> !f.overlaps(killAt, diedAt + 250)).toList();
        long stopsUnderLoad = docker.countEvents(web, "stop", loadFrom);
        long stopAttempts = stopAttempts(a, web) + stopAttempts(b, web);
        log.info("chaos figures: requests {}, failed {} ({} cut by the container's death), engine stops under load {},"
                        + " stop attempts {}", load.requests(), failures.size(), failures.size() - unexplained.size(),
                stopsUnderLoad, stopAttempts);

        assertThat(load.requests()).as("requests sent").isGreaterThan(1_000);
        assertThat(unexplained).as("failed requests not cut by the container's own death").isEmpty();
        assertThat(stopsUnderLoad).as("engine stop events while traffic flowed")
                .isZero();
        assertThat(stopAttempts).as("stop attempts by either proxy while traffic flowed").isZero();

        // Eviction is suspended, not off: once the traffic ends the container is stopped.
        docker.awaitStopped(web, Duration.ofSeconds(60));
        assertThat(docker.countEvents(web, "stop", loadUntil)).isEqualTo(1);
    }

    private static long stopAttempts(WakegateHarness proxy, String name) {
        LifecycleStats.Counts counts = proxy.server().lifecycle().stats().countsOf(name);
        return counts.stopAttempts();
    }
}

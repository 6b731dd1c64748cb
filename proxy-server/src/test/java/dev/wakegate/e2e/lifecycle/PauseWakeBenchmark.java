package dev.wakegate.e2e.lifecycle;

import dev.wakegate.lifecycle.ContainerState;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.wakegate.e2e.lifecycle.ColdStartBenchmark.fmt;
import static dev.wakegate.e2e.lifecycle.ColdStartBenchmark.median;
import static dev.wakegate.e2e.lifecycle.ColdStartBenchmark.pollUntilOk;
import static dev.wakegate.e2e.lifecycle.ColdStartBenchmark.statusLine;
import static org.awaitility.Awaitility.await;

/**
 * Wake from pause against wake from stop, same container, same proxy, same run, alternating
 * (stop, pause, stop, ...), after one warm-up of each: busybox httpd without a HEALTHCHECK,
 * readiness by wakegate's HTTP probe ({@code sleep: pause}, {@code health: { http: / }}).
 * <ul>
 *   <li>stop: the container stopped, one GET / through the proxy until its 200 (ColdStartBenchmark's step);</li>
 *   <li>pause: the container paused, one GET / through the proxy until its 200 (wakegate unpauses it);</li>
 *   <li>the pause floor: Engine API unpause call, then GET / polled every 1 ms until a 200.</li>
 * </ul>
 * Prints the medians and the ratio stop/pause. Off by default; run with
 * {@code mvn -o -q -B -pl proxy-server -am -Dtest=PauseWakeBenchmark -Dwakegate.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false test} ({@code -Dwakegate.bench.runs=N}, default 9).
 */
@Tag("docker")
@EnabledIfSystemProperty(named = "wakegate.bench", matches = "true")
class PauseWakeBenchmark {

    @Test
    void wakeFromPauseAgainstWakeFromStop() throws Exception {
        int runs = Integer.getInteger("wakegate.bench.runs", 9);
        try (DockerFixture docker = new DockerFixture()) {
            int port = Loopback.freePort();
            String name = docker.httpServerWithoutHealthcheck("pause-bench", port, Duration.ZERO);
            try (WakegateHarness proxy = WakegateHarness.start("""
                    workers: 1
                    automation:
                      auto_stop: false
                      startup_timeout: 30s
                    containers:
                      %s: { upstream: 127.0.0.1:%d, health: { http: / }, sleep: pause }
                    routes:
                      - { path: /, containers: [%s], upstream: %s }
                    """.formatted(name, port, name, name))) {
                Lifecycle lifecycle = proxy.server().lifecycle();
                ColdStartBenchmark.throughProxyOnce(docker, lifecycle, name, proxy.port());
                pausedThroughProxyOnce(docker, lifecycle, name, proxy.port());
                pauseFloorOnce(docker, lifecycle, name, port);
                List<Double> stop = new ArrayList<>();
                List<Double> pause = new ArrayList<>();
                List<Double> floor = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    stop.add(ColdStartBenchmark.throughProxyOnce(docker, lifecycle, name, proxy.port())[0]);
                    pause.add(pausedThroughProxyOnce(docker, lifecycle, name, proxy.port()));
                    floor.add(pauseFloorOnce(docker, lifecycle, name, port));
                }
                double s = median(stop);
                double p = median(pause);
                double f = median(floor);
                System.out.printf(Locale.ROOT, "%nwake, %d runs each, alternating (ms, one request through wakegate):%n"
                                + "  from stop : median %.1f  min %.1f  max %.1f  %s%n"
                                + "  from pause: median %.1f  min %.1f  max %.1f  %s%n"
                                + "  pause floor (unpause call + 1 ms HTTP poll): median %.1f  %s%n"
                                + "  stop/pause ratio (medians): %.1fx; pause overhead over its floor: %.1f ms%n%n",
                        runs, s, Collections.min(stop), Collections.max(stop), fmt(stop),
                        p, Collections.min(pause), Collections.max(pause), fmt(pause), f, fmt(floor), s / p, p - f);
            }
        }
    }

    /** Pauses the container by hand and waits until the proxy knows, then lets things settle. */
    private static void pauseAndSettle(DockerFixture docker, Lifecycle lifecycle, String name) throws InterruptedException {
        if (!"running".equals(docker.status(name))) {
            docker.start(name);
            docker.awaitStatus(name, "running", Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> lifecycle.container(name).state() != ContainerState.STOPPED);
        }
        docker.client().pauseContainerCmd(name).exec();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> lifecycle.container(name).state() == ContainerState.PAUSED);
        Thread.sleep(300);
    }

    /** @return ms from sending the request to the paused container to its 200 */
    private static double pausedThroughProxyOnce(DockerFixture docker, Lifecycle lifecycle, String name, int proxyPort)
            throws Exception {
        pauseAndSettle(docker, lifecycle, name);
        long t0 = System.nanoTime();
        String status = statusLine(proxyPort, 30_000);
        long t1 = System.nanoTime();
        if (!status.matches("HTTP/1\\.[01] 200")) {
            throw new IllegalStateException("wakegate answered " + status);
        }
        return (t1 - t0) / 1e6;
    }

    /** @return ms from the unpause call to the first 200 of a 1 ms poll */
    private static double pauseFloorOnce(DockerFixture docker, Lifecycle lifecycle, String name, int port) throws Exception {
        pauseAndSettle(docker, lifecycle, name);
        long t0 = System.nanoTime();
        CompletableFuture<Long> firstOk = CompletableFuture.supplyAsync(() -> pollUntilOk(port));
        docker.client().unpauseContainerCmd(name).exec();
        long ok = firstOk.get(30, TimeUnit.SECONDS);
        return (ok - t0) / 1e6;
    }
}

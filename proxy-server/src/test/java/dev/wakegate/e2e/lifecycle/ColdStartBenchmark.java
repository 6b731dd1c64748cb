package dev.wakegate.e2e.lifecycle;

import dev.wakegate.lifecycle.ContainerState;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Cold-start overhead of wakegate against the physical floor, same container, same run,
 * alternating: busybox httpd without a HEALTHCHECK (readiness by wakegate's HTTP probe, and by a
 * 1 ms HTTP poll for the floor, so like is compared with like).
 * <ul>
 *   <li>floor: Engine API start call, then GET / polled every 1 ms until a 200;</li>
 *   <li>wakegate: one GET / through the proxy to the stopped container, until its 200.</li>
 * </ul>
 * Prints both medians and their difference. Off by default; run with
 * {@code mvn -o -q -B -pl proxy-server -am -Dtest=ColdStartBenchmark -Dwakegate.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false test} ({@code -Dwakegate.bench.runs=N}, default 9).
 * {@link PauseWakeBenchmark} reuses its steps to set a wake from pause beside this.
 */
@Tag("docker")
@EnabledIfSystemProperty(named = "wakegate.bench", matches = "true")
class ColdStartBenchmark {
    private static final byte[] GET = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void coldStartThroughWakegateAgainstTheFloor() throws Exception {
        int runs = Integer.getInteger("wakegate.bench.runs", 9);
        try (DockerFixture docker = new DockerFixture()) {
            int port = Loopback.freePort();
            String name = docker.httpServerWithoutHealthcheck("coldstart-bench", port, Duration.ZERO);
            try (WakegateHarness proxy = WakegateHarness.start("""
                    workers: 1
                    automation:
                      auto_stop: false
                      startup_timeout: 30s
                    containers:
                      %s: { upstream: 127.0.0.1:%d, health: { http: / } }
                    routes:
                      - { path: /, containers: [%s], upstream: %s }
                    """.formatted(name, port, name, name))) {
                Lifecycle lifecycle = proxy.server().lifecycle();
                // warm-up of both paths: page cache, first-start costs, JIT of the proxy
                floorOnce(docker, lifecycle, name, port);
                throughProxyOnce(docker, lifecycle, name, proxy.port());
                List<Double> floor = new ArrayList<>();
                List<Double> wakegate = new ArrayList<>();
                List<Double> floorAfterStart = new ArrayList<>();
                List<Double> wakegateAfterStart = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    double[] fl = floorOnce(docker, lifecycle, name, port);
                    floor.add(fl[0]);
                    floorAfterStart.add(fl[1]);
                    double[] wg = throughProxyOnce(docker, lifecycle, name, proxy.port());
                    wakegate.add(wg[0]);
                    wakegateAfterStart.add(wg[1]);
                }
                double f = median(floor);
                double w = median(wakegate);
                System.out.printf(Locale.ROOT, "%ncold start, %d runs each, alternating (ms):%n"
                                + "  floor    (start call + 1 ms HTTP poll): median %.1f  min %.1f  max %.1f  %s%n"
                                + "  wakegate (one request, stopped container): median %.1f  min %.1f  max %.1f  %s%n"
                                + "  overhead (median difference): %.1f ms%n%n",
                        runs, f, Collections.min(floor), Collections.max(floor), fmt(floor),
                        w, Collections.min(wakegate), Collections.max(wakegate), fmt(wakegate), w - f);
                double fa = median(floorAfterStart);
                double wa = median(wakegateAfterStart);
                System.out.printf(Locale.ROOT, "from the engine's State.StartedAt to the first 200 (engine start cost left out):%n"
                                + "  floor %.1f %s%n  wakegate %.1f %s%n  overhead (median difference): %.1f ms%n%n",
                        fa, fmt(floorAfterStart), wa, fmt(wakegateAfterStart), wa - fa);
            }
        }
    }

    /** Stops the container and waits until the proxy knows it stopped, then lets things settle. */
    static void stopAndSettle(DockerFixture docker, Lifecycle lifecycle, String name) throws InterruptedException {
        docker.stop(name);
        docker.awaitStopped(name, Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> lifecycle.container(name).state() == ContainerState.STOPPED);
        Thread.sleep(300);
    }

    /** @return {ms from the start call to the first 200, ms from State.StartedAt to the first 200} */
    static double[] floorOnce(DockerFixture docker, Lifecycle lifecycle, String name, int port) throws Exception {
        stopAndSettle(docker, lifecycle, name);
        long t0 = System.nanoTime();
        CompletableFuture<Long> firstOk = CompletableFuture.supplyAsync(() -> pollUntilOk(port));
        docker.client().startContainerCmd(name).exec();
        long ok = firstOk.get(30, TimeUnit.SECONDS);
        Instant okAt = Instant.now().minusNanos(System.nanoTime() - ok);
        return new double[] {(ok - t0) / 1e6, sinceStarted(docker, name, okAt)};
    }

    static double sinceStarted(DockerFixture docker, String name, Instant at) {
        Instant started = Instant.parse(docker.inspect(name).getState().getStartedAt());
        return Duration.between(started, at).toNanos() / 1e6;
    }

    /** @return {ms from sending the request to its 200, ms from State.StartedAt to that 200} */
    static double[] throughProxyOnce(DockerFixture docker, Lifecycle lifecycle, String name, int proxyPort)
            throws Exception {
        stopAndSettle(docker, lifecycle, name);
        long t0 = System.nanoTime();
        String status = statusLine(proxyPort, 30_000);
        long t1 = System.nanoTime();
        if (!status.matches("HTTP/1\\.[01] 200")) {
            throw new IllegalStateException("wakegate answered " + status);
        }
        Instant okAt = Instant.now().minusNanos(System.nanoTime() - t1);
        return new double[] {(t1 - t0) / 1e6, sinceStarted(docker, name, okAt)};
    }

    /** The first 12 bytes of the response to GET / on 127.0.0.1:port. */
    static String statusLine(int port, int readTimeoutMillis) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
            s.setSoTimeout(readTimeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(GET);
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        }
    }

    static long pollUntilOk(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (statusLine(port, 1000).matches("HTTP/1\\.[01] 200")) {
                    return System.nanoTime();
                }
            } catch (IOException notYet) {
                // refused or cut: not up yet
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no HTTP 200 on 127.0.0.1:" + port + " within 30s");
    }

    static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static String fmt(List<Double> xs) {
        StringBuilder sb = new StringBuilder("[");
        for (double x : xs) {
            sb.append(sb.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.0f", x));
        }
        return sb.append(']').toString();
    }
}

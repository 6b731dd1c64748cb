package dev.wakegate.docker;

import dev.wakegate.testing.DockerFixture;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The floor under any cold start through the proxy: time from the Engine API start call for a
 * stopped busybox httpd container (host network, 127.0.0.1 port, no startup delay, docker-init)
 * to its first HTTP 200, polled every 1 ms. Median of 7 runs (after one warm-up).
 *
 * <p>Off by default; run with
 * {@code mvn -o -q -B -pl proxy-server -am -Dtest=ColdStartFloor -Dwakegate.coldstart=true
 * -Dsurefire.failIfNoSpecifiedTests=false test} or as a plain main on the test classpath.
 */
@Tag("docker")
@EnabledIfSystemProperty(named = "wakegate.coldstart", matches = "true")
class ColdStartFloor {

    private static final int RUNS = 7;

    @Test
    void measure() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : RUNS;
        try (DockerFixture docker = new DockerFixture()) {
            int port = DockerFixture.freePort();
            String name = docker.httpServerWithoutHealthcheck("coldstart", port, Duration.ZERO);
            measureOnce(docker, name, port); // warm-up: page cache, first-start costs
            List<Double> toHttp = new ArrayList<>();
            List<Double> toApi = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                double[] r = measureOnce(docker, name, port);
                toHttp.add(r[0]);
                toApi.add(r[1]);
            }
            System.out.printf(Locale.ROOT, "cold-start floor (engine start call -> first HTTP 200), %d runs: "
                            + "median %.1f ms, min %.1f, max %.1f; start call returned after median %.1f ms; runs %s%n",
                    runs, median(toHttp), Collections.min(toHttp), Collections.max(toHttp), median(toApi), toHttp);
        }
    }

    /** @return {ms to first 200, ms until the start call returned} */
    private static double[] measureOnce(DockerFixture docker, String name, int port) throws Exception {
        docker.stop(name);
        docker.awaitStopped(name, Duration.ofSeconds(20));
        Thread.sleep(200);
        long t0 = System.nanoTime();
        CompletableFuture<Long> firstOk = CompletableFuture.supplyAsync(() -> pollUntilOk(port));
        docker.client().startContainerCmd(name).exec();
        long apiReturned = System.nanoTime();
        long ok = firstOk.get(30, TimeUnit.SECONDS);
        return new double[] {(ok - t0) / 1e6, (apiReturned - t0) / 1e6};
    }

    private static long pollUntilOk(int port) {
        byte[] request = "GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
                s.setSoTimeout(1000);
                OutputStream out = s.getOutputStream();
                out.write(request);
                out.flush();
                InputStream in = s.getInputStream();
                byte[] head = in.readNBytes(12);
                if (new String(head, StandardCharsets.US_ASCII).matches("HTTP/1\\.[01] 200")) {
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

    private static double median(List<Double> xs) {
        List<Double> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

package dev.wakegate.server;

import dev.wakegate.admin.ConfigReload.Outcome;
import dev.wakegate.admin.ConfigReload.Report;
import dev.wakegate.config.ConfigLoader;
import dev.wakegate.testing.HttpTestServer;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.RawHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 200 reloads under load, alternating two valid files that differ in routes, timeouts, limits, a
 * container and the access log: every request the clients send is answered 200 (none fails, none
 * waits), every reload applies, and nothing grows with the reloads (threads, meters, open
 * connections; ByteBufs by the leak detector the suite runs with).
 */
class ReloadSoakTest {
    private static final int RELOADS = 200;
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;
    private final HttpTestServer up = new HttpTestServer("up");
    private final int port = Loopback.freePort();
    private WakegateServer server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        up.close();
    }

    private String file(boolean first) {
        return """
                listen: 127.0.0.1:%d
                docker: { host: "unix:///tmp/wakegate-no-engine-here.sock", labels: false }
                containers:
                  %s: {}
                routes:
                  - { path: /load, upstream: 127.0.0.1:%d }
                  - { path: %s, upstream: 127.0.0.1:%d }
                timeouts: { header_read: %s, upstream_response: %s }
                limits: { max_body: %s }
                %s
                """.formatted(port, first ? "one" : "two", up.port(), first ? "/first" : "/second", up.port(),
                first ? "10s" : "11s", first ? "30s" : "31s", first ? "1MiB" : "2MiB",
                first ? "access_log: { path: access.log, format: json }" : "");
    }

    @Test
    void twoHundredReloadsUnderLoadFailNoRequestAndLeakNothing() throws Exception {
        Path config = dir.resolve("wakegate.yml");
        Files.writeString(config, file(true));
        server = WakegateServer.start(ConfigLoader.load(config, Map.of()));

        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong answered = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        for (int i = 0; i < CLIENTS; i++) {
            Thread t = new Thread(() -> {
                try (RawHttpClient c = new RawHttpClient(new InetSocketAddress("127.0.0.1", port))) {
                    while (running.get()) {
                        int status = c.get("/load/x").status();
                        answered.incrementAndGet();
                        if (status != 200) {
                            failures.add("status " + status);
                        }
                    }
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
            }, "soak-client-" + i);
            t.setDaemon(true);
            t.start();
            clients.add(t);
        }
        await().until(() -> answered.get() > 100);
        int threadsBefore = Thread.activeCount();
        int metersBefore = server.metrics().registry().getMeters().size();

        long start = System.nanoTime();
        for (int i = 1; i <= RELOADS; i++) {
            Files.writeString(config, file(i % 2 == 0));
            Report r = server.reload().get(30, TimeUnit.SECONDS);
            assertThat(r.outcome()).as("reload %d: %s", i, r).isEqualTo(Outcome.APPLIED);
            assertThat(r.changes()).as("reload %d", i).isNotEmpty();
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long answeredDuring = answered.get();
        running.set(false);
        for (Thread t : clients) {
            t.join(10_000);
        }

        assertThat(failures).as("requests that failed during %d reloads", RELOADS).isEmpty();
        assertThat(answeredDuring).isGreaterThan(RELOADS);
        assertThat(server.lifecycle().isManaged("one")).isTrue(); // reload 200 is the first file again
        assertThat(server.lifecycle().isManaged("two")).isFalse();
        assertThat(Thread.activeCount()).as("threads after the reloads").isLessThanOrEqualTo(threadsBefore + 2);
        assertThat(server.metrics().registry().getMeters().size()).as("meters").isLessThanOrEqualTo(metersBefore + 2);
        System.out.printf("reload soak: %d reloads in %d ms (%.1f ms each) under %d keep-alive clients, %d requests, 0 failed%n",
                RELOADS, tookMillis, tookMillis / (double) RELOADS, CLIENTS, answeredDuring);
    }
}

package dev.wakegate.e2e.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wakegate.config.LabelConfig;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.SwarmFixture;
import dev.wakegate.testing.WakegateHarness;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Swarm services woken and put to sleep on a real one-node swarm (docs/swarm.md): a request scales
 * a service at 0 up to its replicas and is answered once every replica runs; idleness scales it
 * back to 0, remembering the count, but never while a request to it is open; many concurrent
 * requests through two proxies sharing one Redis scale it up once; a service configured by its own labels alone is discovered, woken, put
 * to sleep and forgotten when removed.
 *
 * <p>The swarm is made for this class and left again after it (unless the engine was a manager
 * already), with every service it made removed ({@link SwarmFixture}).
 */
@Tag("docker")
@Tag("redis")
@Tag("swarm")
class SwarmE2ETest {
    /** Database 12 of the machine's Redis belongs to this class; flushed before each use. */
    private static final String REDIS_URL = "redis://127.0.0.1:6379/12";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SwarmFixture swarm;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void joinSwarm() {
        swarm = new SwarmFixture();
    }

    @AfterAll
    static void leaveSwarm() {
        if (swarm != null) {
            swarm.close();
        }
    }

    @AfterEach
    void closeProxies() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private WakegateHarness proxy(String yaml, Map<String, String> env) {
        WakegateHarness p = WakegateHarness.start(yaml, env);
        open.add(p);
        return p;
    }

    private static String yaml(String service, int port, String options) {
        return """
                automation:
                  idle_check_interval: 300ms
                  low_idle_timeout: 2s
                containers:
                  %s: { kind: service, priority: low, upstream: 127.0.0.1:%d, health: { http: / }%s }
                routes:
                  - { path: /svc, containers: [%s], upstream: %s }
                """.formatted(service, port, options.isEmpty() ? "" : ", " + options, service, service);
    }

    @Test
    void idleServiceIsScaledToZeroAndARequestWakesItToTheCountItHad() {
        int port = freePortPair();
        String svc = swarm.service("swarm-idle").replicas(2)
                .shell(SwarmFixture.httpServerScript(port, "awake", "/svc")).create();
        WakegateHarness proxy = proxy(yaml(svc, port, ""), Map.of());
        await("both replicas running").atMost(Duration.ofSeconds(20)).until(() -> swarm.runningTasks(svc) == 2);

        HttpResponse<String> warm = proxy.get("/svc/");
        assertThat(warm.statusCode()).as(warm.body()).isEqualTo(200);
        assertThat(warm.body()).isEqualTo("awake\n");

        // low priority: idle after 2s, checked every 300ms
        await("scaled to 0 when idle").atMost(Duration.ofSeconds(15)).until(() -> swarm.replicas(svc) == 0);
        assertThat(swarm.label(svc, LabelConfig.LAST_REPLICAS)).isEqualTo("2");
        assertThat(swarm.runningTasks(svc)).as("tasks gone once the stop returned").isZero();
        await("proxy sees it asleep").atMost(Duration.ofSeconds(5))
                .until(() -> "stopped".equals(state(proxy, svc)));

        HttpResponse<String> woken = proxy.get("/svc/");
        assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
        assertThat(woken.body()).isEqualTo("awake\n");
        assertThat(swarm.replicas(svc)).as("woken to the count it had").isEqualTo(2);
        assertThat(swarm.runningTasks(svc)).as("every replica runs when the answer comes").isEqualTo(2);
    }

    @Test
    void aWokenServiceIsReadyOnlyOnceEveryReplicaRunsNotWhenTheFirstAnswers() {
        int port = freePortPair();
        // Both replicas answer at once, but replica 2's health check passes only after 2s, and Swarm
        // counts a task as running once it is healthy.
        String svc = swarm.service("swarm-replicas").replicas(0)
                .shell("(if [ \"$SLOT\" = 2 ]; then sleep 2; fi; touch /tmp/ready) & "
                        + SwarmFixture.httpServerScript(port, "both", "/svc"))
                .option("--health-cmd", "test -f /tmp/ready", "--health-interval", "100ms",
                        "--health-retries", "1", "--health-timeout", "1s", "--health-start-period", "10s")
                .create();
        WakegateHarness proxy = proxy(yaml(svc, port, "replicas: 2"), Map.of());

        long t0 = System.nanoTime();
        HttpResponse<String> woken = proxy.get("/svc/");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
        assertThat(swarm.runningTasks(svc)).as("replicas running when the answer came").isEqualTo(2);
        assertThat(millis).as("answered after replica 2 became healthy").isGreaterThanOrEqualTo(2000);
    }

    @Test
    void concurrentRequestsThroughTwoProxiesOnOneRedisScaleTheServiceUpOnce() throws Exception {
        flushRedis();
        int port = Loopback.freePort();
        String svc = swarm.service("swarm-once").replicas(0)
                .shell(SwarmFixture.httpServerScript(port, "once", "/svc")).create();
        String yaml = yaml(svc, port, "replicas: 1");
        Map<String, String> env = Map.of("REDIS_URL", REDIS_URL);
        WakegateHarness a = proxy(yaml, env);
        WakegateHarness b = proxy(yaml, env);
        assertThat(a.server().lifecycle().instanceId()).isNotEqualTo(b.server().lifecycle().instanceId());

        Instant before = Instant.now();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            for (WakegateHarness p : List.of(a, b)) {
                responses.add(p.client().sendAsync(HttpRequest.newBuilder(p.uri("/svc/"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).join();

        assertThat(responses).hasSize(40).allSatisfy(r -> {
            assertThat(r.join().statusCode()).as(r.join().body()).isEqualTo(200);
            assertThat(r.join().body()).isEqualTo("once\n");
        });
        assertThat(swarm.replicas(svc)).isEqualTo(1);
        assertThat(swarm.updates(svc, before)).as("service updates (scale-ups) on the engine").isEqualTo(1);
    }

    @Test
    void aServiceWithARequestInFlightIsNotScaledToZeroUntilTheRequestEnds() {
        int port = Loopback.freePort();
        // busybox httpd: "ok" at /svc/, and /cgi-bin/slow answering after 5s
        String script = "mkdir -p /www/cgi-bin /www/svc && echo ok > /www/svc/index.html && echo ok > /www/index.html"
                + " && printf '#!/bin/sh\\nsleep 5\\nprintf \"Content-Type: text/plain\\\\r\\\\n\\\\r\\\\nslow\\\\n\"\\n'"
                + " > /www/cgi-bin/slow && chmod +x /www/cgi-bin/slow"
                + " && exec httpd -f -p 127.0.0.1:" + port + " -h /www";
        String svc = swarm.service("swarm-busy").replicas(0).shell(script).create();
        WakegateHarness proxy = proxy("""
                automation:
                  idle_check_interval: 300ms
                  low_idle_timeout: 2s
                containers:
                  %s: { kind: service, replicas: 1, priority: low, upstream: 127.0.0.1:%d, health: { http: / } }
                routes:
                  - { path: /svc, containers: [%s], upstream: %s }
                  - { path: /cgi-bin, containers: [%s], upstream: %s }
                """.formatted(svc, port, svc, svc, svc, svc), Map.of());
        assertThat(proxy.get("/svc/").statusCode()).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> slow = proxy.client().sendAsync(HttpRequest.newBuilder(
                proxy.uri("/cgi-bin/slow")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        // idle timeout 2s, checked every 300ms: without the request in flight it would be at 0 by now
        await("kept awake while the request is open").during(Duration.ofMillis(3500)).atMost(Duration.ofMillis(4500))
                .until(() -> swarm.replicas(svc) == 1);
        HttpResponse<String> answered = slow.join();
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo("slow\n");

        await("scaled to 0 once idle").atMost(Duration.ofSeconds(10)).until(() -> swarm.replicas(svc) == 0);
    }

    @Test
    void serviceConfiguredByItsOwnLabelsIsDiscoveredWokenSleptAndForgottenWhenRemoved() {
        WakegateHarness proxy = proxy("""
                automation:
                  idle_check_interval: 300ms
                """, Map.of());
        int port = Loopback.freePort();
        String route = "/svc-lbl";
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LabelConfig.ENABLE, "true");
        labels.put(LabelConfig.ROUTE, route);
        labels.put(LabelConfig.UPSTREAM, "127.0.0.1:" + port);
        labels.put(LabelConfig.HEALTH, "/");
        labels.put(LabelConfig.PRIORITY, "low");
        labels.put(LabelConfig.IDLE_TIMEOUT, "2s");
        labels.put(LabelConfig.REPLICAS, "1");
        String svc = swarm.service("swarm-labels").replicas(0).labels(labels)
                .shell(SwarmFixture.httpServerScript(port, "labelled", route)).create();

        await("service managed from its labels").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> managed(proxy, svc) != null);
        assertThat(swarm.replicas(svc)).as("discovered, not woken").isZero();

        HttpResponse<String> woken = proxy.get(route + "/");
        assertThat(woken.statusCode()).as(woken.body()).isEqualTo(200);
        assertThat(woken.body()).isEqualTo("labelled\n");
        assertThat(swarm.replicas(svc)).isEqualTo(1);

        await("scaled to 0 when idle").atMost(Duration.ofSeconds(15)).until(() -> swarm.replicas(svc) == 0);
        await("proxy sees it asleep").atMost(Duration.ofSeconds(5))
                .until(() -> "stopped".equals(state(proxy, svc)));
        assertThat(swarm.runningTasks(svc)).isZero();

        swarm.remove(svc);
        await("route removed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> proxy.get(route + "/").statusCode() == 404);
        await("unregistered").atMost(Duration.ofSeconds(5)).until(() -> managed(proxy, svc) == null);
    }

    /** A free port whose next one is free too: replica N listens on port + N - 1. */
    private static int freePortPair() {
        while (true) {
            int port = Loopback.freePort();
            try (java.net.ServerSocket next = new java.net.ServerSocket()) {
                next.bind(new java.net.InetSocketAddress("127.0.0.1", port + 1));
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
    }

    private static void flushRedis() {
        RedisClient client = RedisClient.create(REDIS_URL);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushdb();
        } finally {
            client.shutdown();
        }
    }

    private static String state(WakegateHarness proxy, String name) {
        JsonNode c = managed(proxy, name);
        return c == null ? "" : c.path("state").asText();
    }

    private static JsonNode managed(WakegateHarness proxy, String name) {
        HttpResponse<String> r = proxy.get("/health/containers");
        try {
            JsonNode c = JSON.readTree(r.body()).path("containers").get(name);
            return c == null || c.isNull() ? null : c;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }
}

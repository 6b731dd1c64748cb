package dev.wakegate.e2e.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wakegate.state.redis.RedisServerProcess;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.Loopback;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code container_states} hash and shared last access through a real proxy, a real engine
 * and a real Redis: what traffic writes, what a restarted proxy reads back, and a Redis that dies
 * under traffic and comes back empty.
 */
@Tag("docker")
@Tag("redis")
class RedisStateE2ETest {
    private static final String ISO_SECONDS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    private final DockerFixture docker = new DockerFixture();
    private final Closer open = new Closer();

    @AfterEach
    void cleanUp() throws Exception {
        open.close();
        docker.close();
    }

    @Test
    void hashHoldsEveryManagedContainerAfterTrafficAndARestartedProxyKeepsLastAccess() {
        Ops.RedisView redis = open.track(Ops.freshRedis());
        int port = Loopback.freePort();
        String web = docker.httpServer("state-web", port, Duration.ZERO);
        String db = docker.sleeper("state-db");
        String yaml = """
                workers: 1
                timeouts: { drain: 1s }
                containers:
                  %s: { priority: normal, upstream: 127.0.0.1:%d }
                  %s: { priority: critical }
                routes:
                  - { path: /, containers: [%s], upstream: %s }
                """.formatted(web, port, db, web, web);
        Map<String, String> env = Map.of("REDIS_URL", Ops.REDIS_URL);

        WakegateHarness first = open.track(WakegateHarness.start(yaml, env));
        assertThat(first.get("/index.html").statusCode()).isEqualTo(200);

        await("both containers in container_states").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, JsonNode> states = redis.containerStates();
            assertThat(states).containsKeys(web, db);
            assertThat(states.get(web).path("state").asText()).isEqualTo("running");
            assertThat(states.get(web).path("last_access").asText()).matches(ISO_SECONDS);
        });
        Map<String, JsonNode> states = redis.containerStates();
        JsonNode webRecord = states.get(web);
        assertThat(webRecord.path("priority").asText()).isEqualTo("normal");
        assertThat(webRecord.path("last_started").asText()).matches(ISO_SECONDS);
        assertThat(webRecord.has("last_stopped")).isTrue();
        assertThat(webRecord.path("updated_by").asText()).isEqualTo(first.server().lifecycle().instanceId());
        JsonNode dbRecord = states.get(db);
        assertThat(dbRecord.path("state").asText()).isEqualTo("stopped");
        assertThat(dbRecord.path("priority").asText()).isEqualTo("critical");
        assertThat(dbRecord.get("last_access").isNull()).isTrue();

        // Stored on Redis' clock (TIME minus the access's age): the same instant within the flush's
        // round trip, since Redis runs on this host.
        Instant lastAccess = first.server().lifecycle().container(web).lastAccess();
        await("last access flushed").atMost(Duration.ofSeconds(5)).until(() -> {
            String stored = redis.sync().hget("wakegate:last_access", web);
            return stored != null && Math.abs(Long.parseLong(stored) - lastAccess.toEpochMilli()) < 100;
        });
        open.forget(first);
        first.close();

        WakegateHarness second = open.track(WakegateHarness.start(yaml, env));
        Instant restored = second.server().lifecycle().container(web).lastAccess();
        assertThat(Duration.between(lastAccess, restored).abs()).isLessThan(Duration.ofMillis(200));
        Instant shown = Instant.parse(Ops.json(second.get("/health/containers")).path("containers").path(web)
                .path("last_access").asText());
        Instant recorded = Instant.parse(redis.containerStates().get(web).path("last_access").asText());
        assertThat(Duration.between(shown, recorded).abs()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(Duration.between(lastAccess, recorded).abs()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(second.server().lifecycle().instanceId()).isNotEqualTo(webRecord.path("updated_by").asText());
    }

    @Test
    void warmRequestsSucceedWhileRedisDiesAndTheStateIsWrittenBackWhenItReturns() throws Exception {
        RedisServerProcess redisServer = open.track(new RedisServerProcess(Loopback.freePort()).start());
        int port = Loopback.freePort();
        String web = docker.httpServer("outage-web", port, Duration.ZERO);
        WakegateHarness proxy = open.track(WakegateHarness.start(Ops.yaml(web, port, "priority: normal", "auto_stop: false"),
                Map.of("REDIS_URL", redisServer.url())));
        Ops.RedisView redis = open.track(new Ops.RedisView(redisServer.url()));
        assertThat(proxy.get("/index.html").statusCode()).isEqualTo(200);
        await("state written").atMost(Duration.ofSeconds(10)).until(() -> redis.containerStates().containsKey(web));
        redis.close();
        open.forget(redis);

        // A bounded loop of warm requests; Redis is killed a third of the way through.
        int total = 150;
        List<Integer> statuses = new ArrayList<>();
        long slowestMillis = 0;
        for (int i = 0; i < total; i++) {
            if (i == total / 3) {
                redisServer.kill();
            }
            long t0 = System.nanoTime();
            HttpResponse<String> r = proxy.get("/index.html");
            slowestMillis = Math.max(slowestMillis, (System.nanoTime() - t0) / 1_000_000);
            statuses.add(r.statusCode());
        }
        assertThat(statuses).hasSize(total).containsOnly(200);
        assertThat(slowestMillis).as("slowest warm request while Redis died (ms)").isLessThan(1_000);

        JsonNode automation = Ops.json(proxy.get("/health/automation"));
        assertThat(automation.path("status").asText()).isEqualTo("degraded");
        assertThat(automation.path("state_store").path("available").asBoolean()).isFalse();

        redisServer.start(); // same port, empty: no persistence
        Ops.RedisView back = open.track(new Ops.RedisView(redisServer.url()));
        await("state written back after Redis returned").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(back.containerStates()).containsKey(web);
            assertThat(back.containerStates().get(web).path("state").asText()).isEqualTo("running");
            assertThat(back.sync().hget("wakegate:last_access", web)).isNotNull();
        });
        await("healthy again").atMost(Duration.ofSeconds(10)).until(() ->
                "healthy".equals(Ops.json(proxy.get("/health/automation")).path("status").asText()));

        // A quick bounce with no traffic at all must be written back too.
        back.close();
        open.forget(back);
        redisServer.kill();
        await("store seen down").atMost(Duration.ofSeconds(10)).until(() ->
                !Ops.json(proxy.get("/health/automation")).path("state_store").path("available").asBoolean());
        redisServer.start();
        Ops.RedisView again = open.track(new Ops.RedisView(redisServer.url()));
        await("state written back after an idle bounce").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(again.containerStates()).containsKey(web);
            assertThat(again.sync().hget("wakegate:last_access", web)).isNotNull();
        });
    }
}

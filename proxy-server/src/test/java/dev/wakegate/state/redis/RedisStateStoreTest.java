package dev.wakegate.state.redis;

import dev.wakegate.state.ContainerRecord;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
 * RedisStateStore against the machine's Redis. Database 13 keeps these keys (including the
 * literal {@code container_states}) away from anything else; each test starts from FLUSHDB.
 */
@Tag("redis")
class RedisStateStoreTest {

    private static final String URL = "redis://127.0.0.1:6379/13";
    private static final Instant T0 = Instant.parse("2024-01-15T10:30:00Z");

    private RedisClient plainClient;
    private StatefulRedisConnection<String, String> plain;
    private RedisCommands<String, String> redis;
    private final List<RedisStateStore> stores = new ArrayList<>();

    @BeforeEach
    void flushTestDatabase() {
        plainClient = RedisClient.create(URL);
        plain = plainClient.connect();
        redis = plain.sync();
        redis.flushdb();
    }

    @AfterEach
    void closeAll() {
        stores.forEach(RedisStateStore::close);
        redis.flushdb();
        plain.close();
        plainClient.shutdown();
    }

    private RedisStateStore store() {
        RedisStateStore store = RedisStateStore.connect(URL);
        stores.add(store);
        await().atMost(Duration.ofSeconds(5)).until(store::isAvailable);
        return store;
    }

    private static <T> T join(CompletableFuture<T> future) throws Exception {
        return future.get(5, TimeUnit.SECONDS);
    }

    @Test
    void recordsRoundTripAsOneSeedJsonFieldPerContainer() throws Exception {
        RedisStateStore store = store();
        ContainerRecord app = new ContainerRecord("running", "critical", T0, T0.minusSeconds(600), null, "proxy-a");
        ContainerRecord grafana = new ContainerRecord("stopped", "normal", T0.minusSeconds(4500), null, T0.minusSeconds(60), "proxy-a");

        join(store.saveRecords(Map.of("app", app, "grafana", grafana)));

        assertThat(join(store.loadRecords())).isEqualTo(Map.of("app", app, "grafana", grafana));
        assertThat(redis.hgetall("container_states")).isEqualTo(Map.of(
                "app", "{\"state\":\"running\",\"priority\":\"critical\",\"last_access\":\"2024-01-15T10:30:00Z\","
                        + "\"last_started\":\"2024-01-15T10:20:00Z\",\"last_stopped\":null,\"updated_by\":\"proxy-a\"}",
                "grafana", "{\"state\":\"stopped\",\"priority\":\"normal\",\"last_access\":\"2024-01-15T09:15:00Z\","
                        + "\"last_started\":null,\"last_stopped\":\"2024-01-15T10:29:00Z\",\"updated_by\":\"proxy-a\"}"));
        assertThat(store.describe()).isEqualTo("redis://127.0.0.1:6379/13");
    }

    @Test
    void lastAccessIsMaxMergedAcrossTwoInstancesAndMirroredIntoRecords() throws Exception {
        RedisStateStore a = store();
        RedisStateStore b = store();
        join(a.saveRecords(Map.of("app", new ContainerRecord("running", "normal", T0, null, null, "a"))));

        join(a.recordAccess(Map.of("app", T0.plusSeconds(60), "db", T0)));
        join(b.recordAccess(Map.of("app", T0.plusSeconds(10), "db", T0.plusMillis(5_500))));

        Map<String, Instant> expected = Map.of("app", T0.plusSeconds(60), "db", T0.plusMillis(5_500));
        assertThat(join(a.loadAccess())).isEqualTo(expected);
        assertThat(join(b.loadAccess())).isEqualTo(expected);
        assertThat(redis.hget("wakegate:last_access", "app")).isEqualTo(Long.toString(T0.plusSeconds(60).toEpochMilli()));
        assertThat(redis.hget("container_states", "app")).contains("\"last_access\":\"2024-01-15T10:31:00Z\"");
        assertThat(redis.hexists("container_states", "db")).isFalse();

        // b writes the record from a view that predates a's access: last access must not go back
        join(b.saveRecords(Map.of("app", new ContainerRecord("stopping", "normal", T0.plusSeconds(10), null, null, "b"))));
        ContainerRecord saved = join(a.loadRecords()).get("app");
        assertThat(saved.state()).isEqualTo("stopping");
        assertThat(saved.lastAccess()).isEqualTo(T0.plusSeconds(60));
        assertThat(redis.hget("container_states", "app")).startsWith("{\"state\":\"stopping\",\"priority\":\"normal\",\"last_access\":\"2024-01-15T10:31:00Z\"");
    }

    @Test
    void isoDatesWrittenByTheScriptMatchJava() throws Exception {
        RedisStateStore store = store();
        List<Instant> samples = List.of(Instant.parse("1999-12-31T23:59:59.999Z"), Instant.parse("2000-02-29T12:00:00Z"),
                Instant.parse("2024-02-29T00:00:00Z"), Instant.parse("2024-03-01T00:00:01Z"), Instant.parse("2100-03-01T07:08:09Z"));
        for (Instant at : samples) {
            redis.flushdb();
            join(store.saveRecords(Map.of("c", new ContainerRecord("running", "normal", null, null, null, "t"))));
            join(store.recordAccess(Map.of("c", at)));
            assertThat(join(store.loadRecords()).get("c").lastAccess()).isEqualTo(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
    }

    @Test
    void exactlyOneOfTwoCompetingInstancesGetsEachLease() throws Exception {
        RedisStateStore a = store();
        RedisStateStore b = store();
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Boolean> byA = a.tryAcquireLease("start:c" + i, "a", Duration.ofSeconds(30));
            CompletableFuture<Boolean> byB = b.tryAcquireLease("start:c" + i, "b", Duration.ofSeconds(30));
            assertThat(join(byA) ^ join(byB)).as("lease %d taken by exactly one", i).isTrue();
        }
        assertThat(redis.keys("wakegate:lease:*")).hasSize(50);
    }

    @Test
    void leaseExpiresAfterItsTtlAndOnlyItsOwnerReleasesIt() throws Exception {
        RedisStateStore a = store();
        RedisStateStore b = store();
        assertThat(join(a.tryAcquireLease("idle-check", "a", Duration.ofMillis(300)))).isTrue();
        assertThat(redis.get("wakegate:lease:idle-check")).isEqualTo("a");
        assertThat(join(b.tryAcquireLease("idle-check", "b", Duration.ofSeconds(30)))).isFalse();

        await().atMost(Duration.ofSeconds(3)).until(() -> join(b.tryAcquireLease("idle-check", "b", Duration.ofSeconds(30))));

        join(a.releaseLease("idle-check", "a")); // a's lease expired; b's must survive
        assertThat(redis.get("wakegate:lease:idle-check")).isEqualTo("b");
        assertThat(join(a.tryAcquireLease("idle-check", "a", Duration.ofSeconds(30)))).isFalse();

        join(b.releaseLease("idle-check", "b"));
        assertThat(redis.exists("wakegate:lease:idle-check")).isZero();
        assertThat(join(a.tryAcquireLease("idle-check", "a", Duration.ofSeconds(30)))).isTrue();
    }

    @Test
    void usagePublishedByOneInstanceIsSeenByOthersUntilItStopsHeartbeating() throws Exception {
        RedisStateStore a = store();
        RedisStateStore b = store();
        join(a.publishUsage("a", Map.of("app", 2, "db", 1, "idle", 0), Duration.ofSeconds(30)));
        join(b.publishUsage("b", Map.of("app", 3), Duration.ofSeconds(30)));

        assertThat(join(b.loadUsage("b"))).isEqualTo(Map.of("app", 2, "db", 1));
        assertThat(join(a.loadUsage("a"))).isEqualTo(Map.of("app", 3));
        assertThat(join(a.loadUsage("nobody"))).isEqualTo(Map.of("app", 5, "db", 1));
        assertThat(redis.hgetall("wakegate:usage:a")).isEqualTo(Map.of("app", "2", "db", "1"));

        // a's last heartbeat, then silence
        join(a.publishUsage("a", Map.of("app", 1), Duration.ofMillis(300)));
        assertThat(redis.pttl("wakegate:usage:a")).isBetween(1L, 300L);
        await().atMost(Duration.ofSeconds(3)).until(() -> join(b.loadUsage("b")).isEmpty());
        assertThat(redis.exists("wakegate:usage:a")).isZero();
        assertThat(redis.zrange("wakegate:instances", 0, -1)).containsExactly("b");
    }
}

package dev.wakegate.state.redis;

import dev.wakegate.state.ContainerRecord;
import dev.wakegate.state.StateStore;
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
    void recordsRoundTripAsOneJsonFieldPerContainer() throws Exception {
        RedisStateStore store = store();
        // last_access comes from the shared last access, never from the record (none yet: null)
        ContainerRecord app = new ContainerRecord("running", "critical", null, T0.minusSeconds(600), null, "proxy-a");
        ContainerRecord grafana = new ContainerRecord("stopped", "normal", null, null, T0.minusSeconds(60), "proxy-a");

        join(store.saveRecords(Map.of("app", app, "grafana", grafana)));

        assertThat(join(store.loadRecords())).isEqualTo(Map.of("app", app, "grafana", grafana));
        assertThat(redis.hgetall("container_states")).isEqualTo(Map.of(
                "app", "{\"state\":\"running\",\"priority\":\"critical\",\"last_access\":null,"
                        + "\"last_started\":\"2024-01-15T10:20:00Z\",\"last_stopped\":null,\"updated_by\":\"proxy-a\"}",
                "grafana", "{\"state\":\"stopped\",\"priority\":\"normal\",\"last_access\":null,"
                        + "\"last_started\":null,\"last_stopped\":\"2024-01-15T10:29:00Z\",\"updated_by\":\"proxy-a\"}"));
        assertThat(store.describe()).isEqualTo("redis://127.0.0.1:6379/13");
    }

    @Test
    void lastAccessIsStampedByRedisClockMaxMergedAcrossInstancesAndMirroredIntoRecords() throws Exception {
        RedisStateStore a = store();
        RedisStateStore b = store();
        join(a.saveRecords(Map.of("app", new ContainerRecord("running", "normal", null, null, null, "a"))));

        join(a.recordAccess(Map.of("app", Duration.ofSeconds(1), "db", Duration.ofSeconds(60))));
        join(b.recordAccess(Map.of("app", Duration.ofSeconds(50), "db", Duration.ofSeconds(5))));

        long redisNow = redisMillis();
        Map<String, Duration> ages = join(a.loadAccessAges());
        assertThat(ages.get("app")).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
        assertThat(ages.get("db")).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(7));
        long stored = Long.parseLong(redis.hget("wakegate:last_access", "app"));
        assertThat(redisNow - stored).as("stamped with Redis' TIME minus the age").isBetween(1_000L, 3_000L);
        String iso = java.time.Instant.ofEpochMilli(stored).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        assertThat(redis.hget("container_states", "app")).contains("\"last_access\":\"" + iso + "\"");
        assertThat(redis.hexists("container_states", "db")).isFalse();

        // b writes the record from a stale view, with a last access of its own: ignored
        join(b.saveRecords(Map.of("app", new ContainerRecord("stopping", "normal", T0, null, null, "b"))));
        ContainerRecord saved = join(a.loadRecords()).get("app");
        assertThat(saved.state()).isEqualTo("stopping");
        assertThat(saved.lastAccess()).isEqualTo(java.time.Instant.parse(iso));
    }

    @Test
    void aLastAccessInTheFutureIsRefusedAndReplaced() throws Exception {
        RedisStateStore store = store();
        // An older version on a host a day fast wrote absolute epoch millis.
        redis.hset("wakegate:last_access", "app", Long.toString(redisMillis() + Duration.ofDays(1).toMillis()));
        assertThat(join(store.loadAccessAges())).doesNotContainKey("app");
        join(store.recordAccess(Map.of("app", Duration.ofSeconds(2))));
        assertThat(join(store.loadAccessAges()).get("app")).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void isoDatesWrittenByTheScriptMatchJava() throws Exception {
        RedisStateStore store = store();
        List<Instant> samples = List.of(Instant.parse("1999-12-31T23:59:59.999Z"), Instant.parse("2000-02-29T12:00:00Z"),
                Instant.parse("2024-02-29T00:00:00Z"), Instant.parse("2024-03-01T00:00:01Z"), Instant.parse("2100-03-01T07:08:09Z"));
        for (Instant at : samples) {
            redis.flushdb();
            redis.hset("wakegate:last_access", "c", Long.toString(at.toEpochMilli()));
            join(store.saveRecords(Map.of("c", new ContainerRecord("running", "normal", null, null, null, "t"))));
            Instant expected = at.isAfter(Instant.ofEpochMilli(redisMillis())) ? null
                    : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            assertThat(join(store.loadRecords()).get("c").lastAccess()).isEqualTo(expected);
        }
    }

    private long redisMillis() {
        List<String> t = redis.time();
        return Long.parseLong(t.get(0)) * 1000 + Long.parseLong(t.get(1)) / 1000;
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
    void leaseExpiresAfterItsTtlAndOnlyItsOwnerReleasesOrRenewsIt() throws Exception {
        RedisStateStore a = store();
        RedisStateStore b = store();
        assertThat(join(a.tryAcquireLease("idle-check", "a", Duration.ofMillis(300)))).isTrue();
        assertThat(redis.get("wakegate:lease:idle-check")).isEqualTo("a");
        assertThat(join(b.tryAcquireLease("idle-check", "b", Duration.ofSeconds(30)))).isFalse();
        assertThat(join(b.renewLease("idle-check", "b", Duration.ofSeconds(30)))).isFalse();

        await().atMost(Duration.ofSeconds(3)).until(() -> join(b.tryAcquireLease("idle-check", "b", Duration.ofSeconds(30))));

        join(a.releaseLease("idle-check", "a")); // a's lease expired; b's must survive
        assertThat(redis.get("wakegate:lease:idle-check")).isEqualTo("b");
        assertThat(join(a.tryAcquireLease("idle-check", "a", Duration.ofSeconds(30)))).isFalse();
        assertThat(join(a.renewLease("idle-check", "a", Duration.ofSeconds(30)))).isFalse();

        // b asking again (its reply lost, say) extends rather than fails; renew extends too
        assertThat(join(b.tryAcquireLease("idle-check", "b", Duration.ofSeconds(40)))).isTrue();
        assertThat(redis.pttl("wakegate:lease:idle-check")).isBetween(30_001L, 40_000L);
        assertThat(join(b.renewLease("idle-check", "b", Duration.ofSeconds(50)))).isTrue();
        assertThat(redis.pttl("wakegate:lease:idle-check")).isBetween(40_001L, 50_000L);

        join(b.releaseLease("idle-check", "b"));
        assertThat(redis.exists("wakegate:lease:idle-check")).isZero();
        assertThat(join(a.tryAcquireLease("idle-check", "a", Duration.ofSeconds(30)))).isTrue();
    }

    @Test
    void membersPublishUsageThatOthersSeeAndStaySilentMembersWhenItExpires() throws Exception {
        RedisStateStore a = store();
        RedisStateStore b = store();
        join(a.heartbeat("a", Map.of("app", 2, "db", 1, "idle", 0), Map.of(), Duration.ofSeconds(30)));
        join(b.heartbeat("b", Map.of("app", 3), Map.of("a/7", 0), Duration.ofSeconds(30)));

        Map<String, StateStore.Peer> seenByB = join(b.loadPeers("b"));
        assertThat(seenByB).containsOnlyKeys("a");
        assertThat(seenByB.get("a").presence()).isEqualTo(StateStore.Presence.LIVE);
        assertThat(seenByB.get("a").usage()).isEqualTo(Map.of("app", 2, "db", 1));
        assertThat(join(a.loadPeers("a")).get("b").acks()).isEqualTo(Map.of("a/7", 0));
        assertThat(join(a.loadPeers("a")).get("b").usage()).isEqualTo(Map.of("app", 3));

        // a's last heartbeat, then silence: its usage expires but it stays a member, unaccounted for
        join(a.heartbeat("a", Map.of("app", 1), Map.of(), Duration.ofMillis(300)));
        await().atMost(Duration.ofSeconds(3)).until(() -> !join(b.loadPeers("b")).get("a").live());
        StateStore.Peer silent = join(b.loadPeers("b")).get("a");
        assertThat(silent.presence()).isEqualTo(StateStore.Presence.SILENT);
        assertThat(silent.usage()).isEmpty();
        assertThat(silent.silentFor()).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        join(a.leave("a"));
        assertThat(join(b.loadPeers("b")).get("a").presence()).isEqualTo(StateStore.Presence.LEFT);
        assertThat(redis.hexists("wakegate:members", "a")).isFalse();
        join(a.heartbeat("a", Map.of(), Map.of(), Duration.ofSeconds(30)));
        assertThat(join(b.loadPeers("b")).get("a").presence()).isEqualTo(StateStore.Presence.LIVE);
    }

    @Test
    void cordonsComeBackWithHeartbeatsUntilLiftedOrExpired() throws Exception {
        RedisStateStore a = store();
        RedisStateStore b = store();
        join(a.putCordons(Map.of("app", "a/1", "db", "a/2"), "a", Duration.ofSeconds(20)));
        List<StateStore.Cordon> seen = join(b.heartbeat("b", Map.of(), Map.of(), Duration.ofSeconds(30)));
        assertThat(seen).extracting(StateStore.Cordon::container, StateStore.Cordon::id, StateStore.Cordon::owner)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("app", "a/1", "a"),
                        org.assertj.core.groups.Tuple.tuple("db", "a/2", "a"));
        assertThat(seen.get(0).remaining()).isBetween(Duration.ofSeconds(19), Duration.ofSeconds(20));

        join(a.liftCordon("app", "a/9")); // another cordon's id: stays
        join(a.liftCordon("db", "a/2"));
        assertThat(join(b.heartbeat("b", Map.of(), Map.of(), Duration.ofSeconds(30))))
                .extracting(StateStore.Cordon::container).containsExactly("app");

        join(a.putCordons(Map.of("app", "a/3"), "a", Duration.ofMillis(200)));
        await().atMost(Duration.ofSeconds(3))
                .until(() -> join(b.heartbeat("b", Map.of(), Map.of(), Duration.ofSeconds(30))).isEmpty());
        assertThat(redis.hlen("wakegate:cordons")).isZero();
    }
}

package dev.wakegate.state.redis;

import dev.wakegate.state.ContainerRecord;
import dev.wakegate.testing.Loopback;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * RedisStateStore against a redis-server of the test's own, which it kills and restarts: the store
 * must fail fast and never hang while Redis is gone, and come back by itself.
 */
@Tag("redis")
class RedisStateStoreOutageTest {

    private static final Instant T0 = Instant.parse("2024-01-15T10:30:00Z");

    private RedisServerProcess server;
    private RedisStateStore store;

    @AfterEach
    void stopAll() throws InterruptedException {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyCallFailsFastWhileRedisIsDownAndWritesSucceedAgainAfterRestart() throws Exception {
        server = new RedisServerProcess(Loopback.freePort()).start();
        store = RedisStateStore.connect(server.url());
        AtomicInteger cameBack = new AtomicInteger();
        store.onAvailable(cameBack::incrementAndGet);
        await().atMost(Duration.ofSeconds(10)).until(store::isAvailable);
        for (Supplier<CompletableFuture<?>> call : everyCall(store)) {
            call.get().get(5, TimeUnit.SECONDS); // also warms up every code path, so timings below are the store's
        }
        int connectsBeforeOutage = cameBack.get();

        server.kill();

        for (Supplier<CompletableFuture<?>> call : everyCall(store)) {
            assertFailsWithin(call, Duration.ofMillis(1_500));
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> !store.isAvailable());
        for (Supplier<CompletableFuture<?>> call : everyCall(store)) {
            assertFailsWithin(call, Duration.ofMillis(1_500));
        }

        server.start(); // same port; its script cache is empty, so EVALSHA falls back to EVAL
        await().atMost(Duration.ofSeconds(15)).until(store::isAvailable);
        assertThat(cameBack.get()).isGreaterThan(connectsBeforeOutage);
        store.recordAccess(Map.of("app", Duration.ofSeconds(1))).get(5, TimeUnit.SECONDS);
        assertThat(store.loadAccessAges().get(5, TimeUnit.SECONDS).get("app"))
                .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(3));
    }

    @Test
    void storeCreatedWhileRedisIsDownConnectsWhenRedisComesUp() throws Exception {
        server = new RedisServerProcess(Loopback.freePort());
        RedisStateStore.connect(server.url()).close(); // class loading and native transport set-up are not what we time
        long before = System.nanoTime();
        store = RedisStateStore.connect(server.url());
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(1));
        AtomicInteger cameBack = new AtomicInteger();
        store.onAvailable(cameBack::incrementAndGet);

        assertThat(store.isAvailable()).isFalse();
        assertFailsWithin(() -> store.saveRecords(Map.of("app", record())), Duration.ofMillis(1_500));

        server.start();
        await().atMost(Duration.ofSeconds(15)).until(store::isAvailable);
        assertThat(cameBack.get()).isEqualTo(1);
        store.saveRecords(Map.of("app", record())).get(5, TimeUnit.SECONDS);
        assertThat(store.loadRecords().get(5, TimeUnit.SECONDS)).containsEntry("app", record());
    }

    @Test
    void recordAccessOfAHundredContainersIsOneRoundTrip() throws Exception {
        server = new RedisServerProcess(Loopback.freePort()).start();
        store = RedisStateStore.connect(server.url());
        await().atMost(Duration.ofSeconds(10)).until(store::isAvailable);
        Map<String, Duration> batch = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            batch.put("c" + i, Duration.ofSeconds(i));
        }
        store.recordAccess(Map.of("warm-up", Duration.ZERO)).get(5, TimeUnit.SECONDS); // loads the script once

        RedisClient plainClient = RedisClient.create(server.url());
        try (StatefulRedisConnection<String, String> plain = plainClient.connect()) {
            long before = scriptCalls(plain);
            store.recordAccess(batch).get(5, TimeUnit.SECONDS);
            assertThat(scriptCalls(plain) - before).isEqualTo(1);
            assertThat(plain.sync().hlen("wakegate:last_access")).isEqualTo(101);
        } finally {
            plainClient.shutdown();
        }
    }

    private static long scriptCalls(StatefulRedisConnection<String, String> plain) {
        long calls = 0;
        for (String line : plain.sync().info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
                calls += Long.parseLong(line.replaceAll("^cmdstat_\\w+:calls=(\\d+),.*", "$1"));
            }
        }
        return calls;
    }

    private static List<Supplier<CompletableFuture<?>>> everyCall(RedisStateStore store) {
        return List.of(
                store::loadRecords,
                () -> store.saveRecords(Map.of("app", record())),
                () -> store.recordAccess(Map.of("app", Duration.ZERO)),
                store::loadAccessAges,
                () -> store.tryAcquireLease("start:app", "a", Duration.ofSeconds(5)),
                () -> store.renewLease("start:app", "a", Duration.ofSeconds(5)),
                () -> store.releaseLease("start:app", "a"),
                () -> store.heartbeat("a", Map.of("app", 1), Map.of(), Duration.ofSeconds(5)),
                () -> store.loadPeers("a"),
                () -> store.leave("a"),
                () -> store.putCordons(Map.of("app", "a/1"), "a", Duration.ofSeconds(5)),
                () -> store.liftCordon("app", "a/1"));
    }

    private static void assertFailsWithin(Supplier<CompletableFuture<?>> call, Duration limit) {
        long start = System.nanoTime();
        CompletableFuture<?> future = call.get();
        assertThatThrownBy(() -> future.get(limit.toMillis() + 1_000, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(limit);
    }

    private static ContainerRecord record() {
        return new ContainerRecord("running", "normal", T0, null, null, "a");
    }
}

package dev.wakegate.state;

import dev.wakegate.testing.TestClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryStateStoreTest {

    private static final Instant T0 = Instant.parse("2024-01-15T10:30:00Z");

    private final TestClock clock = new TestClock(T0);
    private final InMemoryStateStore store = new InMemoryStateStore(clock);

    @Test
    void leaseIsExclusiveUntilReleasedByItsOwner() {
        assertThat(store.tryAcquireLease("start:app", "a", Duration.ofSeconds(10)).join()).isTrue();
        assertThat(store.tryAcquireLease("start:app", "b", Duration.ofSeconds(10)).join()).isFalse();
        assertThat(store.tryAcquireLease("start:db", "b", Duration.ofSeconds(10)).join()).isTrue();

        store.releaseLease("start:app", "b").join();
        assertThat(store.tryAcquireLease("start:app", "b", Duration.ofSeconds(10)).join()).isFalse();

        store.releaseLease("start:app", "a").join();
        assertThat(store.tryAcquireLease("start:app", "b", Duration.ofSeconds(10)).join()).isTrue();
    }

    @Test
    void leaseExpiresAfterItsTtl() {
        assertThat(store.tryAcquireLease("idle-check", "a", Duration.ofSeconds(10)).join()).isTrue();
        clock.advance(Duration.ofMillis(9_999));
        assertThat(store.tryAcquireLease("idle-check", "b", Duration.ofSeconds(10)).join()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(store.tryAcquireLease("idle-check", "b", Duration.ofSeconds(10)).join()).isTrue();
        // the old owner no longer holds it, so its release must not free b's lease
        store.releaseLease("idle-check", "a").join();
        assertThat(store.tryAcquireLease("idle-check", "c", Duration.ofSeconds(10)).join()).isFalse();
    }

    @Test
    void askingAgainForALeaseAlreadyHeldExtendsIt() {
        // A reply lost after SET succeeded must not leave the lease stranded: asking again repairs it.
        assertThat(store.tryAcquireLease("start:app", "a", Duration.ofSeconds(10)).join()).isTrue();
        clock.advance(Duration.ofSeconds(8));
        assertThat(store.tryAcquireLease("start:app", "a", Duration.ofSeconds(10)).join()).isTrue();
        clock.advance(Duration.ofSeconds(8)); // 16 s after the first: alive only because it was extended
        assertThat(store.tryAcquireLease("start:app", "b", Duration.ofSeconds(10)).join()).isFalse();
        assertThat(store.leaseHolder("start:app")).isEqualTo("a");
    }

    @Test
    void renewExtendsOnlyTheOwnersLiveLease() {
        assertThat(store.renewLease("idle-check", "a", Duration.ofSeconds(10)).join()).isFalse();
        store.tryAcquireLease("idle-check", "a", Duration.ofSeconds(10)).join();
        assertThat(store.renewLease("idle-check", "b", Duration.ofSeconds(10)).join()).isFalse();
        clock.advance(Duration.ofSeconds(9));
        assertThat(store.renewLease("idle-check", "a", Duration.ofSeconds(10)).join()).isTrue();
        clock.advance(Duration.ofSeconds(9));
        assertThat(store.leaseHolder("idle-check")).isEqualTo("a");
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.renewLease("idle-check", "a", Duration.ofSeconds(10)).join()).isFalse();
    }

    @Test
    void lastAccessTravelsAsAgesAndOnlyMovesForward() {
        store.recordAccess(Map.of("app", Duration.ZERO, "db", Duration.ofSeconds(60))).join();
        clock.advance(Duration.ofSeconds(10));
        store.recordAccess(Map.of("app", Duration.ofSeconds(30), "db", Duration.ofSeconds(5))).join();

        // app: accessed at T0 (the later write said T0-20s); db: T0+5s (the earlier said T0-60s)
        assertThat(store.loadAccessAges().join())
                .isEqualTo(Map.of("app", Duration.ofSeconds(10), "db", Duration.ofSeconds(5)));
    }

    @Test
    void aLastAccessInTheFutureIsRefusedAndReplaced() {
        // Written by an older version on a host whose clock ran a day fast.
        store.putRawLastAccess("app", T0.plus(Duration.ofDays(1)));
        assertThat(store.loadAccessAges().join()).doesNotContainKey("app");
        store.recordAccess(Map.of("app", Duration.ofSeconds(3))).join();
        assertThat(store.loadAccessAges().join()).isEqualTo(Map.of("app", Duration.ofSeconds(3)));
    }

    @Test
    void recordsCarryTheSharedLastAccessWhateverTheySay() {
        store.saveRecords(Map.of("app", record("running", T0.plus(Duration.ofDays(1))))).join();
        assertThat(store.loadRecords().join().get("app").lastAccess()).isNull();
        store.recordAccess(Map.of("app", Duration.ofSeconds(30))).join();
        assertThat(store.loadRecords().join().get("app").lastAccess()).isEqualTo(T0.minusSeconds(30));

        store.saveRecords(Map.of("app", record("stopped", T0.minusSeconds(3600)))).join();
        ContainerRecord saved = store.loadRecords().join().get("app");
        assertThat(saved.state()).isEqualTo("stopped");
        assertThat(saved.lastAccess()).isEqualTo(T0.minusSeconds(30));
    }

    @Test
    void membersStaySilentAfterTheirUsageExpiresUntilTheyLeave() {
        store.heartbeat("a", Map.of("app", 2, "db", 0), Map.of(), Duration.ofSeconds(3)).join();
        store.heartbeat("b", Map.of("app", 5), Map.of("b/1", 0), Duration.ofSeconds(6)).join();

        Map<String, StateStore.Peer> seenByC = store.loadPeers("c").join();
        assertThat(seenByC).containsOnlyKeys("a", "b");
        assertThat(seenByC.get("a").presence()).isEqualTo(StateStore.Presence.LIVE);
        assertThat(seenByC.get("a").usage()).containsEntry("app", 2);
        assertThat(seenByC.get("b").acks()).isEqualTo(Map.of("b/1", 0));
        assertThat(store.loadPeers("a").join()).containsOnlyKeys("b");

        clock.advance(Duration.ofSeconds(4));
        StateStore.Peer a = store.loadPeers("c").join().get("a");
        assertThat(a.presence()).as("usage expired: unknown, never zero").isEqualTo(StateStore.Presence.SILENT);
        assertThat(a.silentFor()).isEqualTo(Duration.ofSeconds(4));

        store.leave("a").join();
        assertThat(store.loadPeers("c").join().get("a").presence()).isEqualTo(StateStore.Presence.LEFT);
        store.heartbeat("a", Map.of(), Map.of(), Duration.ofSeconds(3)).join(); // back after all
        assertThat(store.loadPeers("c").join().get("a").presence()).isEqualTo(StateStore.Presence.LIVE);
    }

    @Test
    void cordonsAreReturnedByHeartbeatsUntilLiftedOrExpired() {
        store.putCordons(Map.of("app", "a/1", "db", "a/2"), "a", Duration.ofSeconds(20)).join();
        assertThat(store.heartbeat("b", Map.of(), Map.of(), Duration.ofSeconds(3)).join())
                .containsExactlyInAnyOrder(new StateStore.Cordon("app", "a/1", "a", Duration.ofSeconds(20)),
                        new StateStore.Cordon("db", "a/2", "a", Duration.ofSeconds(20)));
        store.liftCordon("app", "a/9").join(); // not that cordon: stays
        store.liftCordon("db", "a/2").join();
        clock.advance(Duration.ofSeconds(5));
        assertThat(store.heartbeat("b", Map.of(), Map.of(), Duration.ofSeconds(3)).join())
                .containsExactly(new StateStore.Cordon("app", "a/1", "a", Duration.ofSeconds(15)));
        clock.advance(Duration.ofSeconds(15));
        assertThat(store.heartbeat("b", Map.of(), Map.of(), Duration.ofSeconds(3)).join()).isEmpty();
    }

    @Test
    void recordJsonHasTheKeysDocsRedisShows() {
        String json = ContainerRecordJson.write(new ContainerRecord("running", "normal", T0.plusMillis(750), null, null, "i1"));
        assertThat(json).isEqualTo("{\"state\":\"running\",\"priority\":\"normal\",\"last_access\":\"2024-01-15T10:30:00Z\","
                + "\"last_started\":null,\"last_stopped\":null,\"updated_by\":\"i1\"}");
        assertThat(ContainerRecordJson.read(json)).isEqualTo(new ContainerRecord("running", "normal", T0, null, null, "i1"));
    }

    private static ContainerRecord record(String state, Instant lastAccess) {
        return new ContainerRecord(state, "normal", lastAccess, null, null, "test");
    }
}

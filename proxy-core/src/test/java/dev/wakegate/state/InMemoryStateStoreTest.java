package dev.wakegate.state;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryStateStoreTest {

    private static final Instant T0 = Instant.parse("2024-01-15T10:30:00Z");

    private final FakeClock clock = new FakeClock(T0);
    private final InMemoryStateStore store = new InMemoryStateStore(clock);

    @Test
    void leaseIsExclusiveUntilReleasedByItsOwner() {
        assertThat(store.tryAcquireLease("start:app", "a", Duration.ofSeconds(10)).join()).isTrue();
        assertThat(store.tryAcquireLease("start:app", "b", Duration.ofSeconds(10)).join()).isFalse();
        assertThat(store.tryAcquireLease("start:app", "a", Duration.ofSeconds(10)).join()).isFalse();
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
    void lastAccessOnlyMovesForward() {
        store.recordAccess(Map.of("app", T0.plusSeconds(60), "db", T0)).join();
        store.recordAccess(Map.of("app", T0, "db", T0.plusSeconds(5))).join();

        assertThat(store.loadAccess().join()).isEqualTo(Map.of("app", T0.plusSeconds(60), "db", T0.plusSeconds(5)));
    }

    @Test
    void recordsCarryTheSharedLastAccessAndAStaleSaveDoesNotMoveItBack() {
        store.saveRecords(Map.of("app", record("running", T0))).join();
        store.recordAccess(Map.of("app", T0.plusSeconds(30))).join();
        assertThat(store.loadRecords().join().get("app").lastAccess()).isEqualTo(T0.plusSeconds(30));

        store.saveRecords(Map.of("app", record("stopped", T0))).join();
        ContainerRecord saved = store.loadRecords().join().get("app");
        assertThat(saved.state()).isEqualTo("stopped");
        assertThat(saved.lastAccess()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void usageExpiresAfterTtlAndExcludesTheAskingInstance() {
        store.publishUsage("a", Map.of("app", 2, "db", 1), Duration.ofSeconds(3)).join();
        store.publishUsage("b", Map.of("app", 5), Duration.ofSeconds(6)).join();

        assertThat(store.loadUsage("c").join()).isEqualTo(Map.of("app", 7, "db", 1));
        assertThat(store.loadUsage("a").join()).isEqualTo(Map.of("app", 5));

        clock.advance(Duration.ofSeconds(3));
        assertThat(store.loadUsage("c").join()).isEqualTo(Map.of("app", 5));

        store.publishUsage("a", Map.of("db", 4), Duration.ofSeconds(3)).join(); // a heartbeats again
        assertThat(store.loadUsage("c").join()).isEqualTo(Map.of("app", 5, "db", 4));

        clock.advance(Duration.ofSeconds(3));
        assertThat(store.loadUsage("c").join()).isEmpty();
    }

    @Test
    void recordJsonHasTheSeedsKeys() {
        String json = ContainerRecordJson.write(new ContainerRecord("running", "normal", T0.plusMillis(750), null, null, "i1"));
        assertThat(json).isEqualTo("{\"state\":\"running\",\"priority\":\"normal\",\"last_access\":\"2024-01-15T10:30:00Z\","
                + "\"last_started\":null,\"last_stopped\":null,\"updated_by\":\"i1\"}");
        assertThat(ContainerRecordJson.read(json)).isEqualTo(new ContainerRecord("running", "normal", T0, null, null, "i1"));
    }

    private static ContainerRecord record(String state, Instant lastAccess) {
        return new ContainerRecord(state, "normal", lastAccess, null, null, "test");
    }

    private static final class FakeClock extends Clock {
        private volatile Instant now;

        FakeClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

package dev.wakegate.lifecycle;

import dev.wakegate.config.KeepAwakeWindow;
import dev.wakegate.config.SleepMode;
import dev.wakegate.config.SleepPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static dev.wakegate.provider.WorkloadInfo.Status.EXITED;
import static dev.wakegate.provider.WorkloadInfo.Status.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-awake windows in the lifecycle, on a fake clock and manual timers: started ahead of traffic
 * at proxy start inside a window and when a window opens (across midnight, and at Berlin's spring
 * change), never put to sleep inside one, the usual idle rule outside, one start for two instances.
 */
class KeepAwakeTest {

    private static SleepPolicy windows(String... texts) {
        return new SleepPolicy(SleepMode.STOP, java.util.Arrays.stream(texts).map(KeepAwakeWindow::parse).toList(),
                Optional.empty());
    }

    private static Harness at(String iso, String zone) {
        Harness h = new Harness();
        h.time().setMillis(Instant.parse(iso).toEpochMilli());
        h.settings = Harness.settings(true, true, 5, 0).withTimezone(ZoneId.of(zone));
        return h;
    }

    @Test
    void atProxyStartInsideAWindowTheContainerIsStartedAheadOfTraffic() {
        // Monday 10:00 UTC
        Harness h = at("2024-01-15T10:00:00Z", "UTC").container("app").sleep("app", windows("mon-fri 08:00-18:00"));
        h.provider.add("app", EXITED, false);
        h.start();
        assertThat(h.provider.starts).containsExactly("app");
        assertThat(h.ready("app")).isTrue();
        assertThat(h.lifecycle.stats().countsOf("app").startSuccesses()).isEqualTo(1);
    }

    @Test
    void insideAWindowItIsNeverSleptAndAfterItTheUsualIdleRuleApplies() {
        Harness h = at("2024-01-15T10:00:00Z", "UTC").container("app").sleep("app", windows("mon-fri 08:00-18:00"));
        h.provider.add("app", RUNNING, false);
        h.start();
        h.advance(Duration.ofHours(7)); // 17:00: idle 7 h, far past its 30 min
        assertThat(h.provider.stops).isEmpty();
        assertThat(h.check(Duration.ZERO).skipped()).containsEntry("app", "keep_awake mon-fri 08:00-18:00");

        h.advance(Duration.ofMinutes(61)); // 18:01: the window closed; idle since 10:00
        assertThat(h.provider.stops).containsExactly("app");
    }

    @Test
    void outsideAWindowTheContainerStaysDownUntilTheWindowOpensThenStarts() {
        // Monday 20:00 UTC; the window opens at 22:00 and runs across midnight
        Harness h = at("2024-01-15T20:00:00Z", "UTC").container("app").sleep("app", windows("mon 22:00-02:00"));
        h.provider.add("app", EXITED, false);
        h.start();
        assertThat(h.provider.starts).isEmpty();

        h.advance(Duration.ofMinutes(119).plusSeconds(59)); // 21:59:59
        assertThat(h.provider.starts).isEmpty();
        h.advance(Duration.ofSeconds(1)); // 22:00
        assertThat(h.provider.starts).containsExactly("app");
        assertThat(h.ready("app")).isTrue();

        h.advance(Duration.ofHours(3).plusMinutes(59)); // Tuesday 01:59: still inside, idle for 3 h 59
        assertThat(h.provider.stops).isEmpty();
        h.advance(Duration.ofMinutes(2)); // 02:01: closed
        assertThat(h.provider.stops).containsExactly("app");
        h.advance(Duration.ofHours(12));
        assertThat(h.provider.starts).as("Tuesday is not a day of the window").containsExactly("app");
    }

    @Test
    void aWindowOpeningInBerlinsSkippedHourStartsTheContainerAtTheJump() {
        // Saturday 28 March 2026 12:00 UTC; Berlin skips 02:00-03:00 on Sunday 29 March (01:00 UTC)
        Harness h = at("2026-03-28T12:00:00Z", "Europe/Berlin").container("app")
                .sleep("app", windows("sun 02:30-04:00"));
        h.provider.add("app", EXITED, false);
        h.start();
        h.advance(Duration.between(Instant.parse("2026-03-28T12:00:00Z"), Instant.parse("2026-03-29T00:59:59Z")));
        assertThat(h.provider.starts).isEmpty();
        h.advance(Duration.ofSeconds(1)); // 01:00 UTC = 03:00 CEST
        assertThat(h.provider.starts).containsExactly("app");
        assertThat(h.check(Duration.ZERO).skipped().get("app")).isEqualTo("keep_awake sun 02:30-04:00");
        h.advance(Duration.ofMinutes(59)); // 03:59 CEST: still inside, idle 59 min
        assertThat(h.provider.stops).isEmpty();
        h.advance(Duration.ofMinutes(2)); // 04:01 CEST: closed, and idle past its 30 min
        assertThat(h.provider.stops).containsExactly("app");
    }

    @Test
    void twoInstancesAtAWindowsOpeningStartTheContainerOnce() {
        Harness a = at("2024-01-15T07:59:00Z", "UTC").container("app").sleep("app", windows("mon-fri 08:00-18:00"));
        a.provider.add("app", EXITED, false);
        a.start();
        Harness b = new Harness(a);
        b.settings = a.settings;
        b.container("app").sleep("app", windows("mon-fri 08:00-18:00")).start();
        a.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertThat(a.ready("app")).isTrue();
        assertThat(b.ready("app")).isTrue();
        assertThat(a.provider.starts).as("one start under the shared lease").containsExactly("app");
    }

    @Test
    void aStartThatFailedIsTriedAgainWithinAMinute() {
        Harness h = at("2024-01-15T10:00:00Z", "UTC").container("app").sleep("app", windows("mon-fri 08:00-18:00"));
        h.provider.add("app", EXITED, false);
        h.provider.startError = "no space left on device";
        h.start();
        assertThat(h.ready("app")).isFalse();
        h.provider.startError = null;
        h.advance(KeepAwake.MAX_TICK.plusSeconds(1));
        assertThat(h.ready("app")).isTrue();
        assertThat(h.provider.starts).containsExactly("app", "app");
    }

    @Test
    void holdingPicksTheWindowThatClosesLast() {
        List<KeepAwakeWindow> ws = List.of(KeepAwakeWindow.parse("mon 08:00-12:00"), KeepAwakeWindow.parse("mon 09:00-18:00"));
        assertThat(KeepAwake.holding(ws, Instant.parse("2024-01-15T10:00:00Z"), ZoneId.of("UTC")).text())
                .isEqualTo("mon 09:00-18:00");
        assertThat(KeepAwake.holding(ws, Instant.parse("2024-01-15T19:00:00Z"), ZoneId.of("UTC"))).isNull();
    }
}

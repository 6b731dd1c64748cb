package dev.wakegate.lifecycle;

import dev.wakegate.config.HealthProbe;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.IdleVeto;
import dev.wakegate.config.KeepAwakeWindow;
import dev.wakegate.config.Priority;
import dev.wakegate.config.SleepMode;
import dev.wakegate.config.SleepPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.wakegate.provider.WorkloadInfo.Status.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code automation.min_free_memory} over the fakes: under pressure idle containers sleep before
 * their idle timeout (after {@link IdleEvictor#PRESSURE_IDLE_FLOOR}), lowest priority first, then
 * most idle; never critical, in use, inside a keep-awake window or vetoed; only while the gauge,
 * read at every check, says memory is short; never when it cannot be read.
 */
class MemoryPressureTest {
    private static final long MIB = 1L << 20;
    private static final String PRESSURE_NOTE = "memory pressure: 300 MiB available, min_free_memory 512 MiB";

    /** A gauge the test sets: empty = unreadable. Counts its reads. */
    private static final class Gauge implements MemoryGauge {
        final AtomicLong bytes = new AtomicLong(300 * MIB);
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean readable = true;

        @Override
        public OptionalLong availableBytes() {
            reads.incrementAndGet();
            return readable ? OptionalLong.of(bytes.get()) : OptionalLong.empty();
        }
    }

    private final Gauge gauge = new Gauge();

    /** One stop per cycle (so the order shows), min_free_memory 512 MiB, the gauge at 300 MiB. */
    private Harness harness(int maxStops, int minRunning) {
        Harness h = new Harness();
        h.settings = Harness.settings(true, true, maxStops, minRunning).withMinFreeMemory(512 * MIB);
        h.memory = gauge;
        return h;
    }

    private static Harness running(Harness h) {
        for (String n : h.specs.keySet()) {
            h.provider.add(n, RUNNING, false);
        }
        return h.start();
    }

    private static Harness normal(Harness h, String... names) {
        for (String n : names) {
            h.container(n);
        }
        return h;
    }

    @Test
    void underPressureIdleContainersSleepEarlyLowestPriorityFirstThenMostIdleNeverCritical() {
        Harness h = harness(1, 0)
                .container("high", Priority.HIGH, null, HealthProbe.DEFAULT)
                .container("normal", Priority.NORMAL, null, HealthProbe.DEFAULT)
                .container("low-recent", Priority.LOW, null, HealthProbe.DEFAULT)
                .container("low-old", Priority.LOW, null, HealthProbe.DEFAULT)
                .container("db", Priority.CRITICAL, null, HealthProbe.DEFAULT);
        running(h);
        h.jump(Duration.ofSeconds(30));
        h.gate().requestStarted(List.of("low-recent"));
        h.gate().requestEnded(List.of("low-recent"));
        h.jump(Duration.ofSeconds(40)); // low-recent idle 40s: under the floor; the others 70s

        IdleCheckReport first = h.check(Duration.ZERO);
        assertThat(first.stopped()).containsExactly("low-old");
        assertThat(first.note()).isEqualTo(PRESSURE_NOTE);
        assertThat(first.skipped()).containsEntry("low-recent", "idle 40s of 10m (60s under memory pressure)")
                .containsEntry("normal", "max_stops_per_cycle 1")
                .containsEntry("db", "critical");

        h.jump(Duration.ofMinutes(1));
        assertThat(h.check(Duration.ZERO).stopped()).containsExactly("low-recent");
        h.jump(Duration.ofMinutes(1));
        assertThat(h.check(Duration.ZERO).stopped()).containsExactly("normal");
        h.jump(Duration.ofMinutes(1));
        assertThat(h.check(Duration.ZERO).stopped()).containsExactly("high");
        h.jump(Duration.ofMinutes(1));
        assertThat(h.check(Duration.ZERO).stopped()).isEmpty();
        assertThat(h.provider.stops).containsExactly("low-old", "low-recent", "normal", "high");
        assertThat(h.state("db")).isEqualTo(ContainerState.READY);
        assertThat(h.lifecycle.automation().memory())
                .isEqualTo(new AutomationSnapshot.Memory(512 * MIB, 300 * MIB, true,
                        h.lifecycle.automation().memory().readAt()));
        assertThat(h.lifecycle.automation().memory().readAt()).isNotNull();
    }

    @Test
    void underPressureNothingInUseIsPutToSleep() {
        Harness h = normal(harness(5, 0), "busy", "ws", "base", "front");
        running(h);
        h.gate().requestStarted(List.of("busy"));
        h.gate().connectionOpened(List.of("ws"));
        h.jump(Duration.ofMinutes(5));

        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.skipped()).containsEntry("busy", "1 request(s) in flight")
                .containsEntry("ws", "1 open connection(s)");
        assertThat(r.stopped()).containsExactlyInAnyOrder("base", "front");
        assertThat(h.provider.stops).doesNotContain("busy", "ws");
    }

    @Test
    void underPressureADependencyIsNotStoppedBeforeItsDependant() {
        Harness h = harness(5, 0).container("db").container("app", "db");
        running(h);
        h.gate().requestStarted(List.of("app"));
        h.jump(Duration.ofMinutes(5));
        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.skipped()).containsEntry("app", "1 request(s) in flight");
        assertThat(r.skipped().get("db")).startsWith("needed by app");
        assertThat(h.provider.stops).isEmpty();
    }

    @Test
    void underPressureKeepAwakeWindowsAndTheIdleVetoStillHold() {
        HostPort up = HostPort.parse("127.0.0.1:18091");
        Harness h = harness(5, 0).container("office").container("job", Priority.LOW, up.toString(), HealthProbe.DEFAULT);
        // Harness.T0 is Monday 10:00 UTC
        h.sleep("office", new SleepPolicy(SleepMode.STOP, List.of(KeepAwakeWindow.parse("mon 08:00-12:00")),
                Optional.empty()));
        h.sleep("job", new SleepPolicy(SleepMode.STOP, List.of(), Optional.of(new IdleVeto("/busy"))));
        h.probe.ready.put(up, true);
        h.probe.statuses.put(up, CompletableFuture.completedFuture(200));
        running(h);
        h.jump(Duration.ofMinutes(5));

        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.skipped().get("office")).contains("keep_awake");
        assertThat(r.skipped()).containsEntry("job", "still in use: GET /busy answered 200 (idle_veto)");
        assertThat(h.probe.lastPath).isEqualTo("/busy");
        assertThat(h.provider.stops).isEmpty();

        h.probe.statuses.put(up, CompletableFuture.completedFuture(204));
        h.jump(Duration.ofMinutes(1));
        assertThat(h.check(Duration.ZERO).stopped()).containsExactly("job");
    }

    @Test
    void earlySleepStopsWhenPressureEndsAndTheUsualTimeoutDecidesAgain() {
        Harness h = running(normal(harness(1, 0), "a", "b", "c"));
        h.jump(Duration.ofMinutes(2));
        assertThat(h.check(Duration.ZERO).stopped()).containsExactly("a");

        gauge.bytes.set(2048 * MIB);
        h.jump(Duration.ofMinutes(1));
        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.stopped()).isEmpty();
        assertThat(r.note()).isEqualTo("no memory pressure: 2048 MiB available, min_free_memory 512 MiB");
        assertThat(r.skipped()).containsEntry("b", "idle 3m of 30m");
        assertThat(h.lifecycle.automation().memory().pressure()).isFalse();

        h.jump(Duration.ofMinutes(28)); // 31m: past the normal timeout
        assertThat(h.check(Duration.ZERO).stopped()).containsExactly("b");
        assertThat(h.provider.stops).containsExactly("a", "b");
    }

    @Test
    void aContainerThatPausesNeverSleepsEarlyForPausingFreesNoMemory() {
        Harness h = normal(harness(5, 0), "paused", "stopped");
        h.sleep("paused", new SleepPolicy(SleepMode.PAUSE, List.of(), Optional.empty()));
        running(h);
        h.jump(Duration.ofMinutes(5));
        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.stopped()).containsExactly("stopped");
        assertThat(r.skipped()).containsEntry("paused", "idle 5m of 30m (sleep: pause frees no memory)");
    }

    @Test
    void earlySleepKeepsMinRunning() {
        Harness h = running(normal(harness(5, 2), "a", "b", "c"));
        h.jump(Duration.ofMinutes(5));
        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.stopped()).hasSize(1);
        assertThat(r.skipped().values()).containsOnly("min_running 2");
    }

    @Test
    void unreadableMemoryMeansNoEarlySleep() {
        gauge.readable = false;
        Harness h = running(normal(harness(5, 0), "a"));
        h.jump(Duration.ofMinutes(5));
        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.stopped()).isEmpty();
        assertThat(r.skipped()).containsEntry("a", "idle 5m of 30m");
        assertThat(r.note()).contains("available memory unknown").contains("no early sleep");
        AutomationSnapshot.Memory m = h.lifecycle.automation().memory();
        assertThat(m.availableBytes()).isNull();
        assertThat(m.pressure()).isFalse();
        assertThat(m.minFreeBytes()).isEqualTo(512 * MIB);
    }

    @Test
    void withMinFreeMemoryOffTheGaugeIsNeverReadAndNothingSleepsEarly() {
        Harness h = new Harness();
        h.memory = gauge;
        gauge.bytes.set(0);
        normal(h, "a");
        running(h);
        h.jump(Duration.ofMinutes(5));
        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.stopped()).isEmpty();
        assertThat(r.note()).isEmpty();
        assertThat(gauge.reads).hasValue(0);
        assertThat(h.lifecycle.automation().memory()).isEqualTo(new AutomationSnapshot.Memory(0, null, false, null));
    }

    @Test
    void theMemoryIsReadAgainAtEveryCheck() {
        Harness h = running(normal(harness(5, 0), "a"));
        int before = gauge.reads.get();
        h.advance(Duration.ofMinutes(3)); // three scheduled checks
        assertThat(gauge.reads.get() - before).isGreaterThanOrEqualTo(3);
    }

    @Test
    void readsMemAvailableFromProcMeminfo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("meminfo");
        Files.writeString(file, """
                MemTotal:       16318412 kB
                MemFree:          512000 kB
                MemAvailable:     307200 kB
                Buffers:          102400 kB
                """);
        assertThat(MemoryGauge.procMeminfo(file).availableBytes()).hasValue(300 * MIB);
        Files.writeString(file, "MemTotal: 16318412 kB\nMemFree: 512000 kB\n"); // a kernel before 3.14
        assertThat(MemoryGauge.procMeminfo(file).availableBytes()).isEmpty();
        Files.writeString(file, "MemAvailable: lots kB\n");
        assertThat(MemoryGauge.procMeminfo(file).availableBytes()).isEmpty();
        assertThat(MemoryGauge.procMeminfo(dir.resolve("missing")).availableBytes()).isEmpty();
    }
}

package dev.wakegate.lifecycle;

import dev.wakegate.config.HealthProbe;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.IdleVeto;
import dev.wakegate.config.Priority;
import dev.wakegate.config.SleepMode;
import dev.wakegate.config.SleepPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static dev.wakegate.provider.WorkloadInfo.Status.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;

/** The busy veto over the fakes: 200 keeps an idle container up this cycle; anything else, or silence, does not. */
class IdleVetoTest {
    private static final HostPort UP = HostPort.parse("127.0.0.1:18090");

    private static Harness vetoed(SleepMode mode) {
        Harness h = new Harness().container("job", Priority.NORMAL, UP.toString(), HealthProbe.DEFAULT);
        h.sleep("job", new SleepPolicy(mode, List.of(), Optional.of(new IdleVeto("/busy"))));
        h.provider.add("job", RUNNING, false);
        h.probe.ready.put(UP, true);
        return h.start();
    }

    @Test
    void aContainerThatAnswers200IsKeptAsStillInUseAndSleepsOnceItStops() {
        Harness h = vetoed(SleepMode.STOP);
        h.probe.statuses.put(UP, CompletableFuture.completedFuture(200));
        h.jump(Duration.ofMinutes(31));
        IdleCheckReport r = h.check(Duration.ZERO);
        assertThat(r.skipped()).containsEntry("job", "still in use: GET /busy answered 200 (idle_veto)");
        assertThat(h.probe.lastPath).isEqualTo("/busy");
        assertThat(h.provider.stops).isEmpty();

        h.probe.statuses.put(UP, CompletableFuture.completedFuture(204)); // only 200 means busy
        assertThat(h.check(Duration.ZERO).stopped()).containsExactly("job");
        assertThat(h.provider.stops).containsExactly("job");
    }

    @Test
    void theVetoIsAskedOnlyOfAContainerPastItsIdleTimeout() {
        Harness h = vetoed(SleepMode.PAUSE);
        h.probe.statuses.put(UP, CompletableFuture.completedFuture(200));
        h.jump(Duration.ofMinutes(10));
        assertThat(h.check(Duration.ZERO).skipped().get("job")).startsWith("idle ");
        assertThat(h.probe.statusCalls.get()).isZero();
    }

    @Test
    void noAnswerWithinTheTimeoutMeansNotBusy() {
        Harness h = vetoed(SleepMode.PAUSE);
        h.probe.statuses.put(UP, new CompletableFuture<>()); // never answers
        h.jump(Duration.ofMinutes(31));
        CompletableFuture<IdleCheckReport> f = h.lifecycle.runIdleCheckNow();
        h.scheduler.runPending();
        assertThat(f).as("waiting for the veto").isNotDone();
        h.advance(IdleVeto.TIMEOUT.minusMillis(1));
        assertThat(f).isNotDone();
        h.advance(Duration.ofMillis(1));
        assertThat(f).isCompleted();
        assertThat(f.join().stopped()).containsExactly("job");
        assertThat(h.provider.pauses).containsExactly("job");
    }

    @Test
    void aRefusedConnectionMeansNotBusy() {
        Harness h = vetoed(SleepMode.STOP);
        h.probe.statuses.put(UP, CompletableFuture.completedFuture(0));
        h.jump(Duration.ofMinutes(31));
        assertThat(h.check(Duration.ZERO).stopped()).containsExactly("job");
    }
}

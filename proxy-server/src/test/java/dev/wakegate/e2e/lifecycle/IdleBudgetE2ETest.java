package dev.wakegate.e2e.lifecycle;

import dev.wakegate.lifecycle.IdleCheckReport;
import dev.wakegate.lifecycle.Lifecycle;
import dev.wakegate.testing.DockerFixture;
import dev.wakegate.testing.WakegateHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.wakegate.e2e.lifecycle.Upstreams.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The idle check's budget against a real engine: {@code max_stops_per_cycle} stops per check at
 * most, and never below {@code min_running} running managed containers. The scheduled check is
 * pushed out of the way (1 h) and the test runs checks itself, so each one can be looked at.
 */
@Tag("docker")
class IdleBudgetE2ETest {
    private final DockerFixture docker = new DockerFixture();
    private WakegateHarness proxy;

    @AfterEach
    void cleanUp() {
        if (proxy != null) {
            proxy.close();
        }
        docker.close();
    }

    @Test
    void eachCheckStopsAtMostTheBatchLimitAndKeepsMinRunning() throws Exception {
        List<String> names = new ArrayList<>();
        StringBuilder yaml = new StringBuilder("""
                automation:
                  idle_check_interval: 1h
                  min_running: 2
                  max_stops_per_cycle: 1
                containers:
                """);
        for (int i = 0; i < 4; i++) {
            String name = docker.sleeper("budget" + i);
            names.add(name);
            // the short timeout per container: other tests' labelled containers, managed here by
            // discovery, keep the 30 min default and are never candidates
            yaml.append("  ").append(name).append(": { idle_timeout: 1s }\n");
        }
        proxy = WakegateHarness.start(yaml.toString());
        Lifecycle lifecycle = proxy.server().lifecycle();
        CompletableFuture.allOf(names.stream().map(lifecycle::startContainer).toArray(CompletableFuture[]::new))
                .get(30, TimeUnit.SECONDS);
        assertThat(names).allMatch(n -> running(docker, n));

        // All four past their idle timeout, so only the budget holds any of them back.
        Instant lastStarted = names.stream().map(n -> lifecycle.container(n).lastStarted()).max(Instant::compareTo)
                .orElseThrow();
        await("all idle").atMost(Duration.ofSeconds(5))
                .until(() -> Instant.now().isAfter(lastStarted.plusMillis(1500)));

        IdleCheckReport first = lifecycle.runIdleCheckNow().get(10, TimeUnit.SECONDS);
        assertThat(first.stopped()).hasSize(1);
        assertThat(first.skipped().values()).contains("max_stops_per_cycle 1");

        IdleCheckReport second = lifecycle.runIdleCheckNow().get(10, TimeUnit.SECONDS);
        assertThat(second.stopped()).hasSize(1);

        // Usually nothing else is managed and two of ours stay; another test's labelled container
        // running meanwhile counts toward min_running too, and then fewer of ours need to stay.
        IdleCheckReport last = lifecycle.runIdleCheckNow().get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 3 && !last.stopped().isEmpty(); i++) {
            assertThat(last.stopped()).hasSize(1);
            last = lifecycle.runIdleCheckNow().get(10, TimeUnit.SECONDS);
        }
        assertThat(last.stopped()).isEmpty();
        long managedRunning = lifecycle.containers().values().stream().filter(c -> c.state().countsAsRunning()).count();
        assertThat(managedRunning).isGreaterThanOrEqualTo(2);
        IdleCheckReport finalCheck = last;
        List<String> stillRunning = names.stream().filter(n -> running(docker, n)).toList();
        assertThat(stillRunning).allSatisfy(n -> assertThat(finalCheck.skipped()).containsEntry(n, "min_running 2"));
        if (managedRunning == stillRunning.size()) {
            assertThat(stillRunning).hasSize(2);
        }
    }
}

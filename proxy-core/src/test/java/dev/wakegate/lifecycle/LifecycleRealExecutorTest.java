package dev.wakegate.lifecycle;

import dev.wakegate.config.AutomationSettings;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.provider.WorkloadInfo;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The lane over a real multi-threaded scheduler, with callers on many threads. */
class LifecycleRealExecutorTest {

    @Test
    void startsOnceAndStopsOnAPoolOfThreads() throws Exception {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(3);
        FakeProvider provider = new FakeProvider();
        provider.add("app", WorkloadInfo.Status.EXITED, false);
        FakeStateStore store = new FakeStateStore(Clock.systemUTC());
        AutomationSettings settings = new AutomationSettings(true, true, Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(10), 5, 0);
        try (Lifecycle lifecycle = Lifecycle.builder().settings(settings)
                .containers(Map.of("app", ContainerSpec.named("app"))).provider(provider).store(store)
                .probe(new FakeProbe()).scheduler(pool).instanceId("real").build()) {
            lifecycle.start().get();
            List<CompletableFuture<Void>> waiters = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Thread t = new Thread(() -> {
                    CompletableFuture<Void> f = lifecycle.gate().awaitReady(List.of("app"));
                    synchronized (waiters) {
                        waiters.add(f);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(provider.starts).containsExactly("app");
            assertThat(lifecycle.gate().isReady(List.of("app"))).isTrue();

            lifecycle.stopContainer("app").get(5, java.util.concurrent.TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> !lifecycle.gate().isReady(List.of("app")));
            assertThat(lifecycle.container("app").state()).isEqualTo(ContainerState.STOPPED);
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.wakegate.lifecycle;

import dev.wakegate.config.AutomationSettings;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.HealthProbe;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.Priority;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** One lifecycle over fakes: a manual scheduler and clock, a fake engine, store and probe. */
final class Harness {
    static final Instant T0 = Instant.parse("2024-01-15T10:00:00Z");

    final MutableClock clock;
    final ManualScheduler scheduler;
    final FakeRuntime runtime;
    final FakeStateStore store;
    final FakeProbe probe;
    final Map<String, ContainerSpec> specs = new LinkedHashMap<>();
    final List<String> events = new ArrayList<>();
    AutomationSettings settings = settings(true, true, 5, 0);
    String instanceId = "i1";
    Lifecycle lifecycle;

    Harness() {
        this(new MutableClock(T0), null, null);
    }

    /** A second instance sharing engine, store and time with {@code other}. */
    Harness(Harness other) {
        this(other.clock, other.scheduler, other.runtime, other.store);
        this.instanceId = "i2";
    }

    private Harness(MutableClock clock, ManualScheduler scheduler, FakeRuntime runtime) {
        this(clock, scheduler, runtime, null);
    }

    private Harness(MutableClock clock, ManualScheduler scheduler, FakeRuntime runtime, FakeStateStore store) {
        this.clock = clock;
        this.scheduler = scheduler != null ? scheduler : new ManualScheduler(clock);
        this.runtime = runtime != null ? runtime : new FakeRuntime();
        this.store = store != null ? store : new FakeStateStore(clock);
        this.probe = new FakeProbe();
    }

    static AutomationSettings settings(boolean autoStart, boolean autoStop, int maxStops, int minRunning) {
        return new AutomationSettings(autoStart, autoStop, Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofMinutes(10), Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(60),
                maxStops, minRunning);
    }

    Harness container(String name, Priority priority, String upstream, HealthProbe health, String... dependsOn) {
        specs.put(name, new ContainerSpec(name, priority,
                upstream == null ? Optional.empty() : Optional.of(HostPort.parse(upstream)), health,
                List.of(dependsOn), Optional.empty(), false));
        return this;
    }

    /** A NORMAL container with no upstream (readiness = running). */
    Harness container(String name, String... dependsOn) {
        return container(name, Priority.NORMAL, null, HealthProbe.DEFAULT, dependsOn);
    }

    Harness start() {
        lifecycle = Lifecycle.builder().settings(settings).containers(specs).runtime(runtime).store(store)
                .probe(probe).clock(clock).scheduler(scheduler).instanceId(instanceId)
                .listener(new LifecycleListener() {
                    @Override
                    public void onStartRequested(String container) {
                        events.add("requested " + container);
                    }

                    @Override
                    public void onReady(String container, long millis) {
                        events.add("ready " + container);
                    }

                    @Override
                    public void onStartFailed(String container, StartFailure.Kind kind, String reason) {
                        events.add("failed " + container + " " + kind + " " + reason);
                    }

                    @Override
                    public void onStopped(String container, String reason) {
                        events.add("stopped " + container);
                    }

                    @Override
                    public void onStopFailed(String container, String reason) {
                        events.add("stop failed " + container);
                    }
                })
                .build();
        lifecycle.start();
        scheduler.runPending();
        return this;
    }

    ContainerGate gate() {
        return lifecycle.gate();
    }

    CompletableFuture<Void> await(String... names) {
        CompletableFuture<Void> f = gate().awaitReady(List.of(names));
        scheduler.runPending();
        return f;
    }

    boolean ready(String... names) {
        return gate().isReady(List.of(names));
    }

    void advance(Duration d) {
        scheduler.advance(d);
    }

    ContainerState state(String name) {
        return lifecycle.container(name).state();
    }
}

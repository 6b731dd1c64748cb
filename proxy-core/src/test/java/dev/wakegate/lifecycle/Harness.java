package dev.wakegate.lifecycle;

import dev.wakegate.config.AutomationSettings;
import dev.wakegate.config.ContainerSpec;
import dev.wakegate.config.HealthProbe;
import dev.wakegate.config.HostPort;
import dev.wakegate.config.Priority;
import dev.wakegate.testing.TestClock;

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

    final java.time.Clock clock;
    final ManualScheduler scheduler;
    final FakeProvider provider;
    final FakeStateStore store;
    final FakeProbe probe;
    final Map<String, ContainerSpec> specs = new LinkedHashMap<>();
    final List<String> events = new ArrayList<>();
    AutomationSettings settings = settings(true, true, 5, 0);
    String instanceId = "i1";
    Duration instanceTimeout = dev.wakegate.config.StateSettings.DEFAULT_INSTANCE_TIMEOUT;
    /** What min_free_memory reads: unknown unless a test sets it. */
    MemoryGauge memory = java.util.OptionalLong::empty;
    Lifecycle lifecycle;

    Harness() {
        this(new TestClock(T0), null, null);
    }

    /** A second instance sharing engine, store and time with {@code other} (its own connection to the store). */
    Harness(Harness other) {
        this(other, Duration.ZERO);
    }

    /**
     * A second instance whose host clock is off by {@code skew} (negative: slow); the engine, the
     * store (its clock is the right one) and the timers are shared with {@code other}.
     */
    Harness(Harness other, Duration skew) {
        this(skew.isZero() ? other.time() : other.time().skewed(skew), other.scheduler, other.provider,
                new FakeStateStore(other.store));
        this.instanceId = "i" + (Integer.parseInt(other.instanceId.substring(1)) + 1);
    }

    private Harness(TestClock clock, ManualScheduler scheduler, FakeProvider provider) {
        this(clock, scheduler, provider, null);
    }

    private Harness(java.time.Clock clock, ManualScheduler scheduler, FakeProvider provider, FakeStateStore store) {
        this.clock = clock;
        this.scheduler = scheduler != null ? scheduler : new ManualScheduler(TestClock.base(clock));
        this.provider = provider != null ? provider : new FakeProvider();
        this.store = store != null ? store : new FakeStateStore(clock);
        this.probe = new FakeProbe();
    }

    /** The shared test time (the store's and the timers'), whatever this instance's host clock says. */
    TestClock time() {
        return TestClock.base(clock);
    }

    /** Moves the shared time forward without running timers. */
    void jump(Duration d) {
        time().setMillis(time().millis() + d.toMillis());
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

    /** Gives the container declared last by that name another sleep policy (pause, windows, veto). */
    Harness sleep(String name, dev.wakegate.config.SleepPolicy policy) {
        specs.put(name, specs.get(name).withSleep(policy));
        return this;
    }

    /** A NORMAL container with no upstream (readiness = running). */
    Harness container(String name, String... dependsOn) {
        return container(name, Priority.NORMAL, null, HealthProbe.DEFAULT, dependsOn);
    }

    Harness start() {
        lifecycle = Lifecycle.builder().settings(settings).containers(specs).provider(provider).store(store)
                .probe(probe).clock(clock).scheduler(scheduler).instanceId(instanceId).instanceTimeout(instanceTimeout)
                .memoryGauge(memory)
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

    /** Runs the idle check now and lets {@code settle} pass for it (cordon acknowledgements, stops). */
    IdleCheckReport check(Duration settle) {
        CompletableFuture<IdleCheckReport> f = lifecycle.runIdleCheckNow();
        scheduler.runPending();
        if (!settle.isZero()) {
            advance(settle);
        }
        return f.join();
    }

    ContainerState state(String name) {
        return lifecycle.container(name).state();
    }
}

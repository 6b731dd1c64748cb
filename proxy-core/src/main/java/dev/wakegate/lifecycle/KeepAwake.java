package dev.wakegate.lifecycle;

import dev.wakegate.async.Futures;
import dev.wakegate.config.KeepAwakeWindow;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * Keep-awake windows ({@code containers.<name>.keep_awake}, read in {@code automation.timezone}):
 * a container inside one of its windows is started ahead of traffic, and {@link IdleEvictor}
 * never puts it to sleep ({@link #holding}).
 *
 * <p>It starts each container once per window occurrence: at proxy start inside a window, and when
 * a window opens. The start is the ordinary single-flight one ({@link StartupCoordinator#ensureReady}):
 * with several instances, each asks at the opening and the shared {@code start:<name>} lease lets
 * one of them call the engine while the others watch. It is an explicit instruction, like an
 * admin start, so it starts even with {@code auto_start: false}. A start that failed (engine away)
 * is tried again at the next tick; a container stopped by hand inside a window is started again
 * only at the next opening.
 *
 * <p>It wakes at the next opening of any window, and at least every {@link #MAX_TICK}, so a wall
 * clock set forward or back (NTP, a suspended host) is caught up within a minute. Each instant
 * is this host's own clock; nothing is compared across hosts.
 */
final class KeepAwake {
    private static final Logger log = LoggerFactory.getLogger(KeepAwake.class);
    static final Duration MAX_TICK = Duration.ofMinutes(1);

    private final ContainerRegistry registry;
    private final StartupCoordinator coordinator;
    private final ZoneId zone;
    private final Clock clock;
    private final LifecycleExecutor lane;
    private @Nullable ScheduledFuture<?> next;
    private boolean closed;

    KeepAwake(ContainerRegistry registry, StartupCoordinator coordinator, ZoneId zone, Clock clock,
              LifecycleExecutor lane) {
        this.registry = registry;
        this.coordinator = coordinator;
        this.zone = zone;
        this.clock = clock;
        this.lane = lane;
    }

    /**
     * The window of {@code windows} that holds {@code t}, closing last; null when none does.
     * A pure function of the instant, so it is tested against a fake clock.
     */
    static @Nullable KeepAwakeWindow holding(List<KeepAwakeWindow> windows, Instant t, ZoneId zone) {
        KeepAwakeWindow best = null;
        Instant bestUntil = null;
        for (KeepAwakeWindow w : windows) {
            Instant until = w.openUntil(t, zone);
            if (until != null && (bestUntil == null || until.isAfter(bestUntil))) {
                best = w;
                bestUntil = until;
            }
        }
        return best;
    }

    /** Why {@code c} is kept awake now ("keep_awake mon-fri 08:00-18:00"), or null. Lane only. */
    @Nullable String reason(ManagedContainer c) {
        KeepAwakeWindow w = holding(c.spec.sleep().keepAwake(), clock.instant(), zone);
        return w == null ? null : "keep_awake " + w.text();
    }

    /** Starts what lies in an open window now and sets the next tick. Lane only. */
    void tick() {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        Instant wake = now.plus(MAX_TICK);
        for (ManagedContainer c : registry.all()) {
            List<KeepAwakeWindow> windows = c.spec.sleep().keepAwake();
            if (windows.isEmpty()) {
                continue;
            }
            for (KeepAwakeWindow w : windows) {
                Instant opening = w.nextOpening(now, zone);
                if (opening.isBefore(wake)) {
                    wake = opening;
                }
            }
            KeepAwakeWindow open = holding(windows, now, zone);
            if (open == null) {
                continue;
            }
            Instant until = open.openUntil(now, zone);
            if (until != null && !until.equals(c.keptAwakeUntil)) {
                keepAwake(c, open, until);
            }
        }
        if (next != null) {
            next.cancel(false);
        }
        next = lane.schedule(this::tick, Duration.between(now, wake));
    }

    private void keepAwake(ManagedContainer c, KeepAwakeWindow window, Instant until) {
        if (c.ready) {
            c.keptAwakeUntil = until; // up already: nothing to start this occurrence
            return;
        }
        log.info("{}: inside keep_awake window {}; starting it ahead of traffic", c.name, window.text());
        coordinator.ensureReady(List.of(c.name), true).whenCompleteAsync((v, ex) -> {
            if (ex == null) {
                c.keptAwakeUntil = until;
            } else {
                log.warn("{}: keep_awake start failed ({}); trying again within {}", c.name, Futures.message(ex),
                        dev.wakegate.config.Durations.approx(MAX_TICK));
            }
        }, lane);
    }

    void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
    }
}

package dev.wakegate.config;

import java.util.List;
import java.util.Optional;

/**
 * How and when one container sleeps, besides its idle timeout: the way it is put to sleep, the
 * windows in which it is kept awake (started ahead of traffic, never slept), and the busy veto it
 * is asked before it sleeps.
 *
 * @param mode      stop or pause ({@code sleep})
 * @param keepAwake windows in which it is kept awake ({@code keep_awake}), read in {@code automation.timezone}
 * @param idleVeto  asked before it is put to sleep ({@code idle_veto}), if any
 */
public record SleepPolicy(SleepMode mode, List<KeepAwakeWindow> keepAwake, Optional<IdleVeto> idleVeto) {
    /** Stopped when idle, no windows, no veto. */
    public static final SleepPolicy DEFAULT = new SleepPolicy(SleepMode.STOP, List.of(), Optional.empty());

    public SleepPolicy {
        keepAwake = List.copyOf(keepAwake);
    }
}

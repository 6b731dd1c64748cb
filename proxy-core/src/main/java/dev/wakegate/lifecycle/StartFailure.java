package dev.wakegate.lifecycle;

import dev.wakegate.async.Futures;
import org.jspecify.annotations.Nullable;

/**
 * Why the containers of a route could not be made ready; the data path turns it into a 503
 * whose problem+json body names {@link #container()} and {@link #reason()}. Workload providers
 * fail their futures with it too, so that what the engine said is a {@link Kind}, decided on by
 * kind and never by its text.
 */
public final class StartFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The engine refused, the container exited or turned unhealthy: the reason says how. */
        FAILED,
        /** Not ready within {@code startup_timeout}. */
        TIMEOUT,
        /** Stopped, and {@code auto_start} is off. */
        AUTO_START_DISABLED,
        /** The engine cannot be reached, or did not answer in time. */
        RUNTIME_UNAVAILABLE,
        /** The engine knows no such container (or it is not managed). */
        MISSING,
        /** More requests are parked than {@code limits.max_parked} allows. */
        TOO_MANY_WAITING
    }

    private final @Nullable String container;
    private final Kind kind;

    public StartFailure(@Nullable String container, Kind kind, String reason) {
        super(reason, null, false, false);
        this.container = container;
        this.kind = kind;
    }

    /**
     * {@code failure} as a StartFailure: itself when it is one (seen through the wrappers a
     * future's failure arrives in), else {@link Kind#FAILED} about {@code container} with the
     * failure's own words.
     */
    public static StartFailure of(@Nullable String container, Throwable failure) {
        return Futures.unwrap(failure) instanceof StartFailure sf ? sf
                : new StartFailure(container, Kind.FAILED, Futures.message(failure));
    }

    /** The container it is about; null when it is about no one container. */
    public @Nullable String container() {
        return container;
    }

    public Kind kind() {
        return kind;
    }

    public String reason() {
        return String.valueOf(getMessage());
    }
}

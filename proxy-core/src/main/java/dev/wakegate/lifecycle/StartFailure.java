package dev.wakegate.lifecycle;

/**
 * Why the containers of a route could not be made ready; the data path turns it into a 503
 * whose problem+json body names {@link #container()} and {@link #reason()}.
 */
public final class StartFailure extends RuntimeException {
    public enum Kind { FAILED, TIMEOUT, AUTO_START_DISABLED, RUNTIME_UNAVAILABLE, MISSING, TOO_MANY_WAITING }

    private final String container;
    private final Kind kind;

    public StartFailure(String container, Kind kind, String reason) {
        super(reason, null, false, false);
        this.container = container;
        this.kind = kind;
    }

    public String container() {
        return container;
    }

    public Kind kind() {
        return kind;
    }

    public String reason() {
        return getMessage();
    }
}

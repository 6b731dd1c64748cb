package dev.wakegate.relay;

import java.util.EnumSet;
import java.util.Set;

/**
 * States of one HTTP client connection. {@link HttpFrontHandler} moves between them only through
 * {@link #check}, the one place where an illegal transition is caught.
 *
 * <pre>
 * READ_HEAD ─┬─► LOCAL (404, local endpoint, waiting page, 502/503/504 when the connection stays usable)
 *            ├─► PARKED ──► CONNECTING ──► PROXYING ──► READ_HEAD (keep-alive) / UPGRADED (101)
 *            └─► CLOSING (response written, then close) ──► CLOSED
 * </pre>
 */
enum FrontState {
    /** Waiting for (the rest of) a request head. */
    READ_HEAD,
    /** The proxy answers itself; the request body is read and discarded. */
    LOCAL,
    /** Held until the route's containers are ready. */
    PARKED,
    /** Waiting for an upstream connection. */
    CONNECTING,
    /** Request and response flow between client and upstream. */
    PROXYING,
    /** 101 accepted: the handler is gone, a raw relay runs. */
    UPGRADED,
    /** A last response is being written; the connection closes after it. Input is ignored. */
    CLOSING,
    CLOSED;

    @SuppressWarnings("NullAway.Init") // set for every constant in the static block below, before any use
    private Set<FrontState> next;

    /** A request is on hand: answered locally, parked, or on its way to or from an upstream. */
    boolean hasRequest() {
        return this == LOCAL || this == PARKED || this == CONNECTING || this == PROXYING;
    }

    static {
        READ_HEAD.next = EnumSet.of(LOCAL, PARKED, CONNECTING, CLOSING, CLOSED);
        LOCAL.next = EnumSet.of(READ_HEAD, CLOSING, CLOSED);
        PARKED.next = EnumSet.of(CONNECTING, LOCAL, CLOSING, CLOSED);
        CONNECTING.next = EnumSet.of(PROXYING, LOCAL, CLOSING, CLOSED);
        PROXYING.next = EnumSet.of(READ_HEAD, UPGRADED, CONNECTING, LOCAL, CLOSING, CLOSED);
        UPGRADED.next = EnumSet.of(CLOSED);
        CLOSING.next = EnumSet.of(CLOSED);
        CLOSED.next = EnumSet.noneOf(FrontState.class);
    }

    /** Returns {@code to}, or throws when this state cannot move there. */
    FrontState check(FrontState to) {
        if (!next.contains(to)) {
            throw new IllegalStateException("illegal connection state transition " + this + " -> " + to);
        }
        return to;
    }
}

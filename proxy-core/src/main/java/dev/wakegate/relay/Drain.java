package dev.wakegate.relay;

/**
 * The user events {@link FrontServer#close()} fires at every client connection while it shuts
 * down; {@link HttpFrontHandler} acts on them, the other handlers pass them on.
 */
enum Drain {
    /** The server stops: finish the request on hand, then close (an idle connection closes at once). */
    STARTED,
    /**
     * The drain deadline has passed: a request whose response has not started gets a 503 with
     * {@code Connection: close} rather than an empty reply; anything else is closed.
     */
    EXPIRED
}

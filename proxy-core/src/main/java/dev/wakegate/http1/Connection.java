package dev.wakegate.http1;

/**
 * What becomes of a client connection after a response: it stays open for the next request, or
 * the response says {@code Connection: close} and the proxy closes it once the response is out.
 * Passed to the builders of {@link ProblemResponses} and to the data path's own answers instead of
 * a bare {@code boolean close}.
 */
public enum Connection {
    /** Persistent: no Connection header, the next request may follow. */
    KEEP_ALIVE,
    /** {@code Connection: close}: the last response on this connection. */
    CLOSE;

    /** {@link #CLOSE} when {@code close}, else {@link #KEEP_ALIVE}. */
    public static Connection closeIf(boolean close) {
        return close ? CLOSE : KEEP_ALIVE;
    }

    public boolean closes() {
        return this == CLOSE;
    }
}

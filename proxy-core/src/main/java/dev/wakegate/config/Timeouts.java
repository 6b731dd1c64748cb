package dev.wakegate.config;

import java.time.Duration;

/**
 * The proxy's own timeouts ({@code timeouts:} in YAML); docs/timeouts.md lists each beside nginx's
 * equivalent. The "between two reads" ones run only while the proxy is actually waiting to read:
 * a side paused for backpressure is not timed.
 */
public record Timeouts(
        Duration headerRead,       // whole request head must arrive within this (slow-loris gets 408)
        Duration bodyRead,         // between two reads of the request body (408 while no response started, else close)
        Duration idleKeepAlive,    // idle client connection between requests is closed after this
        Duration clientSend,       // the client takes none of its response for this long: both sides closed
        Duration upstreamConnect,
        Duration upstreamSend,     // request body: the upstream takes none of it for this long (504, or a close)
        Duration upstreamResponse, // from request fully sent to response head received (504 after)
        Duration upstreamRead,     // between two reads of the response body from the upstream (both sides closed)
        Duration upstreamIdle,     // pooled idle upstream connection is closed after this
        Duration dockerCall,       // every Docker Engine API call answers within this, or the engine counts as unreachable
        Duration drain) {          // graceful shutdown waits at most this for in-flight work

    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofSeconds(75), Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(60),
            Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(10),
            Duration.ofSeconds(15));

    public Timeouts withHeaderRead(Duration d) {
        return new Timeouts(d, bodyRead, idleKeepAlive, clientSend, upstreamConnect, upstreamSend, upstreamResponse,
                upstreamRead, upstreamIdle, dockerCall, drain);
    }

    public Timeouts withBodyRead(Duration d) {
        return new Timeouts(headerRead, d, idleKeepAlive, clientSend, upstreamConnect, upstreamSend, upstreamResponse,
                upstreamRead, upstreamIdle, dockerCall, drain);
    }

    public Timeouts withIdleKeepAlive(Duration d) {
        return new Timeouts(headerRead, bodyRead, d, clientSend, upstreamConnect, upstreamSend, upstreamResponse,
                upstreamRead, upstreamIdle, dockerCall, drain);
    }

    public Timeouts withClientSend(Duration d) {
        return new Timeouts(headerRead, bodyRead, idleKeepAlive, d, upstreamConnect, upstreamSend, upstreamResponse,
                upstreamRead, upstreamIdle, dockerCall, drain);
    }

    public Timeouts withUpstreamConnect(Duration d) {
        return new Timeouts(headerRead, bodyRead, idleKeepAlive, clientSend, d, upstreamSend, upstreamResponse,
                upstreamRead, upstreamIdle, dockerCall, drain);
    }

    public Timeouts withUpstreamSend(Duration d) {
        return new Timeouts(headerRead, bodyRead, idleKeepAlive, clientSend, upstreamConnect, d, upstreamResponse,
                upstreamRead, upstreamIdle, dockerCall, drain);
    }

    public Timeouts withUpstreamResponse(Duration d) {
        return new Timeouts(headerRead, bodyRead, idleKeepAlive, clientSend, upstreamConnect, upstreamSend, d,
                upstreamRead, upstreamIdle, dockerCall, drain);
    }

    public Timeouts withUpstreamRead(Duration d) {
        return new Timeouts(headerRead, bodyRead, idleKeepAlive, clientSend, upstreamConnect, upstreamSend,
                upstreamResponse, d, upstreamIdle, dockerCall, drain);
    }

    public Timeouts withUpstreamIdle(Duration d) {
        return new Timeouts(headerRead, bodyRead, idleKeepAlive, clientSend, upstreamConnect, upstreamSend,
                upstreamResponse, upstreamRead, d, dockerCall, drain);
    }

    public Timeouts withDockerCall(Duration d) {
        return new Timeouts(headerRead, bodyRead, idleKeepAlive, clientSend, upstreamConnect, upstreamSend,
                upstreamResponse, upstreamRead, upstreamIdle, d, drain);
    }

    public Timeouts withDrain(Duration d) {
        return new Timeouts(headerRead, bodyRead, idleKeepAlive, clientSend, upstreamConnect, upstreamSend,
                upstreamResponse, upstreamRead, upstreamIdle, dockerCall, d);
    }
}

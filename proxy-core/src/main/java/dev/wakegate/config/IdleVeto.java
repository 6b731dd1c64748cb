package dev.wakegate.config;

import java.time.Duration;

/**
 * A container's say before it is put to sleep ({@code containers.<name>.idle_veto}, label
 * {@code wakegate.idle_veto}): the idle check's leader sends {@code GET path} to the container's
 * upstream; a 200 means "busy" and the container is kept up this cycle. Anything else, a refused
 * connection or no status line within {@link #TIMEOUT}, means "not busy".
 *
 * @param path the HTTP path asked, starting with {@code /}
 */
public record IdleVeto(String path) {
    /**
     * How long the leader waits for the answer. A process busy with a job may answer slowly, and 2 s
     * is a thousand loopback round trips; yet the check that asks holds the idle-check lease (at
     * least 2 s, renewed every third of it while the check runs), and all vetoes of one check are
     * asked at once, so one check waits at most this long for all of them.
     */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    public IdleVeto {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("idle veto path must start with '/', got '" + path + "'");
        }
    }
}

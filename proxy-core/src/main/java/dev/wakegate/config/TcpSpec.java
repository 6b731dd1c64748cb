package dev.wakegate.config;

import java.util.Optional;

/**
 * A raw TCP listener relayed to {@code upstream}, waking {@code container} first when one is named.
 *
 * @param tls whether the listener terminates TLS (with the certificates of {@code tls:}) and
 *            relays the plain bytes
 */
public record TcpSpec(HostPort listen, Optional<String> container, HostPort upstream, boolean tls) {

    /** A plain TCP listener. */
    public TcpSpec(HostPort listen, Optional<String> container, HostPort upstream) {
        this(listen, container, upstream, false);
    }
}

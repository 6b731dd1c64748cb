package dev.wakegate.config;

import java.util.Optional;

/**
 * A raw TCP listener relayed to {@code upstream}, waking {@code container} first when one is named.
 *
 * @param tls           whether the listener terminates TLS (with the certificates of {@code tls:}) and
 *                      relays the plain bytes
 * @param proxyProtocol whether each connection starts with a PROXY protocol (v1 or v2) header, which is
 *                      read and not relayed
 */
public record TcpSpec(HostPort listen, Optional<String> container, HostPort upstream, boolean tls,
                      boolean proxyProtocol) {

    /** Without the PROXY protocol. */
    public TcpSpec(HostPort listen, Optional<String> container, HostPort upstream, boolean tls) {
        this(listen, container, upstream, tls, false);
    }

    /** A plain TCP listener. */
    public TcpSpec(HostPort listen, Optional<String> container, HostPort upstream) {
        this(listen, container, upstream, false, false);
    }
}

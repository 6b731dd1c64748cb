package dev.wakegate.config;

import java.util.Optional;

/** A raw TCP listener relayed to {@code upstream}, waking {@code container} first when one is named. */
public record TcpSpec(HostPort listen, Optional<String> container, HostPort upstream) {
}

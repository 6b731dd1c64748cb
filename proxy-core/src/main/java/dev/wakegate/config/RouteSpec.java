package dev.wakegate.config;

import java.util.List;
import java.util.Optional;

/**
 * One HTTP route: requests whose path starts with {@code path} on a segment boundary go to
 * {@code upstream} once every container in {@code containers} is ready.
 *
 * @param upstream     the address requests are forwarded to (resolved from a container name at load)
 * @param upstreamName what the config said: a container name or HOST:PORT
 * @param waitingPage  whether browser navigations get the waiting page (default true) instead of being held
 */
public record RouteSpec(String path, List<String> containers, HostPort upstream, String upstreamName,
                        boolean waitingPage) {
    public RouteSpec {
        containers = List.copyOf(containers);
    }

    public Optional<String> upstreamContainer() {
        return HostPort.looksLikeAddress(upstreamName) ? Optional.empty() : Optional.of(upstreamName);
    }
}

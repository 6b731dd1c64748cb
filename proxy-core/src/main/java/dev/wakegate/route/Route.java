package dev.wakegate.route;

import dev.wakegate.config.HostPort;

import java.util.List;

/**
 * A compiled HTTP route as the data path sees it: the value stored in the {@link RouteTrie}.
 *
 * @param path        the normalised prefix it was registered under (metrics label)
 * @param containers  containers that must be ready before forwarding (empty: plain proxying)
 * @param upstream    where requests go
 * @param waitingPage whether browser navigations get the waiting page instead of being held
 */
public record Route(String path, List<String> containers, HostPort upstream, boolean waitingPage) {
    public Route {
        containers = List.copyOf(containers);
    }
}

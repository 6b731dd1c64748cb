package dev.wakegate.route;

import dev.wakegate.config.HostPort;
import dev.wakegate.config.RouteSpec;
import java.util.List;

/**
 * The runtime form of one HTTP route, as the router finds it in the {@link RouteTrie}: where
 * requests go and which containers must be ready first. Immutable, shared by every event loop.
 *
 * @param path        the normalised prefix ({@code /a/b}, or {@code /} for the root route)
 * @param containers  containers to wake before forwarding; empty for plain proxying
 * @param upstream    the address requests are forwarded to
 * @param waitingPage whether browser navigations get the waiting page instead of being held
 */
public record Route(String path, List<String> containers, HostPort upstream, boolean waitingPage) {

    public Route {
        containers = List.copyOf(containers);
    }

    public static Route of(RouteSpec spec) {
        return new Route(RouteTrie.Builder.normalise(spec.path()), spec.containers(), spec.upstream(),
                spec.waitingPage());
    }

    /**
     * Builds the trie of a validated route list.
     *
     * @throws IllegalArgumentException for a duplicate or malformed path (a validated config has none)
     */
    public static RouteTrie<Route> compile(List<RouteSpec> specs) {
        RouteTrie.Builder<Route> builder = RouteTrie.builder();
        for (RouteSpec spec : specs) {
            Route route = of(spec);
            builder.add(route.path(), route);
        }
        return builder.build();
    }
}

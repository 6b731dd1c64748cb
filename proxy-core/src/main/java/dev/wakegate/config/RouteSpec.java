package dev.wakegate.config;

import dev.wakegate.net.CidrSet;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP route: requests for one of {@code hosts} (or, when it names none, for any host no other
 * route names) whose path starts with {@code path} on a segment boundary go to {@code upstream}
 * once every container in {@code containers} is ready.
 *
 * @param upstream     the address requests are forwarded to (resolved from a container name at load)
 * @param upstreamName what the config said: a container name or HOST:PORT
 * @param waitingPage  whether browser navigations get the waiting page (default true) instead of being held
 * @param hosts        normalised host names ({@code app.example.com}, {@code *.example.com}); empty: any other host
 * @param maxBody      the largest request body it takes, in bytes; 0: {@code limits.max_body}
 * @param allow        clients it serves (empty: any not denied)
 * @param deny         clients it refuses with 403 (before {@code allow})
 * @param waitingTemplate the waiting page's template, read from {@code waiting_page: FILE} at load; null: the built-in page
 * @param noWake       the route's own {@code no_wake} (it replaces {@code automation.no_wake}), or null to use that one
 */
public record RouteSpec(String path, List<String> containers, HostPort upstream, String upstreamName,
                        boolean waitingPage, List<String> hosts, long maxBody, CidrSet allow, CidrSet deny,
                        @Nullable String waitingTemplate, @Nullable NoWake noWake) {
    public RouteSpec {
        containers = List.copyOf(containers);
        hosts = List.copyOf(hosts);
    }

    /** No body limit of its own, no client lists, the built-in waiting page, automation.no_wake. */
    public RouteSpec(String path, List<String> containers, HostPort upstream, String upstreamName, boolean waitingPage,
                     List<String> hosts) {
        this(path, containers, upstream, upstreamName, waitingPage, hosts, 0, CidrSet.EMPTY, CidrSet.EMPTY, null, null);
    }

    /** With a body limit and client lists; the built-in waiting page, automation.no_wake. */
    public RouteSpec(String path, List<String> containers, HostPort upstream, String upstreamName, boolean waitingPage,
                     List<String> hosts, long maxBody, CidrSet allow, CidrSet deny) {
        this(path, containers, upstream, upstreamName, waitingPage, hosts, maxBody, allow, deny, null, null);
    }

    /** With a waiting-page template and a no_wake of its own; no body limit of its own, no client lists. */
    public RouteSpec(String path, List<String> containers, HostPort upstream, String upstreamName,
                     boolean waitingPage, List<String> hosts, @Nullable String waitingTemplate, @Nullable NoWake noWake) {
        this(path, containers, upstream, upstreamName, waitingPage, hosts, 0, CidrSet.EMPTY, CidrSet.EMPTY,
                waitingTemplate, noWake);
    }

    /** A route for any host that no other route names. */
    public RouteSpec(String path, List<String> containers, HostPort upstream, String upstreamName, boolean waitingPage) {
        this(path, containers, upstream, upstreamName, waitingPage, List.of());
    }

    public Optional<String> upstreamContainer() {
        return HostPort.looksLikeAddress(upstreamName) ? Optional.empty() : Optional.of(upstreamName);
    }

    /** The keys this route claims in the routing table: one per host ("" for no host), each with the path. */
    public List<String> tableKeys() {
        if (hosts.isEmpty()) {
            return List.of(path);
        }
        return hosts.stream().map(h -> h + path).toList();
    }
}

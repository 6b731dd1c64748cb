package dev.wakegate.route;

import dev.wakegate.config.HostPort;
import dev.wakegate.config.NoWake;
import dev.wakegate.config.RouteSpec;
import dev.wakegate.net.CidrSet;
import dev.wakegate.net.IpAddress;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The runtime form of one HTTP route, as the {@link HostRouter} finds it: where requests go and
 * which containers must be ready first. Immutable, shared by every event loop.
 *
 * <p>{@link #name()} is what metrics and logs call the route: the path for a route without host
 * names, else the host names before the path ({@code app.example.com/api}). It is made once here,
 * so the data path never builds a string per request.
 */
public final class Route {
    private final String path;
    private final List<String> containers;
    private final HostPort upstream;
    private final boolean waitingPage;
    private final List<String> hosts;
    private final String name;
    private final String upstreamText;
    private final long maxBody;
    private final CidrSet allow;
    private final CidrSet deny;
    private final @Nullable String waitingTemplate;
    private final NoWakeRule noWake;

    /**
     * @param path        the normalised prefix ({@code /a/b}, or {@code /} for the root route)
     * @param containers  containers to wake before forwarding; empty for plain proxying
     * @param upstream    the address requests are forwarded to
     * @param waitingPage whether browser navigations get the waiting page instead of being held
     * @param hosts       the normalised host names it serves ({@link HostNames#normalise}); empty: any other host
     */
    public Route(String path, List<String> containers, HostPort upstream, boolean waitingPage, List<String> hosts) {
        this(path, containers, upstream, waitingPage, hosts, 0, CidrSet.EMPTY, CidrSet.EMPTY, null, NoWakeRule.NONE);
    }

    /**
     * @param maxBody the largest request body it takes (0: the server's {@code limits.max_body})
     * @param allow   clients it serves (empty: all that {@code deny} does not name)
     * @param deny    clients it answers with 403
     */
    public Route(String path, List<String> containers, HostPort upstream, boolean waitingPage, List<String> hosts,
                 long maxBody, CidrSet allow, CidrSet deny) {
        this(path, containers, upstream, waitingPage, hosts, maxBody, allow, deny, null, NoWakeRule.NONE);
    }

    /**
     * @param waitingTemplate the waiting page's template ({@code waiting_page: FILE}), or null for the built-in one
     * @param noWake          the traffic that does not wake its containers (its own {@code no_wake}, else
     *                        {@code automation.no_wake})
     */
    public Route(String path, List<String> containers, HostPort upstream, boolean waitingPage, List<String> hosts,
                 @Nullable String waitingTemplate, NoWakeRule noWake) {
        this(path, containers, upstream, waitingPage, hosts, 0, CidrSet.EMPTY, CidrSet.EMPTY, waitingTemplate, noWake);
    }

    /** Every setting: the body limit and client lists, and the waiting page's template and no_wake. */
    public Route(String path, List<String> containers, HostPort upstream, boolean waitingPage, List<String> hosts,
                 long maxBody, CidrSet allow, CidrSet deny, @Nullable String waitingTemplate, NoWakeRule noWake) {
        this.maxBody = maxBody;
        this.allow = Objects.requireNonNull(allow, "allow");
        this.deny = Objects.requireNonNull(deny, "deny");
        this.waitingTemplate = waitingTemplate;
        this.noWake = Objects.requireNonNull(noWake, "noWake");
        this.path = Objects.requireNonNull(path, "path");
        this.containers = List.copyOf(containers);
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.waitingPage = waitingPage;
        this.hosts = List.copyOf(hosts);
        this.name = this.hosts.isEmpty() ? path : String.join(",", this.hosts) + path;
        this.upstreamText = upstream.toString();
    }

    /** A route without host names: it serves every host no other route names. */
    public Route(String path, List<String> containers, HostPort upstream, boolean waitingPage) {
        this(path, containers, upstream, waitingPage, List.of());
    }

    /** Without a {@code no_wake} of its own, nothing is kept from waking (the server passes the config's). */
    public static Route of(RouteSpec spec) {
        return of(spec, NoWakeRule.NONE);
    }

    /** @param defaults {@code automation.no_wake}, for a route without its own */
    public static Route of(RouteSpec spec, NoWakeRule defaults) {
        NoWake own = spec.noWake();
        return new Route(RouteTrie.Builder.normalise(spec.path()), spec.containers(), spec.upstream(),
                spec.waitingPage(), spec.hosts(), spec.maxBody(), spec.allow(), spec.deny(), spec.waitingTemplate(),
                own == null ? defaults : new NoWakeRule(own));
    }

    /**
     * Builds the router of a validated route list.
     *
     * @throws IllegalArgumentException for a duplicate host and path, a malformed path or host
     *                                  (a validated config has none)
     */
    public static HostRouter compile(List<RouteSpec> specs) {
        return compile(specs, NoWake.NONE);
    }

    /** With {@code noWake} ({@code automation.no_wake}) for the routes without their own, compiled once for all of them. */
    public static HostRouter compile(List<RouteSpec> specs, NoWake noWake) {
        NoWakeRule defaults = new NoWakeRule(noWake);
        HostRouter.Builder builder = HostRouter.builder();
        for (RouteSpec spec : specs) {
            builder.add(of(spec, defaults));
        }
        return builder.build();
    }

    public String path() {
        return path;
    }

    public List<String> containers() {
        return containers;
    }

    public HostPort upstream() {
        return upstream;
    }

    /** The upstream address as text, {@code HOST:PORT} (made once: the access log writes it for every request). */
    public String upstreamText() {
        return upstreamText;
    }

    /** The route's own body limit in bytes, or 0 for the server's. */
    public long maxBody() {
        return maxBody;
    }

    /**
     * Whether {@code client} may use the route: not in {@code deny}, and in {@code allow} when it
     * lists any. Allocates nothing.
     */
    public boolean admits(IpAddress client) {
        return !deny.contains(client) && (allow.isEmpty() || allow.contains(client));
    }

    /** Whether the route has client lists at all (no check otherwise). */
    public boolean restrictsClients() {
        return !allow.isEmpty() || !deny.isEmpty();
    }

    public boolean waitingPage() {
        return waitingPage;
    }

    /** What does not wake its containers (a route without containers never checks it). */
    public NoWakeRule noWake() {
        return noWake;
    }

    /** The waiting page's template ({@code routes[].waiting_page: FILE}), or null for the built-in one. */
    public @Nullable String waitingTemplate() {
        return waitingTemplate;
    }

    /** Exact names and {@code *.suffix} wildcards; empty for a route that serves any other host. */
    public List<String> hosts() {
        return hosts;
    }

    /** The path, or the host names and the path: the route's label in metrics and in {@code /health/services}. */
    public String name() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route r && path.equals(r.path) && containers.equals(r.containers)
                && upstream.equals(r.upstream) && waitingPage == r.waitingPage && hosts.equals(r.hosts)
                && maxBody == r.maxBody && allow.equals(r.allow) && deny.equals(r.deny)
                && Objects.equals(waitingTemplate, r.waitingTemplate) && noWake.spec().equals(r.noWake.spec());
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, containers, upstream, waitingPage, hosts, waitingTemplate, noWake.spec());
    }

    @Override
    public String toString() {
        return "Route[" + name + " -> " + upstream + (containers.isEmpty() ? "" : " waking " + containers) + "]";
    }
}

package dev.wakegate.bench;

import dev.wakegate.config.HostPort;
import dev.wakegate.config.RouteSpec;
import dev.wakegate.route.HostRouter;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Route lookup. By path among {@code routes} prefixes (default 1,000): the frozen {@link RouteTrie},
 * the same routes behind a {@link HostRouter} that names no host (what a config without
 * {@code host:} pays), and a linear scan with the same longest-prefix-on-segment-boundary rule as
 * the same-run baseline. By host and path among {@code hosts} host names (default 1,000, a tenth of
 * them {@code *.} wildcards, each with 3 path prefixes, plus routes without a host): the
 * {@link HostRouter}, against the obvious implementation (strip the port, lower-case, HashMap by
 * host, then the trie) as the baseline. The goal for {@code trie} and {@code hostRouter} is under
 * 50 ns/op and no allocation ({@code -prof gc}: gc.alloc.rate.norm ≈ 0 B/op).
 *
 * <p>Request paths are a fixed mix: hits at every depth, with extra trailing segments, and misses
 * that share a first segment with some route (the realistic worst case for the trie). Host headers
 * are a fixed mix too: exact names (some with a port, some in capitals), names under a wildcard,
 * and names no route has (those go to the routes without a host).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteLookupBenchmark {

    @Param("1000")
    int routes;

    @Param("1000")
    int hosts;

    private RouteTrie<Route> trie;
    private HostRouter hostless;
    private String[] prefixes;
    private Route[] linearRoutes;
    private String[] paths;

    private HostRouter router;
    private Map<String, RouteTrie<Route>> byHost;
    private Map<String, RouteTrie<Route>> byWildcard;
    private RouteTrie<Route> anyHost;
    private String[] hostHeaders;
    private String[] hostPaths;
    private int next;

    @Setup
    public void setup() {
        Random random = new Random(42);
        Set<String> unique = new LinkedHashSet<>();
        while (unique.size() < routes) {
            StringBuilder sb = new StringBuilder("/svc" + random.nextInt(routes / 4 + 1));
            int depth = random.nextInt(3);
            for (int d = 0; d < depth; d++) {
                sb.append(random.nextBoolean() ? "/v" : "/res").append(random.nextInt(20));
            }
            unique.add(sb.toString());
        }
        List<RouteSpec> specs = new ArrayList<>();
        HostPort upstream = new HostPort("127.0.0.1", 9000);
        for (String p : unique) {
            specs.add(new RouteSpec(p, List.of("c"), upstream, "127.0.0.1:9000", true));
        }
        hostless = Route.compile(specs);
        trie = hostless.routesFor(null);
        prefixes = unique.toArray(new String[0]);
        linearRoutes = trie.values().toArray(new Route[0]);

        paths = new String[1024];
        for (int i = 0; i < paths.length; i++) {
            String base = prefixes[random.nextInt(prefixes.length)];
            paths[i] = switch (i % 4) {
                case 0 -> base;                                           // exact hit
                case 1 -> base + "/items/" + random.nextInt(100_000);     // hit with a tail
                case 2 -> base + "x/y";                                   // miss on a segment boundary
                default -> "/svc" + random.nextInt(routes) + "/static/app.js"; // often a shallower hit or a miss
            };
        }
        setupHosts(random, upstream);
    }

    private void setupHosts(Random random, HostPort upstream) {
        List<RouteSpec> specs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int h = 0; h < hosts; h++) {
            String name = h % 10 == 9 ? "*.tenant" + h + ".example.net" : "app" + h + ".example.com";
            names.add(name);
            for (String p : List.of("/", "/api", "/api/v2")) {
                specs.add(new RouteSpec(p, List.of("c"), upstream, "127.0.0.1:9000", true, List.of(name)));
            }
        }
        specs.add(new RouteSpec("/", List.of(), upstream, "127.0.0.1:9000", true));
        specs.add(new RouteSpec("/static", List.of(), upstream, "127.0.0.1:9000", true));
        router = Route.compile(specs);

        byHost = new HashMap<>();
        byWildcard = new HashMap<>();
        for (String name : names) {
            if (name.startsWith("*.")) {
                byWildcard.put(name.substring(2), router.routesFor("x." + name.substring(2)));
            } else {
                byHost.put(name, router.routesFor(name));
            }
        }
        anyHost = router.routesFor(null);

        hostHeaders = new String[1024];
        hostPaths = new String[1024];
        String[] tails = {"/", "/api/items/42", "/api/v2/users/7", "/static/app.js", "/other/page"};
        for (int i = 0; i < hostHeaders.length; i++) {
            String name = names.get(random.nextInt(names.size()));
            String host = name.startsWith("*.") ? "shop" + random.nextInt(100) + name.substring(1) : name;
            hostHeaders[i] = switch (i % 5) {
                case 0 -> host;                                   // exact or wildcard hit
                case 1 -> host + ":8443";                         // with a port
                case 2 -> host.toUpperCase(Locale.ROOT);          // another case
                case 3 -> "unknown" + random.nextInt(1000) + ".example.org"; // no host route: routes without a host
                default -> host;
            };
            hostPaths[i] = tails[random.nextInt(tails.length)];
        }
    }

    private String nextPath() {
        return paths[next++ & (paths.length - 1)];
    }

    @Benchmark
    public Route trie() {
        return trie.find(nextPath());
    }

    @Benchmark
    public Route hostRouterWithoutHosts() {
        return hostless.find("shop.example.com", nextPath());
    }

    @Benchmark
    public Route linearScan() {
        String path = nextPath();
        Route best = null;
        int bestLen = -1;
        for (int i = 0; i < prefixes.length; i++) {
            String p = prefixes[i];
            int n = p.length();
            if (n > bestLen && path.startsWith(p) && (path.length() == n || path.charAt(n) == '/')) {
                best = linearRoutes[i];
                bestLen = n;
            }
        }
        return best;
    }

    @Benchmark
    public Route hostRouter() {
        int i = next++ & (hostHeaders.length - 1);
        return router.find(hostHeaders[i], hostPaths[i]);
    }

    /** The straightforward way: a new lower-case String without the port, HashMap lookups, then the trie. */
    @Benchmark
    public Route hostHashMapBaseline() {
        int i = next++ & (hostHeaders.length - 1);
        String host = hostHeaders[i];
        int colon = host.indexOf(':');
        String name = (colon < 0 ? host : host.substring(0, colon)).toLowerCase(Locale.ROOT);
        RouteTrie<Route> t = byHost.get(name);
        if (t == null) {
            int dot = name.indexOf('.');
            t = dot > 0 ? byWildcard.get(name.substring(dot + 1)) : null;
        }
        return (t == null ? anyHost : t).find(hostPaths[i]);
    }
}

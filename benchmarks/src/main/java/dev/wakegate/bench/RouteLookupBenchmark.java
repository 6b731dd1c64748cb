package dev.wakegate.bench;

import dev.wakegate.config.HostPort;
import dev.wakegate.config.RouteSpec;
import dev.wakegate.route.Route;
import dev.wakegate.route.RouteTrie;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 * Route lookup among {@code routes} prefixes (default 1,000): the frozen {@link RouteTrie} the
 * router uses, against a linear scan with the same longest-prefix-on-segment-boundary rule as the
 * same-run baseline. The goal for {@code trie} is under 50 ns/op and no allocation
 * ({@code -prof gc}: gc.alloc.rate.norm ≈ 0 B/op).
 *
 * <p>Request paths are a fixed mix: hits at every depth, with extra trailing segments, and misses
 * that share a first segment with some route (the realistic worst case for the trie).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteLookupBenchmark {

    @Param("1000")
    int routes;

    private RouteTrie<Route> trie;
    private String[] prefixes;
    private Route[] linearRoutes;
    private String[] paths;
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
        trie = Route.compile(specs);
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
    }

    private String nextPath() {
        return paths[next++ & (paths.length - 1)];
    }

    @Benchmark
    public Route trie() {
        return trie.find(nextPath());
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
}

package dev.wakegate.route;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing table: host name first, then path. A request's host (the Host header without its
 * port, ASCII case ignored) picks one set of routes, the most specific that exists: the routes
 * naming that host exactly, else those naming {@code *.} and the rest of the host (a wildcard
 * covers exactly one label: {@code *.example.com} serves {@code a.example.com}, not
 * {@code example.com} nor {@code a.b.example.com}), else the routes without a host. Inside that
 * set the longest path prefix wins ({@link RouteTrie}); a set that has no matching path is a miss,
 * it does not fall back to a less specific one (a server block, as nginx's {@code server_name}).
 *
 * <p>Built once by {@link Builder}, frozen, read concurrently from every event loop. Each host is
 * compiled into its own {@link RouteTrie}; the host tables are open-addressing arrays probed with
 * a hash computed over the Host header's characters in place, so a lookup allocates nothing. A
 * router with no host names goes straight to the path trie.
 */
public final class HostRouter {
    private static final HostRouter EMPTY = new HostRouter(RouteTrie.<Route>builder().build(), null, null, List.of());

    private final RouteTrie<Route> anyHost;
    private final @Nullable HostTable exact;      // null when no route names a host
    private final @Nullable HostTable wildcard;   // keyed by the suffix after "*."; null when there is no wildcard
    private final List<Route> routes;

    private HostRouter(RouteTrie<Route> anyHost, @Nullable HostTable exact, @Nullable HostTable wildcard,
            List<Route> routes) {
        this.anyHost = anyHost;
        this.exact = exact;
        this.wildcard = wildcard;
        this.routes = routes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No routes at all: every request is a miss. */
    public static HostRouter empty() {
        return EMPTY;
    }

    /** A router of routes without host names (each value's own {@code hosts} are not looked at). */
    public static HostRouter of(RouteTrie<Route> anyHost) {
        return new HostRouter(anyHost, null, null, anyHost.values());
    }

    /**
     * The route for a request, or null.
     *
     * @param host the Host header value as received (may carry a port; null or empty for none)
     * @param path the request path without the query
     */
    public @Nullable Route find(@Nullable String host, String path) {
        if (exact == null) {
            return anyHost.find(path);
        }
        return routesFor(host).find(path);
    }

    /** The set of routes that serves {@code host} (a Host header value): see the class comment. */
    public RouteTrie<Route> routesFor(@Nullable String host) {
        if (exact == null || host == null || host.isEmpty()) {
            return anyHost;
        }
        if (host.charAt(0) == '[') {
            return routesForLiteral(exact, host); // an IPv6 literal: exact names only
        }
        // one pass up to the port: the name's hash, the hash of what follows its first label (for
        // the wildcards), and the hashes before the last character, in case it is a trailing dot
        int len = host.length();
        int hash = 0;
        int prevHash = 0;
        int suffixHash = 0;
        int prevSuffixHash = 0;
        int dot = -1;
        int end = 0;
        char c = 0;
        for (; end < len && (c = host.charAt(end)) != ':'; end++) {
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            prevHash = hash;
            hash = 31 * hash + c;
            if (dot >= 0) {
                prevSuffixHash = suffixHash;
                suffixHash = 31 * suffixHash + c;
            } else if (c == '.') {
                dot = end;
            }
        }
        if (end > 1 && host.charAt(end - 1) == '.') { // "example.com." is "example.com"
            end--;
            hash = prevHash;
            suffixHash = prevSuffixHash;
        }
        RouteTrie<Route> t = exact.get(host, 0, end, hash);
        if (t != null) {
            return t;
        }
        if (wildcard != null && dot > 0 && dot < end - 1) {
            t = wildcard.get(host, dot + 1, end, suffixHash);
            if (t != null) {
                return t;
            }
        }
        return anyHost;
    }

    private RouteTrie<Route> routesForLiteral(HostTable exactNames, String host) {
        int end = HostNames.end(host);
        int hash = 0;
        for (int i = 0; i < end; i++) {
            hash = 31 * hash + HostNames.lower(host.charAt(i));
        }
        RouteTrie<Route> t = exactNames.get(host, 0, end, hash);
        return t != null ? t : anyHost;
    }

    /** Every route, in the order added. */
    public List<Route> routes() {
        return routes;
    }

    /** Whether any route names a host (else {@link #find} is a path lookup alone). */
    public boolean hasHosts() {
        return exact != null;
    }

    @Override
    public String toString() {
        return "HostRouter" + routes;
    }

    /**
     * Frozen table from lower-case names to their route tries: linear probing, at most half
     * full; a probe compares the stored hash first, then the characters ignoring ASCII case.
     */
    private static final class HostTable {
        private final int mask;
        private final int[] hashes;
        private final @Nullable String[] keys;            // null marks an empty slot
        private final @Nullable RouteTrie<?>[] values;

        HostTable(Map<String, RouteTrie<Route>> byName) {
            int size = Integer.highestOneBit(Math.max(1, byName.size()) * 2 - 1) << 1;
            mask = size - 1;
            hashes = new int[size];
            keys = new @Nullable String[size];
            values = new @Nullable RouteTrie<?>[size];
            for (Map.Entry<String, RouteTrie<Route>> e : byName.entrySet()) {
                int h = e.getKey().hashCode(); // keys are lower case, as lookups hash them
                int slot = RouteTrie.spread(h) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = h;
                keys[slot] = e.getKey();
                values[slot] = e.getValue();
            }
        }

        @SuppressWarnings("unchecked")
        @Nullable RouteTrie<Route> get(String host, int from, int to, int hash) {
            int length = to - from;
            int slot = RouteTrie.spread(hash) & mask;
            String key;
            while ((key = keys[slot]) != null) {
                if (hashes[slot] == hash && key.length() == length && matches(host, from, key)) {
                    return (RouteTrie<Route>) values[slot];
                }
                slot = (slot + 1) & mask;
            }
            return null;
        }

        /** {@code host[from, from + key.length())} is {@code key}, ASCII case aside (keys are lower case). */
        private static boolean matches(String host, int from, String key) {
            for (int i = 0, n = key.length(); i < n; i++) {
                char c = host.charAt(from + i);
                if (c != key.charAt(i) && (c < 'A' || c > 'Z' || c + 32 != key.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Validating, single-use builder. */
    public static final class Builder {
        private final RouteTrie.Builder<Route> anyHost = RouteTrie.builder();
        private final Map<String, RouteTrie.Builder<Route>> exact = new LinkedHashMap<>();
        private final Map<String, RouteTrie.Builder<Route>> wildcard = new LinkedHashMap<>();
        private final List<Route> routes = new ArrayList<>();

        /**
         * Adds {@code route} under each of its hosts (or under "any other host" when it names none).
         *
         * @throws IllegalArgumentException for a host and path already added, or a malformed one
         */
        public Builder add(Route route) {
            if (route.hosts().isEmpty()) {
                anyHost.add(route.path(), route);
            } else {
                for (String configured : route.hosts()) {
                    String host = HostNames.normalise(configured);
                    RouteTrie.Builder<Route> b = HostNames.isWildcard(host)
                            ? wildcard.computeIfAbsent(host.substring(2), h -> RouteTrie.builder())
                            : exact.computeIfAbsent(host, h -> RouteTrie.builder());
                    try {
                        b.add(route.path(), route);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(e.getMessage() + " for host " + host, e);
                    }
                }
            }
            routes.add(route);
            return this;
        }

        public HostRouter build() {
            if (exact.isEmpty() && wildcard.isEmpty()) {
                return new HostRouter(anyHost.build(), null, null, List.copyOf(routes));
            }
            // exact is never null once a host exists, so find() has one null check on the hostless path
            return new HostRouter(anyHost.build(), new HostTable(freeze(exact)),
                    wildcard.isEmpty() ? null : new HostTable(freeze(wildcard)), List.copyOf(routes));
        }

        private static Map<String, RouteTrie<Route>> freeze(Map<String, RouteTrie.Builder<Route>> builders) {
            Map<String, RouteTrie<Route>> out = new LinkedHashMap<>();
            builders.forEach((host, b) -> out.put(host, b.build()));
            return out;
        }
    }
}

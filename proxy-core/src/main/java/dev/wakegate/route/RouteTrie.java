package dev.wakegate.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable prefix trie over path segments: {@link #find} returns the value of the longest
 * registered prefix that ends on a segment boundary ({@code /echo} matches {@code /echo} and
 * {@code /echo/x}, never {@code /echoes}). Built once by {@link Builder}, then read concurrently
 * from every event loop without locks.
 *
 * <p>Lookup walks the path once, comparing segment characters against each node's children
 * (sorted arrays, binary search on the segment), and allocates nothing.
 */
public final class RouteTrie<T> {
    private final Node<T> root;
    private final List<T> values;

    private RouteTrie(Node<T> root, List<T> values) {
        this.root = root;
        this.values = values;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /** All values, in the order they were added. */
    public List<T> values() {
        return values;
    }

    /**
     * Longest matching prefix's value, or null. {@code path} is the request path without the query;
     * it should start with '/' (anything else matches only a root route "/").
     */
    public T find(CharSequence path) {
        Node<T> node = root;
        T best = root.value;
        int len = path.length();
        int i = 0;
        while (i < len) {
            // skip the '/' (or several) that starts the next segment
            while (i < len && path.charAt(i) == '/') {
                i++;
            }
            if (i >= len) {
                break;
            }
            int end = i;
            while (end < len && path.charAt(end) != '/') {
                end++;
            }
            Node<T> child = node.child(path, i, end);
            if (child == null) {
                break;
            }
            node = child;
            if (node.value != null) {
                best = node.value;
            }
            i = end;
        }
        return best;
    }

    private static final class Node<T> {
        final String[] keys;        // child segments, sorted
        final Node<T>[] children;
        final T value;

        Node(String[] keys, Node<T>[] children, T value) {
            this.keys = keys;
            this.children = children;
            this.value = value;
        }

        Node<T> child(CharSequence path, int from, int to) {
            int lo = 0;
            int hi = keys.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = compare(keys[mid], path, from, to);
                if (c < 0) {
                    lo = mid + 1;
                } else if (c > 0) {
                    hi = mid - 1;
                } else {
                    return children[mid];
                }
            }
            return null;
        }

        private static int compare(String key, CharSequence path, int from, int to) {
            int n = Math.min(key.length(), to - from);
            for (int k = 0; k < n; k++) {
                int d = key.charAt(k) - path.charAt(from + k);
                if (d != 0) {
                    return d;
                }
            }
            return key.length() - (to - from);
        }
    }

    /** Validating, single-use builder. */
    public static final class Builder<T> {
        private final MutableNode<T> root = new MutableNode<>();
        private final Map<String, T> added = new LinkedHashMap<>();

        /**
         * Registers {@code prefix} (must start with '/'; trailing slashes and repeated slashes are
         * normalised away, so "/a/" and "/a" are the same route).
         *
         * @throws IllegalArgumentException for a duplicate or malformed prefix
         */
        public Builder<T> add(String prefix, T value) {
            if (value == null) {
                throw new IllegalArgumentException("route " + prefix + " has no target");
            }
            String normalised = normalise(prefix);
            if (added.containsKey(normalised)) {
                throw new IllegalArgumentException("duplicate route path " + normalised);
            }
            added.put(normalised, value);
            MutableNode<T> node = root;
            for (String segment : segments(normalised)) {
                node = node.children.computeIfAbsent(segment, s -> new MutableNode<>());
            }
            node.value = value;
            return this;
        }

        public RouteTrie<T> build() {
            return new RouteTrie<>(root.freeze(), List.copyOf(added.values()));
        }

        /** "/a//b/" becomes "/a/b"; "/" stays "/". */
        public static String normalise(String prefix) {
            if (prefix == null || !prefix.startsWith("/")) {
                throw new IllegalArgumentException("route path must start with '/': " + prefix);
            }
            for (int i = 0; i < prefix.length(); i++) {
                char c = prefix.charAt(i);
                if (c <= ' ' || c == '?' || c == '#' || c >= 0x7f) {
                    throw new IllegalArgumentException("route path " + prefix + " contains a character not allowed in a path prefix");
                }
            }
            StringBuilder sb = new StringBuilder();
            for (String s : segments(prefix)) {
                sb.append('/').append(s);
            }
            return sb.length() == 0 ? "/" : sb.toString();
        }

        private static List<String> segments(String path) {
            List<String> out = new ArrayList<>();
            for (String s : path.split("/")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }
    }

    private static final class MutableNode<T> {
        final Map<String, MutableNode<T>> children = new LinkedHashMap<>();
        T value;

        @SuppressWarnings("unchecked")
        Node<T> freeze() {
            String[] keys = children.keySet().toArray(new String[0]);
            Arrays.sort(keys);
            Node<T>[] frozen = new Node[keys.length];
            for (int i = 0; i < keys.length; i++) {
                frozen[i] = children.get(keys[i]).freeze();
            }
            return new Node<>(keys, frozen, value);
        }
    }

    @Override
    public String toString() {
        return "RouteTrie" + values;
    }
}

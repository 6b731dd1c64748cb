package dev.wakegate.route;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable prefix trie over path segments: {@link #find} returns the value of the longest
 * registered prefix that ends on a segment boundary ({@code /echo} matches {@code /echo} and
 * {@code /echo/x}, never {@code /echoes}). Built once by {@link Builder}, then read concurrently
 * from every event loop without locks.
 *
 * <p>Lookup walks the path once, hashing each segment as it goes and probing the node's small
 * open-addressing table of children; it allocates nothing.
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

    /** The bit mix of the open-addressing tables here and in {@link HostRouter}. */
    static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** All values, in the order they were added. */
    public List<T> values() {
        return values;
    }

    /**
     * Longest matching prefix's value, or null. {@code path} is the request path without the query;
     * it should start with '/' (anything else matches only a root route "/").
     */
    public @Nullable T find(CharSequence path) {
        // A String is what the router passes; its own loop lets the JIT see String.charAt.
        return path instanceof String s ? find(s) : find(path.toString());
    }

    private @Nullable T find(String path) {
        Node<T> node = root;
        @Nullable T best = root.value;
        int len = path.length();
        int i = 0;
        while (i < len && node.mask >= 0) {
            // skip the '/' (or several) that starts the next segment
            char c;
            while ((c = path.charAt(i)) == '/') {
                if (++i == len) {
                    return best;
                }
            }
            // hash the segment as String.hashCode does, in the same pass that finds its end
            int start = i;
            int h = 0;
            do {
                h = 31 * h + c;
            } while (++i < len && (c = path.charAt(i)) != '/');
            Node<T> child = node.child(path, start, i - start, h);
            if (child == null) {
                break;
            }
            node = child;
            if (node.value != null) {
                best = node.value;
            }
        }
        return best;
    }

    /**
     * A frozen node: its children in an open-addressing table keyed by segment (linear probing,
     * at most half full), so a lookup costs one hash pass over the segment and usually one compare.
     */
    private static final class Node<T> {
        final int mask;             // table length - 1; -1 for a leaf
        final int[] hashes;
        final @Nullable String[] keys;        // null marks an empty slot
        final @Nullable Node<T>[] children;   // null in the empty slots
        final @Nullable T value;

        @SuppressWarnings("unchecked")
        Node(String[] segments, Node<T>[] kids, @Nullable T value) {
            this.value = value;
            if (segments.length == 0) {
                mask = -1;
                hashes = new int[0];
                keys = new String[0];
                children = new Node[0];
                return;
            }
            int size = Integer.highestOneBit(segments.length * 2 - 1) << 1;
            mask = size - 1;
            hashes = new int[size];
            keys = new @Nullable String[size];
            children = new Node[size];
            for (int k = 0; k < segments.length; k++) {
                int h = segments[k].hashCode();
                int slot = spread(h) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                hashes[slot] = h;
                keys[slot] = segments[k];
                children[slot] = kids[k];
            }
        }

        @Nullable Node<T> child(String path, int from, int length, int hash) {
            int slot = spread(hash) & mask;
            String key;
            while ((key = keys[slot]) != null) {
                if (hashes[slot] == hash && key.length() == length && path.regionMatches(from, key, 0, length)) {
                    return children[slot];
                }
                slot = (slot + 1) & mask;
            }
            return null;
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
        public static String normalise(@Nullable String prefix) {
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
        @Nullable T value;

        @SuppressWarnings("unchecked")
        Node<T> freeze() {
            String[] keys = new String[children.size()];
            Node<T>[] frozen = new Node[keys.length];
            int i = 0;
            for (Map.Entry<String, MutableNode<T>> e : children.entrySet()) {
                keys[i] = e.getKey();
                frozen[i++] = e.getValue().freeze();
            }
            return new Node<>(keys, frozen, value);
        }
    }

    @Override
    public String toString() {
        return "RouteTrie" + values;
    }
}

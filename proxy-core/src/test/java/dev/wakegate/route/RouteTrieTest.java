package dev.wakegate.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTrieTest {

    private static RouteTrie<String> trie(String... prefixes) {
        RouteTrie.Builder<String> b = RouteTrie.builder();
        for (String p : prefixes) {
            b.add(p, p);
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}: routes {1}, {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            matches on segment boundaries only      | /echo            | /echo      | /echo
            matches on segment boundaries only      | /echo            | /echo/     | /echo
            matches on segment boundaries only      | /echo            | /echo/x    | /echo
            matches on segment boundaries only      | /echo            | /echo/x/y  | /echo
            matches on segment boundaries only      | /echo            | /echoes    | none
            matches on segment boundaries only      | /echo            | /ech       | none
            matches on segment boundaries only      | /echo            | /          | none
            matches on segment boundaries only      | /echo            | ''         | none
            the root route matches everything else  | / /api           | /          | /
            the root route matches everything else  | / /api           | ''         | /
            the root route matches everything else  | / /api           | /apis      | /
            the root route matches everything else  | / /api           | /other/x   | /
            the root route matches everything else  | / /api           | /api/v1    | /api
            the longest prefix wins                 | /a /a/b/c /a/b   | /a         | /a
            the longest prefix wins                 | /a /a/b/c /a/b   | /a/x       | /a
            the longest prefix wins                 | /a /a/b/c /a/b   | /a/b       | /a/b
            the longest prefix wins                 | /a /a/b/c /a/b   | /a/bc      | /a
            the longest prefix wins                 | /a /a/b/c /a/b   | /a/b/c     | /a/b/c
            the longest prefix wins                 | /a /a/b/c /a/b   | /a/b/c/d   | /a/b/c
            the longest prefix wins                 | /a /a/b/c /a/b   | /a/b/cd    | /a/b
            below a missing parent nothing matches  | /a/b/c           | /a/b       | none
            below a missing parent nothing matches  | /a/b/c           | /a/b/c/    | /a/b/c
            repeated slashes count as one           | //a//b/          | /a/b       | //a//b/
            repeated slashes count as one           | //a//b/          | /a//b/x    | //a//b/
            """)
    void findsTheLongestPrefixOnSegmentBoundaries(String rule, String routes, String path, String expected) {
        assertThat(trie(routes.split(" ")).find(path)).isEqualTo(expected);
    }

    @Test
    void acceptsAnyCharSequence() {
        RouteTrie<String> t = trie("/echo");

        assertThat(t.find(new StringBuilder("/echo/x"))).isEqualTo("/echo");
        assertThat(t.find(new StringBuilder("/echoes"))).isNull();
    }

    @Test
    void manySiblingsUnderOneNodeAreAllFound() {
        RouteTrie.Builder<String> b = RouteTrie.builder();
        for (int i = 0; i < 5000; i++) {
            b.add("/s" + i, "s" + i);
        }
        RouteTrie<String> t = b.build();

        for (int i = 0; i < 5000; i++) {
            assertThat(t.find("/s" + i + "/x")).isEqualTo("s" + i);
        }
        assertThat(t.find("/s5000")).isNull();
    }

    @Test
    void aRouteWrittenWithRepeatedSlashesIsOneRoute() {
        assertThat(trie("//a//b/").values()).containsExactly("//a//b/");
    }

    @Test
    void builderRefusesDuplicatesAfterNormalisationAndMalformedPaths() {
        assertThatThrownBy(() -> trie("/a", "/a/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate route path /a");
        assertThatThrownBy(() -> trie("a")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> trie("/a b")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> trie("/a?x")).hasMessageContaining("not allowed");
    }

    @Test
    void agreesWithABruteForceScanOnRandomRoutesAndPaths() {
        Random random = new Random(20240611L);
        String[] alphabet = {"a", "b", "ab", "ba", "api", "v1", "v10", "x", "xy", "assets", "%C3%A9", "-", "."};
        Set<String> prefixes = new LinkedHashSet<>();
        while (prefixes.size() < 1000) {
            prefixes.add(randomPath(random, alphabet, 1 + random.nextInt(5)));
        }
        if (random.nextBoolean()) {
            prefixes.add("/");
        }
        RouteTrie.Builder<String> b = RouteTrie.builder();
        for (String p : prefixes) {
            b.add(p, p);
        }
        RouteTrie<String> t = b.build();
        List<String> normalised = new ArrayList<>(prefixes);

        for (int i = 0; i < 20_000; i++) {
            String path = randomPath(random, alphabet, random.nextInt(7));
            if (random.nextInt(4) == 0) {
                path = path + "/";
            }
            assertThat(t.find(path)).as("find(%s)", path).isEqualTo(bruteForce(normalised, path));
        }
    }

    private static String randomPath(Random random, String[] alphabet, int segments) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < segments; i++) {
            sb.append('/').append(alphabet[random.nextInt(alphabet.length)]);
            if (random.nextInt(8) == 0) {
                sb.append(alphabet[random.nextInt(alphabet.length)]);
            }
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** The definition: the longest prefix p with path == p, or path starting with p + "/" (root matches all). */
    static String bruteForce(List<String> prefixes, String path) {
        String best = null;
        for (String p : prefixes) {
            boolean matches = p.equals("/")
                    || path.equals(p)
                    || (path.startsWith(p) && path.charAt(p.length()) == '/');
            if (matches && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        return best;
    }
}

package dev.wakegate.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wakegate.config.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HostRouterTest {
    private static final HostPort UP = new HostPort("127.0.0.1", 9000);

    private static Route route(String path, String... hosts) {
        return new Route(path, List.of(), UP, true, List.of(hosts));
    }

    private static final Route APP_API = route("/api", "app.example.com");
    private static final Route APP_ROOT = route("/", "app.example.com");
    private static final Route WILD_ROOT = route("/", "*.example.com");
    private static final Route WILD_SHOP = route("/shop", "*.example.com", "shop.example.org");
    private static final Route ANY_ROOT = route("/");
    private static final Route ANY_STATIC = route("/static");

    private static HostRouter router() {
        return HostRouter.builder().add(APP_API).add(APP_ROOT).add(WILD_ROOT).add(WILD_SHOP).add(ANY_ROOT)
                .add(ANY_STATIC).build();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "null", value = {
            // exact host: its own routes, longest path inside them
            "app.example.com,      /api/users,  app.example.com/api",
            "app.example.com,      /other,      app.example.com/",
            "app.example.com,      /static/x,   app.example.com/",
            // case and port do not matter, nor a trailing dot
            "APP.Example.COM,      /api,        app.example.com/api",
            "app.example.com:8443, /api,        app.example.com/api",
            "app.example.com.,     /api,        app.example.com/api",
            "App.Example.Com.:80,  /api/x,      app.example.com/api",
            // wildcard: exactly one label more
            "shop.example.com,     /shop/cart,  '*.example.com,shop.example.org/shop'",
            "blog.example.com,     /post/1,     *.example.com/",
            "BLOG.EXAMPLE.COM:443, /,           *.example.com/",
            "shop.example.org,     /shop,       '*.example.com,shop.example.org/shop'",
            // not covered by the wildcard: the routes without a host
            "example.com,          /static/a,   /static",
            "a.b.example.com,      /x,          /",
            ".example.com,         /x,          /",
            // unknown, missing or odd hosts
            "other.test,           /static,     /static",
            "null,                 /static,     /static",
            "'',                   /x,          /",
            "[::1]:8080,           /static,     /static",
            "127.0.0.1:8000,       /,           /",
    })
    void picksTheMostSpecificHostThenTheLongestPath(String host, String path, String expected) {
        assertThat(router().find(host, path).name()).isEqualTo(expected);
    }

    @Test
    void aHostWithoutAMatchingPathIsAMissRatherThanAFallBack() {
        HostRouter r = HostRouter.builder().add(APP_API).add(ANY_ROOT).build();

        assertThat(r.find("app.example.com", "/api/x")).isSameAs(APP_API);
        assertThat(r.find("app.example.com", "/index.html")).isNull();
        assertThat(r.find("other.example.com", "/index.html")).isSameAs(ANY_ROOT);
    }

    @Test
    void withoutHostsItIsThePathTrieAlone() {
        HostRouter r = HostRouter.builder().add(ANY_ROOT).add(ANY_STATIC).build();

        assertThat(r.hasHosts()).isFalse();
        assertThat(r.find("anything.example", "/static/x")).isSameAs(ANY_STATIC);
        assertThat(r.find(null, "/x")).isSameAs(ANY_ROOT);
        assertThat(HostRouter.empty().find("a", "/")).isNull();
    }

    @Test
    void theSameHostAndPathTwiceIsRefused() {
        HostRouter.Builder b = HostRouter.builder().add(route("/api", "a.example.com", "b.example.com"));

        assertThatThrownBy(() -> b.add(route("/api/", "B.example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate route path /api for host b.example.com");
    }

    @Test
    void theSamePathUnderDifferentHostsIsFine() {
        Route a = route("/api", "a.example.com");
        Route b = route("/api", "b.example.com");
        Route any = route("/api");
        HostRouter r = HostRouter.builder().add(a).add(b).add(any).build();

        assertThat(r.find("a.example.com", "/api")).isSameAs(a);
        assertThat(r.find("b.example.com", "/api")).isSameAs(b);
        assertThat(r.find("c.example.com", "/api")).isSameAs(any);
        assertThat(r.routes()).containsExactly(a, b, any);
    }

    /** Many hosts, random Host headers: the same answers as a plain reference implementation. */
    @Test
    void agreesWithAReferenceOnThousandsOfHosts() {
        Random random = new Random(7);
        List<String> names = new ArrayList<>();
        HostRouter.Builder b = HostRouter.builder();
        for (int i = 0; i < 3000; i++) {
            String name = i % 7 == 0 ? "*.t" + i + ".example.net" : "h" + i + ".example.com";
            names.add(name);
            b.add(route("/", name)).add(route("/api", name));
        }
        b.add(ANY_ROOT);
        HostRouter r = b.build();

        for (int k = 0; k < 20_000; k++) {
            String name = names.get(random.nextInt(names.size()));
            String host = switch (random.nextInt(6)) {
                case 0 -> name.startsWith("*.") ? "x" + k + name.substring(1) : name;
                case 1 -> (name.startsWith("*.") ? "y" + name.substring(1) : name).toUpperCase(Locale.ROOT) + ":8080";
                case 2 -> "zz" + random.nextInt(5000) + ".example.com";
                case 3 -> name.startsWith("*.") ? "a.b" + name.substring(1) : name + ".";
                case 4 -> name.startsWith("*.") ? name.substring(2) : "x." + name;
                default -> name.startsWith("*.") ? "www" + name.substring(1) + ":1" : name;
            };
            String path = random.nextBoolean() ? "/api/v1" : "/page";
            assertThat(r.find(host, path)).as(host + path).isEqualTo(reference(names, host, path));
        }
    }

    private static Route reference(List<String> names, String hostHeader, String path) {
        String host = hostHeader.toLowerCase(Locale.ROOT);
        int colon = host.indexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        String match = null;
        if (names.contains(host)) {
            match = host;
        } else {
            int dot = host.indexOf('.');
            if (dot > 0 && names.contains("*" + host.substring(dot))) {
                match = "*" + host.substring(dot);
            }
        }
        if (match == null) {
            return ANY_ROOT;
        }
        return path.startsWith("/api") ? route("/api", match) : route("/", match);
    }
}

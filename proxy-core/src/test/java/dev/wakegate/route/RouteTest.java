package dev.wakegate.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.config.HostPort;
import dev.wakegate.config.RouteSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void compilesSpecsIntoATrieOfRuntimeRoutes() {
        HostPort app = new HostPort("127.0.0.1", 8001);
        HostPort stat = new HostPort("127.0.0.1", 9000);
        RouteTrie<Route> trie = Route.compile(List.of(
                new RouteSpec("/assets/", List.of("app", "mongodb"), app, "app", true),
                new RouteSpec("/static", List.of(), stat, "127.0.0.1:9000", false)));

        assertThat(trie.find("/assets/1.png")).isEqualTo(new Route("/assets", List.of("app", "mongodb"), app, true));
        assertThat(trie.find("/static/x.css")).isEqualTo(new Route("/static", List.of(), stat, false));
        assertThat(trie.find("/other")).isNull();
        assertThat(trie.values()).extracting(Route::path).containsExactly("/assets", "/static");
    }
}

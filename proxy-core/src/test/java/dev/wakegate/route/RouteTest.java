package dev.wakegate.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wakegate.config.HostPort;
import dev.wakegate.config.RouteSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void compilesSpecsIntoARouterOfRuntimeRoutes() {
        HostPort app = new HostPort("127.0.0.1", 8001);
        HostPort stat = new HostPort("127.0.0.1", 9000);
        HostRouter router = Route.compile(List.of(
                new RouteSpec("/assets/", List.of("app", "mongodb"), app, "app", true),
                new RouteSpec("/static", List.of(), stat, "127.0.0.1:9000", false)));

        assertThat(router.find("any.host", "/assets/1.png")).isEqualTo(new Route("/assets", List.of("app", "mongodb"), app, true));
        assertThat(router.find(null, "/static/x.css")).isEqualTo(new Route("/static", List.of(), stat, false));
        assertThat(router.find("any.host", "/other")).isNull();
        assertThat(router.routes()).extracting(Route::path).containsExactly("/assets", "/static");
        assertThat(router.hasHosts()).isFalse();
    }

    @Test
    void aRouteIsNamedByItsHostsAndPath() {
        HostPort app = new HostPort("127.0.0.1", 8001);

        assertThat(new Route("/api", List.of(), app, true).name()).isEqualTo("/api");
        assertThat(new Route("/api", List.of(), app, true, List.of("a.example.com", "*.example.org")).name())
                .isEqualTo("a.example.com,*.example.org/api");
    }
}
